import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentClaims, takeClaims } from '../../../server/src/core/aliases';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { AnalysisEncoder, AnalysisReader, decodeAnalyses, encodeAnalyses, joinStrings, StringList } from '../../../server/src/node/analysisCodec';
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

test('encoding a document at a time gives the batch encodeAnalyses gives, and strings continue across batches', () => {
  const analyses = texts.map(fakeAnalyse);
  const claims = analyses.map((a, i) => (i === 1 ? undefined : documentClaims(a)));
  const whole = encodeAnalyses(analyses, claims);
  const encoder = new AnalysisEncoder();
  analyses.forEach((a, i) => encoder.add(a, claims[i]));
  assert.deepEqual(encoder.finish(), whole);

  // Through a sender's list: the second batch carries only strings the first did not, and decodes the same.
  const list = new StringList();
  const first = encodeAnalyses(analyses.slice(0, 2), claims.slice(0, 2), list);
  const second = new AnalysisEncoder(list);
  analyses.slice(2).forEach((a, i) => second.add(a, claims[2 + i]));
  const enc2 = second.finish();
  assert.equal(enc2.base, first.strings.length);
  for (const s of enc2.strings) assert.ok(!first.strings.includes(s), `${s} crossed twice`);
  let received: string[] = [];
  received = joinStrings(first, received)!;
  received = joinStrings(enc2, received)!;
  const reader = new AnalysisReader(enc2);
  assert.deepEqual(reader.next(texts[2]), analyses[2]);
  assert.deepEqual(reader.lastClaims, claims[2]);
});

test('encoders one after another, a large batch, an abandoned one, a small one: each batch has exactly its own rows', () => {
  const analyses = texts.map(fakeAnalyse);
  const claims = analyses.map((a) => documentClaims(a));
  // Expected batches, each encoded on its own.
  const small = encodeAnalyses(analyses.slice(0, 1), claims.slice(0, 1));
  // A large batch grows the rows well past their first size; then a small batch, then one abandoned half-way, then
  // the small one again: each comes out exactly as on its own, with nothing of an earlier batch in it.
  const many = Array.from({ length: 300 }, (_, i) => analyses[i % analyses.length]);
  const manyClaims = Array.from({ length: 300 }, (_, i) => claims[i % claims.length]);
  const big = encodeAnalyses(many, manyClaims);
  assert.ok(big.ints.length > 4096);
  assert.deepEqual(decodeAnalyses(big, many.map((_, i) => texts[i % texts.length])), many);
  assert.deepEqual(encodeAnalyses(analyses.slice(0, 1), claims.slice(0, 1)), small);
  const dropped = new AnalysisEncoder();
  for (let k = 0; k < 50; k++) dropped.add(analyses[2], claims[2]);
  dropped.abandon();
  const again = encodeAnalyses(analyses.slice(0, 1), claims.slice(0, 1));
  assert.deepEqual(again, small);
  assert.equal(again.ints.length, small.ints.length, 'rows at their exact length');
  // A batch given out is not written to by the next encoder.
  const before = Int32Array.from(again.ints);
  encodeAnalyses(many, manyClaims);
  assert.deepEqual(again.ints, before);
});

