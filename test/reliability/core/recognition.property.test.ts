// Property tests of recognition (fast-check prints the seed and the shrunk counterexample of any failure; replay one
// with CN_FC_SEED=<seed>). On any input: no exception; every mention and quote in bounds with text === slice(start,
// end); mentions sorted and not overlapping; speaker and role indices valid; the same result twice (deterministic).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { decodeText } from '../../../server/src/core/text';
import { nlpSentences, violations } from '../helpers';

/** Runs per property; the whole file stays within a few seconds on a loaded machine. */
export const RUNS = { bytes: 300, unicode: 300, sentences: 200, mixes: 400 };

const params = (numRuns: number): fc.Parameters<unknown> => {
  const seed = process.env.CN_FC_SEED ? Number(process.env.CN_FC_SEED) : undefined;
  return { numRuns, ...(seed !== undefined ? { seed } : {}) };
};

/** Holds when analysis keeps every invariant and is deterministic. */
function sound(text: string): boolean {
  const a = analyzeDocument(text);
  const v = violations(text, a);
  if (v.length) throw new Error(`${v.slice(0, 3).join('; ')}\ntext: ${JSON.stringify(text.slice(0, 300))}`);
  const b = analyzeDocument(text);
  assert.deepEqual(b, a, 'analysis is not deterministic');
  return true;
}

const SENTENCES = nlpSentences(4000);

/** Pieces that stress quotation pairing, brackets, titles, acronyms, capitals and line breaks. */
const PIECES = [
  '"', '“', '”', "'", '‘', '’', '«', '»', '(', ')', '[', ']', '{', '}', ':', ',', '.', '!', '?', '—', '-', '…',
  ' ', ' ', ' ', '\n', '\n\n', '\r\n', '\r', '\t', '\u00a0', '\ufeff', '😀', '👍🏽', '\ud800', 'é',
  'Mr', 'Mrs', 'Ms', 'Dr', 'Sir', 'Lord', 'Dame', 'Baroness', 'of', 'the', 'The', 'and', 'said', 'told', 'says',
  'according to', 'he', 'she', 'they', 'it', 'a spokesman for', 'one member',
  'Jane', 'Doe', 'Jane Doe', "Doe's", 'Okafor', 'Margaret', 'Acme', 'Acme Holdings', 'Council', 'Party', 'Union',
  'ACME', 'NHS', 'BBC', 'JLM', '(ACME)', 'Acme Corporation Media Enterprises (ACME)', '@janedoe', '#tag', 'http://x.org',
  'IT', 'US', 'I', 'A', 'UK', 'Labour', 'Monday', 'January', 'London',
];

describe('recognition properties', () => {
  test(`random bytes, decoded as a file would be (${RUNS.bytes} runs)`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const d = decodeText(bytes);
        if (!d.ok) return typeof d.reason === 'string' && d.reason.length > 0;
        return sound(d.text);
      }),
      params(RUNS.bytes),
    );
  });

  test(`random Unicode strings, any code point including lone surrogates (${RUNS.unicode} runs)`, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 600 }), sound), params(RUNS.unicode));
  });

  test(`random sentences of nlp-corpus, with line breaks and quotation marks (${RUNS.sentences} runs)`, () => {
    assert.ok(SENTENCES.length > 1000, 'nlp-corpus sentences are available');
    const sentence = fc.integer({ min: 0, max: SENTENCES.length - 1 }).map((i) => SENTENCES[i]);
    const decorated = fc.tuple(sentence, fc.constantFrom('', '"', '“', "'"), fc.constantFrom(' ', '\n', '\n\n', '\r\n', ' said Jane Doe. ', ', he said. '));
    fc.assert(
      fc.property(fc.array(decorated, { minLength: 1, maxLength: 25 }), (parts) => sound(parts.map(([s, q, sep]) => q + s + q + sep).join(''))),
      params(RUNS.sentences),
    );
  });

  test(`mixes of quotes, brackets, capitals, titles and line breaks (${RUNS.mixes} runs)`, () => {
    const piece = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    );
    const glue = fc.constantFrom(' ', '', ' ', '\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, glue), { maxLength: 120 }), (parts) => sound(parts.map(([p, g]) => p + g).join(''))),
      params(RUNS.mixes),
    );
  });
});
