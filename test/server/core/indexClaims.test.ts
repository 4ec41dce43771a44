// Analyses that arrive with their alias claims (computed in a worker, kept in the cache: node/analysisCodec.ts)
// give the same index as analyses whose claims the index computes itself, in any order of arrival and edits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachClaims, documentClaims } from '../../../server/src/core/aliases';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { CorpusIndex } from '../../../server/src/core/index';
import type { DocAnalysis } from '../../../server/src/core/model';
import { AnalysisReader, encodeAnalyses } from '../../../server/src/node/analysisCodec';

const docs: Record<string, string> = {
  'a.txt': 'Jeremy Corbyn met the Jewish Labour Movement (JLM). "We will talk," Mr Corbyn said.',
  'b.txt': 'Corbyn left early. The JLM said it was disappointed. Marie van der Zyl of the Board of Deputies of British Jews spoke.',
  'c.txt': 'Van der Zyl said: "Enough." The Board of Deputies agreed. Jeremy smiled. @jeremycorbyn tweeted.',
  'd.txt': 'Frances Grahl and Josephine Grahl arrived. Grahl said "no". The EHRC and the ERHC reported.',
};

/** Analyses as a worker sends them: encoded with their claims, decoded against the texts (claims attached). */
function fromWorker(texts: string[]): DocAnalysis[] {
  const analyses = texts.map((t) => analyzeDocument(t));
  const reader = new AnalysisReader(encodeAnalyses(analyses, analyses.map(documentClaims)));
  return texts.map((t) => reader.next(t));
}

function view(ix: CorpusIndex) {
  return {
    entities: ix.entities().map((e) => ({ ...e, mentions: ix.mentionsOf(e.id).map((r) => `${r.doc}@${r.mention.start}`) })),
    quotes: ix.quotes().map((q) => `${q.doc}@${q.quote.start}:${q.speakerId ?? '-'}`),
    stats: ix.stats(),
  };
}

describe('CorpusIndex: claims computed elsewhere', () => {
  it('give the same index as claims computed here, whatever the order and with edits in between', () => {
    const keys = Object.keys(docs);
    const here = new CorpusIndex();
    for (const k of keys) here.setDocument(k, docs[k]);
    const analyses = fromWorker(keys.map((k) => docs[k]));
    const there = new CorpusIndex();
    for (let i = keys.length - 1; i >= 0; i--) there.setAnalysed(keys[i], docs[keys[i]], analyses[i]);
    assert.deepEqual(view(there), view(here));
    // An edit through precomputed claims, then back.
    const edited = docs['b.txt'].replace('Corbyn left', 'Jeremy Corbyn left');
    here.setDocument('b.txt', edited);
    there.setAnalysed('b.txt', edited, fromWorker([edited])[0]);
    assert.deepEqual(view(there), view(here));
    there.setAnalysed('b.txt', docs['b.txt'], fromWorker([docs['b.txt']])[0]);
    here.setDocument('b.txt', docs['b.txt']);
    assert.deepEqual(view(there), view(here));
    there.deleteDocument('a.txt');
    here.deleteDocument('a.txt');
    assert.deepEqual(view(there), view(here));
  });

  it('are used only for the analysis they came with: a repaired analysis gets its claims computed again', () => {
    const text = docs['a.txt'];
    const [analysis] = fromWorker([text]);
    const broken: DocAnalysis = { ...analysis, mentions: [...analysis.mentions, { ...analysis.mentions[0], start: -1 }] };
    // Claims that would be wrong for the repaired analysis (one mention too many) must not be used for it.
    attachClaims(broken, documentClaims(broken));
    const ix = new CorpusIndex();
    ix.setAnalysed('a.txt', text, broken);
    const fresh = new CorpusIndex();
    fresh.setDocument('a.txt', text);
    assert.deepEqual(view(ix), view(fresh));
  });

  it('an analysis decoded against another text of the same length is checked against the text it is given', () => {
    const text = 'Jeremy Corbyn spoke.';
    const other = 'Someone else spoke!!';
    const [analysis] = fromWorker([text]);
    const ix = new CorpusIndex();
    ix.setAnalysed('x.txt', other, analysis);
    for (const m of ix.analysis('x.txt')!.mentions) assert.equal(m.text, other.slice(m.start, m.end));
    assert.equal(ix.analysis('x.txt')!.mentions.length, 0);
  });
});
