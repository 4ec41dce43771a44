import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QuoteWords } from '../../../server/src/core/quoteWords';

/** The reduction QuoteWords stands for, with strings. */
const reduce = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const containsByStrings = (u: string, t: string) => u === t || (u.length > t.length && (' ' + u + ' ').includes(' ' + t + ' '));

/** QuoteWords over the texts laid end to end, as quotations in one document. */
function words(texts: string[]) {
  const spans: Array<{ start: number; end: number }> = [];
  let doc = '';
  for (const t of texts) {
    doc += '<';
    spans.push({ start: doc.length, end: doc.length + t.length });
    doc += t + '>';
  }
  return new QuoteWords(doc, spans);
}

const SAMPLES = [
  'We will not back down',
  'we will NOT back down!',
  '“We will not back down,” she said, and we will not back down again.',
  'not back',
  'back down',
  'will not back down again',
  'Café society',
  'cafe\u0301 society', // combining mark: not a letter, so a word break
  'İstanbul İSTANBUL',
  'ΣΟΦΙΑΣ σοφίας',
  'ΟΔΟΣ οδος',
  '𝐁old 𝐁old', // astral letters
  '😀 emoji 😀',
  '\ud800 lone surrogate',
  'Straße STRASSE',
  'ǅemal ǅ',
  '  ',
  '',
  '— … ’ ‘ « »',
  '1,000 jobs £5m 2nd',
  'Ⅻ Ⅻ numbers ² ½',
  'ﬁnance ﬀ',
  'Σ',
  'word',
  'two words',
  // Characters that lower-case to ASCII: the Kelvin sign, and İ ("i" + a combining dot, which ends a word).
  'the \u212aing said',
  'king said',
  'İstanbul calling',
  'i stanbul',
  'ISTANBUL CALLING',
  'stanbul calling',
  'XİY x',
  'xi y',
  'Deal worth 4BN pounds',
  'worth 4bn',
  'dOwN we go',
  'down we',
];

describe('QuoteWords', () => {
  it('decides containment as the string reduction does, including text that needs the slow path', () => {
    const w = words(SAMPLES);
    for (let i = 0; i < SAMPLES.length; i++) {
      const t = reduce(SAMPLES[i]!);
      assert.equal(w.severalWords(i), t.split(' ').length >= 2, `several words: ${SAMPLES[i]}`);
      for (let j = 0; j < SAMPLES.length; j++) {
        const expected = containsByStrings(reduce(SAMPLES[j]!), t);
        assert.equal(w.contains(j, i), expected, `${SAMPLES[j]} ⊇ ${SAMPLES[i]}`);
        // A fresh instance: the candidate not reduced yet, so the raw-text sieve decides first.
        assert.equal(words(SAMPLES).contains(j, i), expected, `sieved: ${SAMPLES[j]} ⊇ ${SAMPLES[i]}`);
      }
    }
  });

  it('finds a headline quotation inside a longer one only at word boundaries', () => {
    const w = words(['not back down', 'We will not back down.', 'We will not backdown', 'cannot back down']);
    assert.equal(w.contains(1, 0), true);
    assert.equal(w.contains(2, 0), false);
    assert.equal(w.contains(3, 0), false);
    assert.equal(w.contains(0, 1), false);
  });

  it('hands its buffer on: an instance made after release() starts clean', () => {
    const a = words(['one two three', 'two three']);
    assert.equal(a.contains(0, 1), true);
    a.release();
    const b = words(['four five', 'one two']);
    assert.equal(b.contains(0, 1), false);
    assert.equal(b.contains(1, 1), true);
  });

  it('grows its buffer for long texts', () => {
    const long = 'lorem ipsum '.repeat(2000);
    const w = words([long + 'dolor sit', 'ipsum dolor', 'sit amet']);
    assert.equal(w.contains(0, 1), true);
    assert.equal(w.contains(0, 2), false);
  });
});