test("claims whose rows repeat a key, as the same string or an equal one, keep one id per distinct string", () => {
  const text = 'Smith met Smith and Smith. Jones too.';
  const analysis = fakeAnalyse(text);
  const n = analysis.mentions.length;
  assert.ok(n >= 3);
  const copy = (s: string) => JSON.parse(JSON.stringify(s)) as string;
  const key = 'person|n|john smith';
  const lk = 'fam|person|smith';
  const local = Array.from({ length: n }, (_, k) => (k === n - 1 ? undefined : k === 1 ? copy(key) : key));
  const lookup = Array.from({ length: n }, (_, k) => (k === 0 ? undefined : k % 2 ? lk : 'giv|person|john'));
  const contributions: Array<[string, string, number]> = [[lk, key, 2], [copy(lk), 'person|n|jane smith', 1], ['giv|person|john', key, 1], [lk, 'person|n|ann smith', 3]];
  const claims = { local, lookup, contributions, ranks: new Uint8Array(n).fill(1) };
  const list = new StringList();
  // Each string of a second batch was sent by the first: the second refers to them and sends none.
  const first = encodeAnalyses([analysis], [claims], list);
  const second = encodeAnalyses([analysis], [{ ...claims, local: [...local].reverse(), lookup: [...lookup].reverse() }], list);
  assert.equal(second.strings.length, 0);
  for (const s of [key, lk, 'giv|person|john', 'person|n|jane smith', 'person|n|ann smith']) assert.equal(first.strings.filter((x) => x === s).length, 1, s);
  let received: string[] = [];
  received = joinStrings(first, received)!;
  const reader = new AnalysisReader(first);
  assert.deepEqual(reader.next(text), analysis);
  assert.deepEqual(reader.lastClaims, claims);
  received = joinStrings(second, received)!;
  const again = new AnalysisReader(second);
  again.next(text);
  assert.deepEqual(again.lastClaims!.local, [...local].reverse());
  assert.deepEqual(again.lastClaims!.lookup, [...lookup].reverse());
});

test('a batch abandoned leaves no strings in the list, so the next batch sends them', () => {
  const analyses = texts.map(fakeAnalyse);
  const list = new StringList();
  const dropped = new AnalysisEncoder(list);
  dropped.add(analyses[0]);
  dropped.abandon();
  assert.equal(list.ids.size, 0);
  const enc = encodeAnalyses([analyses[0]], undefined, list);
  assert.equal(enc.base, 0);
  assert.deepEqual(new AnalysisReader({ ...enc, base: undefined }).next(texts[0]), analyses[0]);
});

test('claims that do not fit their analysis are not sent (the receiver computes them again)', () => {
  const a = fakeAnalyse(texts[0]);
  // Claims for a different number of mentions are not sent (the receiver computes them), the rest is.
  const enc = encodeAnalyses([a], [{ local: [], lookup: [], contributions: [], ranks: new Uint8Array(0) }]);
  const reader = new AnalysisReader(enc);
  assert.deepEqual(reader.next(texts[0]), a);
  assert.equal(reader.lastClaims, undefined);
});

test("the sender's string list does not keep the documents its strings were sliced from", () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const list = new StringList();
  gc();
  const before = v8.getHeapStatistics().used_heap_size;
  let docs: string[] | undefined = Array.from({ length: 60 }, (_, i) => `${'Name'.repeat(8)} ${i} `.repeat(40_000));
  for (let i = 0; i < docs.length; i++) {
    const name = docs[i].slice(0, 40 + (i % 7)); // a sliced string: it refers to the whole ~1.5 MB document
    const a = { mentions: [{ start: 0, end: name.length, text: name, type: 'person' as const, form: 'full' as const, name, rule: 'r', confidence: 1 }], quotes: [], roles: [], problems: [] };
    encodeAnalyses([a], undefined, list);
  }
  docs = undefined;
  gc();
  gc();
  const grown = v8.getHeapStatistics().used_heap_size - before;
  assert.ok(list.ids.size >= 7);
  assert.ok(grown < 20 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MB: the list keeps the documents`);
});

test("alias claims' strings, which a list keeps as they are, keep no document alive (nor does the alias memo)", () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const list = new StringList();
  gc();
  const before = v8.getHeapStatistics().used_heap_size;
  let docs: string[] | undefined = Array.from({ length: 60 }, (_, i) => `${'!'.repeat(8 + (i % 30))} ${'?'.repeat(8 + Math.floor(i / 30))} `.repeat(40_000));
  for (let i = 0; i < docs.length; i++) {
    // Names that normalisation leaves as they are (no letters or digits, a lower-case family name): their group and
    // lookup keys would be built on slices of the ~1 MB document unless copied once, where they are made.
    const full = docs[i].slice(0, docs[i].indexOf(' ', 8 + (i % 30) + 1));
    const family = `featherstonehaugh${'abcdefghij'[i % 10]}${'abcdefghij'[Math.floor(i / 10)]}`;
    const doc = docs[i] + family;
    docs[i] = doc;
    const at = doc.length - family.length;
    const a = {
      mentions: [
        { start: 0, end: full.length, text: full, type: 'person' as const, form: 'full' as const, name: doc.slice(0, full.length), rule: 'r', confidence: 1 },
        { start: at, end: doc.length, text: doc.slice(at), type: 'person' as const, form: 'family' as const, name: doc.slice(at), rule: 'r', confidence: 1 },
      ],
      quotes: [],
      roles: [],
      problems: [],
    };
    const claims = documentClaims(a);
    assert.ok(claims.local[0]?.startsWith('person|n:!!!!!!!!'), 'the name is a group of its own');
    encodeAnalyses([a], [claims], list);
  }
  docs = undefined;
  gc();
  gc();
  const grown = v8.getHeapStatistics().used_heap_size - before;
  assert.ok(list.ids.size >= 120);
  assert.ok(grown < 20 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MB: claims' strings keep the documents`);
});

