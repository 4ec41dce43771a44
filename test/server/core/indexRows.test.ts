// Analyses that reach the index as rows (a worker's batch decoded lazily: node/analysisCodec.ts `lazy`) are stored
// straight from the rows (AnalysisStore.fromRows), with their claims as string ids; the index must be the same as
// one built from the same analyses as objects, through edits, deletions and any order of arrival.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentClaims } from '../../../server/src/core/aliases';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { AnalysisStore, StringTable, takeEncoded, type EncodedDoc } from '../../../server/src/core/analysisStore';
import { CorpusIndex } from '../../../server/src/core/index';
import type { DocAnalysis } from '../../../server/src/core/model';
import { AnalysisReader, encodeAnalyses, joinStrings, StringList } from '../../../server/src/node/analysisCodec';

const docs: Record<string, string> = {
  'a.txt': 'Jeremy Corbyn met the Jewish Labour Movement (JLM). "We will talk," Mr Corbyn said, the Labour leader.',
  'b.txt': 'Corbyn left early. The JLM said it was disappointed. Marie van der Zyl of the Board of Deputies of British Jews spoke.',
  'c.txt': 'Van der Zyl said: "Enough." The Board of Deputies agreed. Jeremy smiled. @jeremycorbyn tweeted. Lord Falconer of Thoroton said "yes".',
  'd.txt': 'Frances Grahl and Josephine Grahl arrived. Grahl said "no". The EHRC and the ERHC reported. Sir Keir Starmer, the Labour leader, spoke.',
  'e.txt': 'Keir said "later". Starmer and Grahl met the EHRC (Equality and Human Rights Commission).',
};

/** Analyses as the pool gives them: encoded in a worker with their claims, each string sent once per worker. */
function fromWorker(texts: string[], list = new StringList(), received = { strings: [] as string[] }): DocAnalysis[] {
  const analyses = texts.map((t) => analyzeDocument(t));
  const enc = encodeAnalyses(analyses, analyses.map(documentClaims), list);
  const joined = joinStrings(enc, received.strings);
  assert.ok(joined);
  received.strings = joined;
  const reader = new AnalysisReader(enc);
  return texts.map((t) => reader.lazy(t, true));
}

function view(ix: CorpusIndex) {
  return {
    entities: ix.entities().map((e) => ({
      ...e,
      mentions: ix.mentionsOf(e.id).map((r) => `${r.doc}@${r.mention.start}:${r.mention.name}`),
      quotes: ix.quotesBy(e.id).map((q) => `${q.doc}@${q.quote.start}`),
      roles: ix.roles(e.id),
      intro: ix.introduction(e.id)?.mention.start,
    })),
    quotes: ix.quotes().map((q) => `${q.doc}@${q.quote.start}:${q.speakerId ?? '-'}`),
    analyses: ix.documents().map((d) => ix.analysis(d)),
    stats: ix.stats(),
  };
}

