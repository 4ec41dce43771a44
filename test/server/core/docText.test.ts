import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DocText } from '../../../server/src/core/docText';
import { LineIndex, lineBreaks } from '../../../server/src/core/positions';

// Pieces that stress the UTF-16 ↔ UTF-8 mapping: multi-byte characters, surrogate pairs, every line break, and
// runs long enough to need checkpoints inside a line.
const pieces = ['a', 'Jeremy ', 'é', '“', '”', '’', '—', '👍', '\u{1F600}', '\r\n', '\n', '\r', '\n\r', 'x'.repeat(700), 'ü'.repeat(400)];
const texts = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join(''));

test('slices equal the string’s, whatever characters and line breaks precede them (property)', () => {
  fc.assert(
    fc.property(texts, fc.nat(), fc.nat(), (text, a, b) => {
      const d = DocText.of(text);
      assert.equal(d.length, text.length);
      assert.equal(d.toString(), text);
      const s = text.length ? a % (text.length + 1) : 0;
      const e = text.length ? b % (text.length + 1) : 0;
      assert.equal(d.slice(Math.min(s, e), Math.max(s, e)), text.slice(Math.min(s, e), Math.max(s, e)));
      for (let i = 0; i < text.length; i += 97) assert.equal(d.slice(i, i + 3), text.slice(i, i + 3));
    }),
  );
});

test('its lines are the string’s: every position, offset and line text agree (property)', () => {
  fc.assert(
    fc.property(texts, (text) => {
      const fromBytes = new LineIndex(DocText.of(text));
      const fromString = new LineIndex(text);
      assert.equal(fromBytes.lineCount, fromString.lineCount);
      for (let o = 0; o <= text.length; o++) assert.deepEqual(fromBytes.positionAt(o), fromString.positionAt(o));
      for (let l = 0; l < fromString.lineCount; l++) {
        assert.equal(fromBytes.lineText(l), fromString.lineText(l));
        assert.equal(fromBytes.lineLength(l), fromString.lineText(l).length);
        for (const character of [0, 1, 5, 10_000]) assert.equal(fromBytes.offsetAt({ line: l, character }), fromString.offsetAt({ line: l, character }));
      }
    }),
  );
});

test('a text with a lone surrogate (which UTF-8 cannot hold) is kept exactly', () => {
  const text = 'Corbyn said \ud83d “no”.\nNext \udc00 line';
  const d = DocText.of(text);
  assert.equal(d.toString(), text);
  assert.equal(d.slice(12, 13), '\ud83d');
  assert.equal(new LineIndex(d).lineText(1), 'Next \udc00 line');
});

test('English text with curly quotes costs about a byte per character', () => {
  const text = '“We will not back down,” said Jeremy Corbyn. ’Twas ever thus.\n'.repeat(200);
  const d = DocText.of(text);
  assert.ok(d.byteSize < text.length * 1.1, `${d.byteSize} bytes for ${text.length} characters`);
});

test('without the text (fetched on demand), its lines, slices and text are the string’s (property)', () => {
  fc.assert(
    fc.property(texts, fc.nat(), (text, a) => {
      const d = DocText.of(text, () => text);
      const fromString = new LineIndex(text);
      const lean = new LineIndex(d);
      assert.equal(lean.lineCount, fromString.lineCount);
      for (let l = 0; l < fromString.lineCount; l++) assert.equal(lean.lineText(l), fromString.lineText(l));
      for (let o = 0; o <= text.length; o += 13) assert.deepEqual(lean.positionAt(o), fromString.positionAt(o));
      const s = text.length ? a % (text.length + 1) : 0;
      assert.equal(d.slice(s, s + 20), text.slice(s, s + 20));
      assert.equal(d.text(), text);
    }),
  );
});

test('without the text, a text given back that moved or changed length is not sliced', () => {
  const text = 'Mr Corbyn said: “We will win.”\nThe end of the report, in a second line.';
  for (const changed of ['X' + text.slice(0, -1), text.slice(1) + 'X', text + '!', text.slice(3), '']) {
    const d = DocText.of(text, () => changed);
    assert.equal(d.text(), undefined, changed);
    assert.equal(d.slice(0, 9), '');
    // Positions need no text.
    assert.deepEqual(new LineIndex(d).positionAt(text.length), { line: 1, character: text.length - text.indexOf('\n') - 1 });
  }
});

