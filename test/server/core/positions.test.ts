import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/core/positions';

// Positions are found from text anchors, never counted by hand.
const at = (text: string, anchor: string) => {
  const i = text.indexOf(anchor);
  assert.ok(i >= 0, `anchor ${anchor} not in text`);
  return i;
};

test('lines end at LF, CRLF and a lone CR', () => {
  const text = 'one\r\ntwo\nthree\rfour';
  const idx = new LineIndex(text);
  assert.equal(idx.lineCount, 4);
  assert.deepEqual(idx.positionAt(at(text, 'two')), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(at(text, 'four')), { line: 3, character: 0 });
  assert.equal(idx.lineText(0), 'one');
  assert.equal(idx.lineText(2), 'three');
});

test('characters count UTF-16 code units: an emoji before a name takes two', () => {
  const text = 'Héllo 👋 Jeremy Corbyn\r\n“Quote” by Zoë Ångström';
  const idx = new LineIndex(text);
  const jeremy = at(text, 'Jeremy');
  assert.deepEqual(idx.positionAt(jeremy), { line: 0, character: 9 });
  const zoe = at(text, 'Zoë');
  const pos = idx.positionAt(zoe);
  assert.equal(pos.line, 1);
  assert.equal(text.split('\r\n')[1].slice(pos.character, pos.character + 3), 'Zoë');
});

test('every offset round-trips through a position', () => {
  const text = '\u{1F600}a\r\nb\rc\n\n€d👍e\r';
  const idx = new LineIndex(text);
  for (let o = 0; o <= text.length; o++) {
    const p = idx.positionAt(o);
    const back = idx.offsetAt(p);
    // An offset between \r and \n has no position of its own; it maps to the end of its line.
    if (text[o - 1] === '\r' && text[o] === '\n') assert.equal(back, o - 1);
    else assert.equal(back, o, `offset ${o} → ${JSON.stringify(p)} → ${back}`);
  }
});

test('positions past a line end or the document are clamped', () => {
  const text = 'ab\ncd';
  const idx = new LineIndex(text);
  assert.equal(idx.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(idx.offsetAt({ line: 9, character: 0 }), text.length);
  assert.deepEqual(idx.positionAt(999), { line: 1, character: 2 });
});
