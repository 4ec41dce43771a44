import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { documentClaims } from '../../../server/src/core/aliases';
import { AnalysisStore, StringTable, takeEncoded } from '../../../server/src/core/analysisStore';
import { DocText } from '../../../server/src/core/docText';
import type { DocAnalysis } from '../../../server/src/core/model';
import { AnalysisReader, encodeAnalyses } from '../../../server/src/node/analysisCodec';

const corpus = join(__dirname, '..', '..', '..', 'server', 'sample-corpus');
const samples = readdirSync(corpus)
  .filter((f) => /\.(txt|md)$/.test(f) && f !== 'README.md')
  .map((f) => readFileSync(join(corpus, f), 'utf8'));

test('the stored analysis rebuilds equal to the original, object shapes included', () => {
  const strings = new StringTable();
  for (const text of samples) {
    const a = analyzeDocument(text);
    assert.ok(a.mentions.length > 0);
    const st = AnalysisStore.from(a, strings);
    assert.deepStrictEqual(st.toAnalysis(DocText.of(text)), a);
    assert.deepStrictEqual(st.toAnalysis(text), a);
    for (let i = 0; i < a.mentions.length; i++) {
      const m = a.mentions[i];
      assert.deepStrictEqual([st.start(i), st.end(i), st.name(i), st.type(i), st.form(i), st.title(i), st.expansion(i)], [m.start, m.end, m.name, m.type, m.form, m.title, m.expansion]);
    }
    for (let j = 0; j < a.quotes.length; j++) assert.equal(st.speakerOf(j), a.quotes[j].speaker?.mention ?? -1);
  }
});

test('optional fields round-trip in every combination: title, expansion, both; speaker with and without a mention', () => {
  const text = 'Lord Falconer of Thoroton (LFT) said “yes”, a spokesman said “no” and “maybe”.';
  const a: DocAnalysis = {
    mentions: [
      { start: 0, end: 25, text: text.slice(0, 25), type: 'person', form: 'titled', name: 'Falconer of Thoroton', title: 'Lord', rule: 'title', confidence: 0.9 },
      { start: 27, end: 30, text: 'LFT', type: 'organisation', form: 'acronym', name: 'LFT', title: 'Lord', expansion: 'Falconer of Thoroton', rule: 'acronym-definition', confidence: 1 },
      { start: 0, end: 4, text: 'Lord', type: 'organisation', form: 'acronym', name: 'Lord', expansion: 'Lord', rule: 'x', confidence: 1 / 3 },
    ],
    quotes: [
      { start: 38, end: 41, text: 'yes', speaker: { mention: 0, rule: 'said-after' } },
      { start: 62, end: 64, text: 'no', speaker: { descriptor: 'a spokesman', rule: 'said-after' }, continued: false },
      { start: 71, end: 76, text: 'maybe', continued: true },
    ],
    roles: [{ mention: 0, text: 'peer', rule: 'apposition' }],
    problems: [{ message: 'odd', start: 1 }],
  };
  assert.equal(text.slice(38, 41), 'yes');
  assert.deepStrictEqual(AnalysisStore.from(a, new StringTable()).toAnalysis(text), a);
});

test('each distinct string is stored once, however many documents use it', () => {
  const strings = new StringTable();
  const a = analyzeDocument(samples[0]);
  AnalysisStore.from(a, strings);
  const size = strings.size;
  AnalysisStore.from(analyzeDocument(samples[0]), strings);
  assert.equal(strings.size, size);
  assert.equal(strings.id('a name that is certainly new'), size);
  assert.equal(strings.id('a name that is certainly new'), size);
});