test('one fetch function serves many documents: each asks for its own key', () => {
  const files = new Map([
    ['/a.txt', 'Alpha said: “one”.\nSecond line.'],
    ['/b.txt', 'Beta replied, in another text of another length.'],
  ]);
  const asked: string[] = [];
  const fetch = (key: string) => {
    asked.push(key);
    return files.get(key);
  };
  const a = DocText.of(files.get('/a.txt')!, fetch, '/a.txt');
  const b = DocText.of(files.get('/b.txt')!, fetch, '/b.txt');
  assert.equal(b.slice(0, 4), 'Beta');
  assert.equal(a.slice(0, 5), 'Alpha');
  assert.equal(a.text(), files.get('/a.txt'));
  assert.deepEqual([...new Set(asked)].sort(), ['/a.txt', '/b.txt']);
  // A key the host no longer knows: no text, and no other document's text either.
  const gone = DocText.of('Gamma.', fetch, '/c.txt');
  assert.equal(gone.text(), undefined);
  assert.equal(gone.slice(0, 3), '');
});

test('a fetched text keeps its line table as a place in a slab: views only once positions are asked for', () => {
  const text = 'First line.\r\nSecond “line”.\nThird.';
  const d = DocText.of(text, () => text);
  const parts = d as unknown as { views?: unknown; lineTable?: { starts: Uint32Array; ends: Uint32Array } };
  assert.equal(d.hasLines, true);
  assert.equal(parts.views, undefined);
  // What the snapshot reads: the table as views, made for it and not kept.
  const t = parts.lineTable!;
  assert.deepEqual([...t.starts], [0, 13, 28]);
  assert.deepEqual([...t.ends], [11, 27, text.length]);
  assert.equal(parts.views, undefined);
  assert.deepEqual(new LineIndex(d).positionAt(text.indexOf('Third')), { line: 2, character: 0 });
  assert.equal(d.starts, d.starts, 'views are kept once made: LineIndex reads them on every call');
  assert.deepEqual([...d.ends], [...t.ends]);
  // A table given back (a restore) is the one used.
  const given = { starts: new Uint32Array([0, 5]), ends: new Uint32Array([4, 9]) };
  parts.lineTable = given;
  assert.equal(d.starts, given.starts);
  assert.equal(parts.lineTable, given);
});

test('line tables share memory: one array per table, cut from slabs shared between documents', () => {
  const tables = Array.from({ length: 50 }, (_, i) => DocText.of(`Line ${i}.\nAnother line.\r\nA third.`, () => undefined));
  for (const d of tables) assert.equal(d.starts.buffer, d.ends.buffer);
  assert.ok(new Set(tables.map((d) => d.starts.buffer)).size <= 2);
  const held = DocText.of('One.\nTwo “curly”.\n');
  assert.equal(held.starts.buffer, held.ends.buffer);
});

test('a fetched text whose line breaks are one character keeps only its starts; its ends are worked out', () => {
  const texts = ['One.\nTwo “curly”.\n\nFour.', 'Lone\rcarriage\rreturns.', 'No break at all.', '', '\n\n'];
  for (const text of texts) {
    const before = DocText.of('x\r\ny\r\nz', () => undefined); // both columns: \r\n is two characters
    const d = DocText.of(text, () => text);
    const after = DocText.of('x\r\ny\r\nz', () => undefined);
    const lean = d.byteSize;
    const expected = lineBreaks(text);
    const parts = d as unknown as { lineTable?: { starts: Uint32Array; ends: Uint32Array } };
    // The snapshot's copy, then the views positions use, then the kept views again: all the string's table.
    assert.deepEqual([...parts.lineTable!.starts], [...expected.starts], text);
    assert.deepEqual([...parts.lineTable!.ends], [...expected.ends], text);
    assert.deepEqual([...d.starts], [...expected.starts], text);
    assert.deepEqual([...d.ends], [...expected.ends], text);
    assert.deepEqual([...d.ends], [...expected.ends], text);
    assert.equal(lean, expected.starts.length * 4, 'four bytes a line');
    // Its half of the slab was given back: the next table starts right after its starts.
    if (before.starts.buffer === after.starts.buffer) assert.equal(after.starts.byteOffset, before.ends.byteOffset + before.ends.byteLength + 4 * expected.starts.length, text);
    for (let o = 0; o <= text.length; o++) assert.deepEqual(new LineIndex(d).positionAt(o), new LineIndex(text).positionAt(o));
  }
});
