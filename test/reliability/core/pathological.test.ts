// Pathological text: recognition must not throw, must keep its invariants, and must run in linear time. Each case
// runs at the size the issue names (checked against an absolute bound), then at n and 16n (checked by ratio, see
// helpers.assertLinear): a quadratic step shows up as ~256× and fails; noise on a busy machine stays far below 48×.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { CorpusIndex } from '../../../server/src/core/index';
import { assertLinear, assertValid, timed } from '../helpers';

/** Text made of `unit` repeated to about `n` characters. */
const rep = (unit: string) => (n: number) => unit.repeat(Math.max(1, Math.round(n / unit.length)));

/** Distinct capitalised words ("Wab Wac ..."), so that nothing is learnt once and reused. */
const capitalWords = (n: number) => {
  const words: string[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const w = 'W' + (i % 26 === 0 ? 'a' : String.fromCharCode(97 + (i % 26))) + i.toString(36);
    words.push(w);
    len += w.length + 1;
  }
  return words.join(' ');
};

const nested = (n: number) => '('.repeat(n / 2) + 'Mr Smith' + ')'.repeat(n / 2);

interface Case {
  name: string;
  /** The size the issue asks for (characters). */
  size: number;
  make: (n: number) => string;
  /** n of the scaling check (16n is run too). */
  n: number;
}

const CASES: Case[] = [
  { name: '100,000 straight quotation marks', size: 100_000, make: rep('"'), n: 25_000 },
  { name: '100,000 curly quotation marks', size: 100_000, make: rep('\u201c\u201d'), n: 25_000 },
  { name: 'quotation marks between words', size: 200_000, make: rep('"a" '), n: 25_000 },
  { name: 'unbalanced quotes', size: 200_000, make: rep('He said "yes and then he left. '), n: 25_000 },
  { name: 'unbalanced single quotes and apostrophes', size: 200_000, make: rep("'Smith's 'men' ' said '"), n: 25_000 },
  { name: '50,000 capitalised words in a row (one word repeated)', size: 50_000 * 6, make: rep('Alpha '), n: 20_000 },
  { name: '50,000 distinct capitalised words in a row', size: 50_000 * 8, make: capitalWords, n: 20_000 },
  { name: '"Mr Mr Mr …"', size: 300_000, make: rep('Mr '), n: 20_000 },
  { name: '"Mr. Mr. Dr. Sir …" titles only', size: 300_000, make: rep('Mr. Dr. Sir Lord '), n: 20_000 },
  { name: 'a 1 MB word', size: 1_000_000, make: (n) => 'a'.repeat(n), n: 62_500 },
  { name: 'a 1 MB capitalised word', size: 1_000_000, make: (n) => 'A' + 'b'.repeat(n - 1), n: 62_500 },
  { name: 'a 1 MB all-capitals word in brackets', size: 1_000_000, make: (n) => 'Alpha (' + 'A'.repeat(n) + ')', n: 62_500 },
  { name: 'deeply nested brackets', size: 200_000, make: nested, n: 12_500 },
  { name: 'nested brackets with names', size: 200_000, make: rep('(Labour Party ('), n: 12_500 },
  { name: 'acronym definitions, repeated', size: 200_000, make: rep('Alpha Beta Company (ABC) '), n: 12_500 },
  { name: 'reverse acronym definitions', size: 200_000, make: rep('the ABC (Alpha Beta Company) '), n: 12_500 },
  { name: 'speech verbs and colons without quotes', size: 200_000, make: rep('Smith said: "'), n: 12_500 },
  { name: 'only newlines', size: 400_000, make: rep('\n'), n: 25_000 },
  { name: 'only CR', size: 400_000, make: rep('\r'), n: 25_000 },
  { name: 'a sentence with no spaces (punctuation soup)', size: 300_000, make: rep('.,;:!?-—()[]{}'), n: 20_000 },
  { name: 'handles and hashtags', size: 200_000, make: rep('@Someone #Tag @ # '), n: 12_500 },
  { name: 'emoji and surrogates between names', size: 200_000, make: rep('😀 Jane Doe 👍🏽 '), n: 12_500 },
  { name: 'lone surrogates', size: 100_000, make: rep('\ud800 Smith \udc00 '), n: 6_250 },
  { name: 'one very long paragraph of news', size: 400_000, make: rep('Jane Doe, the chair of Acme Holdings, said "we will go on". '), n: 25_000 },
];

describe('pathological text: no exception, invariants kept, linear time', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const text = c.make(c.size);
      assert.ok(text.length >= c.size * 0.9, `fixture is ${text.length} characters`);
      const { value, ms } = timed(() => analyzeDocument(text));
      assertValid(text, value, c.name);
      // Absolute: linear recognition runs at well over 100 KB/s even on a loaded CI machine.
      assert.ok(ms < 30_000, `${c.name}: ${text.length} characters took ${ms.toFixed(0)} ms`);
      assertLinear(c.name, c.make, (t) => void analyzeDocument(t), { n: c.n });
    });
  }

  test('the index keeps pathological documents (and queries on them answer)', () => {
    const index = new CorpusIndex();
    for (const c of CASES.slice(0, 8)) index.setDocument(c.name, c.make(20_000));
    for (const doc of index.documents()) {
      const text = index.text(doc)!;
      for (const at of [0, text.length >> 1, text.length]) {
        index.mentionAt(doc, at);
        index.quoteAt(doc, at);
      }
    }
    index.entities();
    index.search('mr');
    assert.equal(index.stats().documents, 8);
  });
});