// Mention rows pack type, form, rank, confidence and rule into one integer; a document with a value that does not
// fit keeps them in columns of their own. Both must read back exactly as given.
describe('packed and wide rows (mentions, quotations)', () => {
  // Quotations with a speaker mention, with a speaker but no mention, and with no speaker (no one sample has all).
  const text = samples.join('\n\n');
  const rowsOf = (s: AnalysisStore): Int32Array => s['rows'];
  const encoded = (a: DocAnalysis) => {
    const enc = encodeAnalyses([a], [documentClaims(a)]);
    return takeEncoded(new AnalysisReader(enc).lazy(text))!;
  };
  const check = (st: AnalysisStore, a: DocAnalysis, ranks: ArrayLike<number>) => {
    assert.deepStrictEqual(st.toAnalysis(text), a);
    for (let i = 0; i < a.mentions.length; i++) {
      assert.equal(st.rank(i), ranks[i]);
      assert.equal(st.type(i), a.mentions[i].type);
      assert.equal(st.form(i), a.mentions[i].form);
    }
    for (let j = 0; j < a.quotes.length; j++) {
      assert.equal(st.speakerOf(j), a.quotes[j].speaker?.mention ?? -1);
      assert.equal(st.quoteMaxEnd(j), Math.max(...a.quotes.slice(0, j + 1).map((q) => q.end)));
    }
    assert.equal(st.lastQuoteFrom(text.length), a.quotes.length - 1);
  };

  it('a corpus-like document is packed, from objects and from rows alike, and both give the same rows', () => {
    const a = analyzeDocument(text);
    assert.ok(a.quotes.some((q) => q.speaker?.mention !== undefined) && a.quotes.some((q) => !q.speaker) && a.quotes.some((q) => q.speaker && q.speaker.mention === undefined));
    const ranks = documentClaims(a).ranks;
    const strings = new StringTable();
    const st = AnalysisStore.from(a, strings, ranks);
    assert.equal(st.wide, false);
    check(st, a, ranks);
    const built = AnalysisStore.fromRows(encoded(a), text, strings)!;
    assert.equal(built.store.wide, false);
    check(built.store, a, ranks);
    // Same string table, so the same ids: the rows as the snapshot writes them are identical, at their exact length.
    assert.deepStrictEqual([...rowsOf(built.store)], [...rowsOf(st)]);
    assert.equal(rowsOf(built.store).length * 4, built.store.byteSize);
  });

  it('a form outside the known ones, a rank above 7, the 512th confidence or a rule past 65,535 strings: wide rows', () => {
    const base = analyzeDocument(text);
    const n = base.mentions.length;
    const normalRanks = documentClaims(base).ranks;
    const cases: Array<[string, (a: DocAnalysis, s: StringTable) => ArrayLike<number>]> = [
      ['form', (a) => ((a.mentions[n - 1].form = 'nickname' as never), normalRanks)],
      ['rank', () => Uint8Array.from(normalRanks, (r, i) => (i === 0 ? 200 : r))],
      ['confidence', (_a, s) => {
        for (let k = 0; k < 600; k++) s.numberId(1000 + k);
        return normalRanks;
      }],
      ['rule', (_a, s) => {
        for (let k = 0; k < 70000; k++) s.id(`filler ${k}`);
        return normalRanks;
      }],
    ];
    for (const [what, change] of cases) {
      const a = analyzeDocument(text);
      const strings = new StringTable();
      const ranks = change(a, strings);
      const st = AnalysisStore.from(a, strings, ranks);
      assert.equal(st.wide, true, what);
      check(st, a, ranks);
      if (what !== 'rank') {
        // From a worker's rows (ranks from its claims): the same fall-back, the same answers.
        const fresh = new StringTable();
        change(analyzeDocument(text), fresh);
        const built = AnalysisStore.fromRows(encoded(a), text, fresh);
        assert.ok(built, what);
        assert.equal(built.store.wide, true, what);
        check(built.store, a, documentClaims(a).ranks);
      }
    }
  });

  it('stores from rows share slabs, each reading only its own rows; a wide one after a packed try leaves no gap', () => {
    const strings = new StringTable();
    const a = analyzeDocument(samples[0]);
    const b = analyzeDocument(samples[1]);
    const first = AnalysisStore.fromRows(encoded(a), samples[0], strings)!.store;
    const enc = encodeAnalyses([b], [documentClaims(b)]);
    const second = AnalysisStore.fromRows(takeEncoded(new AnalysisReader(enc).lazy(samples[1]))!, samples[1], strings)!.store;
    assert.equal(rowsOf(first).buffer, rowsOf(second).buffer);
    assert.deepStrictEqual(first.toAnalysis(samples[0]), a);
    assert.deepStrictEqual(second.toAnalysis(samples[1]), b);
    // Another table (the slabs are shared by every store) in which every confidence id is past 511.
    const other = new StringTable();
    for (let k = 0; k < 600; k++) other.numberId(2000 + k);
    const wide = AnalysisStore.fromRows(encoded(a), samples[0], other)!.store;
    assert.equal(wide.wide, true);
    assert.deepStrictEqual(wide.toAnalysis(samples[0]), a);
    assert.equal(rowsOf(wide).byteOffset, rowsOf(second).byteOffset + rowsOf(second).byteLength, 'the packed try was given back');
    assert.deepStrictEqual(first.toAnalysis(samples[0]), a, 'neighbours unchanged');
  });
});
