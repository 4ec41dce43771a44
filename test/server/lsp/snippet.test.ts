import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstWords, snippetAround } from '../../../server/src/lsp/snippet';

describe('snippetAround', () => {
  const cases: Array<{ name: string; text: string; anchor: string; width?: number }> = [
    { name: 'short line, whole', text: 'Mrs Okafor spoke.', anchor: 'Okafor' },
    { name: 'long line, cut at words both sides', text: 'word '.repeat(40) + 'Mrs Okafor said ' + 'more '.repeat(40), anchor: 'Okafor', width: 40 },
    { name: 'stays on its line', text: 'First paragraph here.\nThen Okafor spoke.\nNext line.', anchor: 'Okafor' },
    { name: 'at the end of a long line', text: 'x '.repeat(100) + 'Okafor', anchor: 'Okafor', width: 30 },
    { name: 'CRLF', text: 'A line.\r\nOkafor said so.\r\nB', anchor: 'Okafor' },
    { name: 'one huge word', text: 'a'.repeat(5000) + ' Okafor ' + 'b'.repeat(5000), anchor: 'Okafor', width: 60 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const start = c.text.indexOf(c.anchor);
      const s = snippetAround(c.text, start, start + c.anchor.length, c.width);
      assert.equal(s.text.slice(s.span[0], s.span[1]), c.anchor);
      assert.ok(!/[\r\n]/.test(s.text), 'one line');
      assert.ok(s.text.length <= (c.width ?? 80) + 2, `width: ${s.text.length}`);
    });
  }

  test('collapses white space and marks cuts', () => {
    const text = 'one   two\tthree Okafor four five six seven eight nine ten eleven twelve';
    const at = text.indexOf('Okafor');
    const s = snippetAround(text, at, at + 6, 30);
    assert.ok(!/\s\s|\t/.test(s.text));
    assert.ok(s.text.endsWith('…'));
  });

  test('odd spans never throw', () => {
    for (const [a, b] of [[-5, 3], [10, 2], [0, 1000], [1000, 2000]]) {
      const s = snippetAround('short text', a, b);
      assert.ok(s.span[0] <= s.span[1]);
    }
    assert.deepEqual(snippetAround('', 0, 0), { text: '', span: [0, 0] });
  });
});

describe('firstWords', () => {
  test('cuts after n words', () => assert.equal(firstWords('We have no money left for the branch libraries', 4), 'We have no money…'));
  test('keeps short text', () => assert.equal(firstWords('  A sad   day ', 8), 'A sad day'));
  test('a single long word is cut by characters', () => assert.equal(firstWords('x'.repeat(200), 8, 10), 'x'.repeat(10) + '…'));
  test('empty', () => assert.equal(firstWords(''), ''));
});
