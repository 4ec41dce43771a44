// Pathological text: recognition must not throw, must keep its invariants, and must run in linear time. Each case
// runs at size/8 and at the size the issue names (helpers.assertLinear): a quadratic step shows up as ~64× and fails,
// noise on a busy machine stays far below the 24× allowed; the big run also has an absolute bound.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { CorpusIndex } from '../../../server/src/core/index';
import { assertLinear, assertValid } from '../helpers';

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
}

const CASES: Case[] = [
  { name: '100,000 straight quotation marks', size: 100_000, make: rep('"') },
  { name: '100,000 curly quotation marks', size: 100_000, make: rep('\u201c\u201d') },
  { name: 'quotation marks between words', size: 200_000, make: rep('"a" ') },
  { name: 'unbalanced quotes', size: 200_000, make: rep('He said "yes and then he left. ') },
  { name: 'unbalanced single quotes and apostrophes', size: 200_000, make: rep("'Smith's 'men' ' said '") },
  { name: '50,000 capitalised words in a row (one word repeated)', size: 50_000 * 6, make: rep('Alpha ') },
  { name: '50,000 distinct capitalised words in a row', size: 50_000 * 8, make: capitalWords },
  { name: '"Mr Mr Mr …"', size: 300_000, make: rep('Mr ') },
  { name: '"Mr. Mr. Dr. Sir …" titles only', size: 300_000, make: rep('Mr. Dr. Sir Lord ') },
  { name: 'a 1 MB word', size: 1_000_000, make: (n) => 'a'.repeat(n) },
  { name: 'a 1 MB capitalised word', size: 1_000_000, make: (n) => 'A' + 'b'.repeat(n - 1) },
  { name: 'a 1 MB all-capitals word in brackets', size: 1_000_000, make: (n) => 'Alpha (' + 'A'.repeat(n) + ')' },
  { name: 'deeply nested brackets', size: 200_000, make: nested },
  { name: 'nested brackets with names', size: 200_000, make: rep('(Labour Party (') },
  { name: 'acronym definitions, repeated', size: 200_000, make: rep('Alpha Beta Company (ABC) ') },
  { name: 'reverse acronym definitions', size: 200_000, make: rep('the ABC (Alpha Beta Company) ') },
  { name: 'many short quotations on one line', size: 200_000, make: rep('"a b" ') },
  { name: 'pronoun attributions on one line without full stops', size: 80_000, make: rep('he said "a" ') },
  { name: 'definite descriptors after many quotations', size: 200_000, make: rep('the member said "a b". Mr Smith. ') },
  { name: 'office holders after many mentions', size: 200_000, make: rep('the leader said "a b c". Mr John Smith went. ') },
  { name: 'speech verbs and colons without quotes', size: 200_000, make: rep('Smith said: "') },
  { name: 'only newlines', size: 400_000, make: rep('\n') },
  { name: 'only CR', size: 400_000, make: rep('\r') },
  { name: 'a sentence with no spaces (punctuation soup)', size: 300_000, make: rep('.,;:!?-—()[]{}') },
  { name: 'handles and hashtags', size: 200_000, make: rep('@Someone #Tag @ # ') },
  { name: 'emoji and surrogates between names', size: 200_000, make: rep('😀 Jane Doe 👍🏽 ') },
  { name: 'lone surrogates', size: 100_000, make: rep('\ud800 Smith \udc00 ') },
  { name: 'one very long paragraph of news', size: 400_000, make: rep('Jane Doe, the chair of Acme Holdings, said "we will go on". ') },
];

const timings: string[] = [];

describe('pathological text: no exception, invariants kept, linear time', () => {
  after(() => {
    if (process.env.CN_RELIABILITY_VERBOSE) console.log(timings.join('\n'));
  });
  for (const c of CASES) {
    test(c.name, () => {
      // The size is the big run of the scaling check; its result must keep every invariant.
      const r = assertLinear(c.name, c.make, (t) => analyzeDocument(t), { n: Math.round(c.size / 8), factor: 8, maxMs: 30_000 });
      assert.ok(r.big.length >= c.size * 0.9, `fixture is ${r.big.length} characters`);
      assertValid(r.big, r.result, c.name);
      timings.push(`${c.name}: ${r.big.length} chars ${r.bigMs.toFixed(0)} ms (×${r.ratio.toFixed(1)} for 8× input)`);
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
