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

test('positionsInto gives what positionAt gives, for offsets in any order, out of range too, written from `at`', () => {
  const text = 'one\r\ntwo\nthree\rfour\n\n\u{1F600} five\r\n';
  const idx = new LineIndex(text);
  const offsets: number[] = [];
  // Ascending (a document's mention spans), then descending, then scattered, then before and past the text.
  for (let o = 0; o <= text.length; o++) offsets.push(o);
  for (let o = text.length; o >= 0; o -= 3) offsets.push(o);
  for (let k = 0; k < 50; k++) offsets.push((k * 7919) % (text.length + 1));
  offsets.push(-5, text.length + 10, 0, text.length);
  const out = new Uint32Array(2 * offsets.length + 3);
  out.fill(0xabcd);
  assert.equal(idx.positionsInto(offsets, out, 3), 3 + 2 * offsets.length);
  assert.deepEqual([...out.subarray(0, 3)], [0xabcd, 0xabcd, 0xabcd], 'nothing written before `at`');
  offsets.forEach((o, k) => {
    const p = idx.positionAt(o);
    assert.deepEqual([out[3 + 2 * k], out[4 + 2 * k]], [p.line, p.character], `offset ${o}`);
  });
});

test('positionsInto over a text of one line, an empty text and long runs of empty lines', () => {
  for (const text of ['', 'no breaks at all', '\n'.repeat(300) + 'x', '\r\n'.repeat(100) + '\r'.repeat(100)]) {
    const idx = new LineIndex(text);
    const offsets = Array.from({ length: text.length + 2 }, (_, o) => o);
    const out = new Uint32Array(2 * offsets.length);
    idx.positionsInto(offsets, out, 0);
    offsets.forEach((o, k) => assert.deepEqual([out[2 * k], out[2 * k + 1]], [idx.positionAt(o).line, idx.positionAt(o).character]));
  }
});