describe('CorpusIndex: analyses as rows', () => {
  it('give the same index as the same analyses as objects, in any order, with edits and deletions', () => {
    const keys = Object.keys(docs);
    const here = new CorpusIndex();
    for (const k of keys) here.setDocument(k, docs[k]);
    const list = new StringList();
    const received = { strings: [] as string[] };
    // Two batches from one worker: the second refers to strings the first carried.
    const first = fromWorker(keys.slice(0, 2).map((k) => docs[k]), list, received);
    const second = fromWorker(keys.slice(2).map((k) => docs[k]), list, received);
    const analyses = [...first, ...second];
    const there = new CorpusIndex();
    for (let i = keys.length - 1; i >= 0; i--) there.setAnalysed(keys[i], docs[keys[i]], analyses[i]);
    assert.deepEqual(view(there), view(here));

    const edited = docs['b.txt'].replace('Corbyn left', 'Jeremy Corbyn left');
    here.setDocument('b.txt', edited);
    there.setAnalysed('b.txt', edited, fromWorker([edited], list, received)[0]);
    assert.deepEqual(view(there), view(here));
    // Back through the in-thread way (strings, not ids), then rows again.
    here.setDocument('b.txt', docs['b.txt']);
    there.setDocument('b.txt', docs['b.txt']);
    assert.deepEqual(view(there), view(here));
    there.setAnalysed('e.txt', docs['e.txt'], fromWorker([docs['e.txt']])[0]);
    assert.deepEqual(view(there), view(here));
    for (const k of ['a.txt', 'd.txt']) {
      here.deleteDocument(k);
      there.deleteDocument(k);
      assert.deepEqual(view(there), view(here));
    }
    there.setAnalysed('a.txt', docs['a.txt'], fromWorker([docs['a.txt']])[0]);
    here.setDocument('a.txt', docs['a.txt']);
    assert.deepEqual(view(there), view(here));
  });

  it('read lazily equal the decoded analysis, and carry their rows once', () => {
    const texts = Object.values(docs);
    const analyses = texts.map((t) => analyzeDocument(t));
    const enc = encodeAnalyses(analyses, analyses.map(documentClaims));
    const reader = new AnalysisReader(enc);
    texts.forEach((t, i) => {
      const a = reader.lazy(t);
      const rows = takeEncoded(a);
      assert.ok(rows);
      assert.equal(takeEncoded(a), undefined, 'taken once');
      assert.deepStrictEqual({ ...a }, analyses[i]);
    });
  });

  it('are stored as `from` stores the decoded analysis, with the claims as ids', () => {
    const texts = Object.values(docs);
    const analyses = texts.map((t) => analyzeDocument(t));
    const claims = analyses.map(documentClaims);
    const enc = encodeAnalyses(analyses, claims);
    const reader = new AnalysisReader(enc);
    const strings = new StringTable();
    texts.forEach((t, i) => {
      const rows = takeEncoded(reader.lazy(t))!;
      const built = AnalysisStore.fromRows(rows, t, strings)!;
      assert.ok(built);
      const direct = AnalysisStore.from(analyses[i], strings, claims[i].ranks);
      assert.deepStrictEqual(built.store.toAnalysis(t), direct.toAnalysis(t));
      for (let m = 0; m < analyses[i].mentions.length; m++) {
        assert.equal(built.store.rank(m), direct.rank(m));
        assert.equal(strings.maybe(built.claims.local[m]), claims[i].local[m]);
        assert.equal(strings.maybe(built.claims.lookup[m]), claims[i].lookup[m]);
      }
      const c = built.claims.contributions;
      const back: Array<[string, string, number]> = [];
      for (let k = 0; k < c.length; k += 3) back.push([strings.get(c[k]), strings.get(c[k + 1]), c[k + 2]]);
      assert.deepEqual(back, claims[i].contributions);
    });
  });

  it('that are not clean as they are (a span out of bounds, no claims) are left to the repairing way', () => {
    const text = docs['a.txt'];
    const a = analyzeDocument(text);
    const enc = encodeAnalyses([a], [documentClaims(a)]);
    const rows = (): EncodedDoc => takeEncoded(new AnalysisReader(enc).lazy(text))!;
    assert.ok(AnalysisStore.fromRows(rows(), text, new StringTable()));
    assert.equal(AnalysisStore.fromRows(rows(), text.slice(0, 20), new StringTable()), undefined, 'a span past the end');
    const noClaims = encodeAnalyses([a]);
    assert.equal(AnalysisStore.fromRows(takeEncoded(new AnalysisReader(noClaims).lazy(text))!, text, new StringTable()), undefined);
    // Through the index: the text is shorter than the spans; the document is indexed as the repairing way leaves it.
    const ix = new CorpusIndex();
    const short = text.slice(0, 40);
    ix.setAnalysed('a.txt', short, new AnalysisReader(enc).lazy(short));
    const fresh = new CorpusIndex();
    fresh.setAnalysed('a.txt', short, analyzeDocument(text));
    assert.deepEqual(view(ix), view(fresh));
  });

  it('batches of one worker share a growing string list; one out of step is refused', () => {
    const list = new StringList();
    const a = encodeAnalyses([analyzeDocument(docs['a.txt'])], undefined, list);
    const b = encodeAnalyses([analyzeDocument(docs['b.txt'])], undefined, list);
    assert.equal(a.base, 0);
    assert.equal(b.base, a.strings.length);
    assert.ok(!b.strings.some((s) => a.strings.includes(s)), 'each string once');
    assert.equal(joinStrings(b, ['x']), undefined, 'b before a');
    const received = joinStrings(a, ['from an earlier list'])!;
    assert.deepEqual(received, a.strings, 'a new list: the old one may still be read');
    assert.equal(joinStrings(b, received), received);
    assert.equal(b.strings, received);
    assert.deepEqual(new AnalysisReader(b).next(docs['b.txt']), analyzeDocument(docs['b.txt']));
  });
});
