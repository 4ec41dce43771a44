import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentClaims, takeClaims } from '../../../server/src/core/aliases';
import { AnalysisReader, decodeAnalyses, encodeAnalyses } from '../../../server/src/node/analysisCodec';
import { fakeAnalyse } from '../../fixtures/node/fakeAnalyse';

const texts = [
  'Mr Smith met Jones at the NCC. "We are ready," Smith said, and "and more" followed from the BBC.',
  '',
  '"Nobody", a spokesman said. Curly “quotes” and Zoë Ünal with a 😀 emoji, and an ACRONYM.',
  'plain lower-case text with no names at all',
];

test('a batch of analyses survives encoding and decoding exactly', () => {
  const analyses = texts.map(fakeAnalyse);
  const enc = encodeAnalyses(analyses);
  assert.deepEqual(decodeAnalyses(enc, texts), analyses);
});

test('the encoding is columnar: typed arrays and one table of distinct strings', () => {
  const analyses = texts.map(fakeAnalyse);
  const enc = encodeAnalyses(analyses);
  assert.ok(enc.ints instanceof Int32Array);
  assert.ok(enc.floats instanceof Float64Array);
  assert.equal(enc.floats.length, analyses.reduce((n, a) => n + a.mentions.length, 0));
  assert.equal(new Set(enc.strings).size, enc.strings.length);
  assert.ok(!enc.strings.includes(texts[0].slice(analyses[0].quotes[0].start, analyses[0].quotes[0].end)), 'quote text is re-sliced, not stored');
});

test('a reader can skip documents and start at a remembered position', () => {
  const analyses = texts.map(fakeAnalyse);
  const reader = new AnalysisReader(encodeAnalyses(analyses));
  const positions = texts.map(() => {
    const p = reader.position;
    reader.skip();
    return p;
  });
  const again = new AnalysisReader(encodeAnalyses(analyses));
  assert.deepEqual(again.at(positions[2]).next(texts[2]), analyses[2]);
  assert.deepEqual(again.at(positions[0]).next(texts[0]), analyses[0]);
});

test('forms outside the known set and absent optional fields round-trip', () => {
  const text = 'Someone';
  const a = {
    mentions: [{ start: 0, end: 7, text, type: 'person' as const, form: 'nickname' as never, name: 'Someone', rule: 'r', confidence: 1 / 3 }],
    quotes: [{ start: 0, end: 0, text: '' }, { start: 0, end: 4, text: 'Some', continued: false, speaker: { rule: 'none' } }],
    roles: [],
    problems: [{ message: 'm' }],
  };
  assert.deepEqual(decodeAnalyses(encodeAnalyses([a]), [text]), [a]);
});

test('alias claims travel with their analyses and come back attached to the decoded objects, once', () => {
  const analyses = texts.map(fakeAnalyse);
  const claims = analyses.map((a, i) => (i === 1 ? undefined : documentClaims(a)));
  const enc = encodeAnalyses(analyses, claims);
  const reader = new AnalysisReader(enc);
  texts.forEach((t, i) => {
    const a = reader.next(t);
    assert.deepEqual(a, analyses[i], 'the analysis itself is unchanged');
    assert.deepEqual(reader.lastClaims, claims[i]);
    const taken = takeClaims(a);
    if (claims[i] === undefined) return assert.equal(taken, undefined);
    assert.deepEqual(taken?.claims, claims[i]);
    assert.equal(taken?.slicedFrom, t, 'the spans were sliced from this text');
    assert.equal(takeClaims(a), undefined, 'taken once, not kept');
  });
  const skipping = new AnalysisReader(enc);
  skipping.skip();
  skipping.skip();
  assert.deepEqual(skipping.next(texts[2]), analyses[2], 'skip steps over the claims too');
});
