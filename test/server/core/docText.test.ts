import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DocText } from '../../../server/src/core/docText';
import { LineIndex } from '../../../server/src/core/positions';

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