test('with a list, each string is numbered once across batches, and a batch abandoned after others resends only its own', () => {
  const analyses = texts.map(fakeAnalyse);
  const claims = analyses.map((a) => documentClaims(a));
  const list = new StringList();
  let received: string[] = [];
  const first = encodeAnalyses([analyses[0]], [claims[0]], list);
  received = joinStrings(first, received)!;
  // The same document again: every string is known, so nothing new crosses and the rows name the same ids.
  const again = encodeAnalyses([analyses[0]], [claims[0]], list);
  assert.deepEqual(again.strings, []);
  assert.deepEqual(again.ints, first.ints);
  received = joinStrings(again, received)!;
  // A batch that is abandoned: its new strings leave the list, the strings of earlier batches keep their ids.
  const dropped = new AnalysisEncoder(list);
  dropped.add(analyses[2], claims[2]);
  dropped.add(analyses[0], claims[0]);
  dropped.abandon();
  assert.equal(list.ids.size, received.length);
  const third = encodeAnalyses([analyses[2], analyses[0]], [claims[2], claims[0]], list);
  assert.equal(third.base, received.length);
  for (const s of third.strings) assert.ok(!received.includes(s), `${s} crossed twice`);
  assert.equal(new Set(third.strings).size, third.strings.length);
  received = joinStrings(third, received)!;
  assert.equal(list.ids.size, received.length);
  const reader = new AnalysisReader(third);
  assert.deepEqual(reader.next(texts[2]), analyses[2]);
  assert.deepEqual(reader.lastClaims, claims[2]);
  assert.deepEqual(reader.next(texts[0]), analyses[0]);
  assert.deepEqual(reader.lastClaims, claims[0]);
});

test('a list its owner clears (after a failed reply) starts again at 0 and sends every string again', () => {
  const analyses = texts.map(fakeAnalyse);
  const list = new StringList();
  const first = encodeAnalyses([analyses[0]], undefined, list);
  assert.ok(first.strings.length > 0);
  list.ids.clear();
  list.size = 0;
  const second = encodeAnalyses([analyses[0]], undefined, list);
  assert.equal(second.base, 0);
  assert.deepEqual(second.strings, first.strings);
  assert.deepEqual(new AnalysisReader({ ...second, base: undefined }).next(texts[0]), analyses[0]);
});

test('the same string from different fields and documents of a batch is one entry, with or without a list', () => {
  const text = 'Ann Lee met Ann Lee.';
  const m = (start: number, name: string) => ({ start, end: start + 7, text: text.slice(start, start + 7), type: 'person' as const, form: 'full' as const, name, rule: name, confidence: 0.5 });
  // `name` and `rule` carry equal strings that are different objects (one a slice of the document).
  const a = { mentions: [m(0, text.slice(0, 7)), m(12, 'Ann Lee')], quotes: [], roles: [{ mention: 0, text: 'Ann' + ' Lee', rule: 'r' }], problems: [] };
  for (const list of [undefined, new StringList()]) {
    const enc = encodeAnalyses([a, a], undefined, list);
    assert.deepEqual(enc.strings, ['Ann Lee', 'r']);
    assert.deepEqual(decodeAnalyses({ ...enc, base: undefined }, [text, text]), [a, a]);
  }
});
