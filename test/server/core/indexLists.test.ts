// How the index keeps its groups' per-document lists (DocLists) and its dependents (DocSet): short lists shared
// between groups and documents, never changed in place, and the same index whatever the order of changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DocLists, DocSet } from '../../../server/src/core/docLists';
import { CorpusIndex } from '../../../server/src/core/index';
import { fakeAnalyzer, LEXICON } from './fake-analyzer';

const analyze = fakeAnalyzer(LEXICON, ['a spokesperson']);

const state = (ix: CorpusIndex) => ix.snapshotState();
const listOf = (ix: CorpusIndex, id: string, doc: string) => {
  for (const g of state(ix).groups.values()) if (g.id === id) return g.docs.get(doc);
  return undefined;
};

describe('index: per-document lists', () => {
  it('keeps groups and dependents in sorted structures, documents iterated in key order', () => {
    const ix = new CorpusIndex({ analyze });
    for (const doc of ['c.txt', 'a.txt', 'b.txt']) ix.setDocument(doc, 'Jeremy Corbyn spoke. Corbyn said "no". The JLM agreed.');
    for (const g of state(ix).groups.values()) {
      assert.ok(g.docs instanceof DocLists);
      assert.deepEqual([...g.docs.keys()], ['a.txt', 'b.txt', 'c.txt']);
      assert.equal(g.sortedDocs, (g.docs as DocLists).sortedKeys, 'the sorted documents are the lists’ own keys');
      assert.deepEqual(g.sortedDocs, ['a.txt', 'b.txt', 'c.txt']);
      if (g.quoteDocs) assert.ok(g.quoteDocs instanceof DocLists);
    }
    for (const set of state(ix).dependents.values()) {
      assert.ok(set instanceof DocSet);
      assert.deepEqual([...set], [...set].sort());
    }
  });

  it('shares a short list between documents, and an edit of one leaves the other’s list as it was', () => {
    const ix = new CorpusIndex({ analyze });
    const text = 'Jeremy Corbyn spoke. Corbyn said "no". Corbyn left.';
    ix.setDocument('a.txt', text);
    ix.setDocument('b.txt', text);
    const [corbyn] = ix.entities();
    const a = listOf(ix, corbyn.id, 'a.txt')!;
    const b = listOf(ix, corbyn.id, 'b.txt')!;
    assert.deepEqual(a, [0, 1, 2]);
    assert.equal(a, b, 'one shared list');
    ix.setDocument('a.txt', text + ' Corbyn returned.');
    assert.deepEqual(listOf(ix, corbyn.id, 'a.txt'), [0, 1, 2, 3]);
    assert.deepEqual(listOf(ix, corbyn.id, 'b.txt'), [0, 1, 2]);
    ix.setDocument('a.txt', 'Jeremy Corbyn spoke.');
    assert.deepEqual(listOf(ix, corbyn.id, 'a.txt'), [0]);
    assert.deepEqual(listOf(ix, corbyn.id, 'b.txt'), [0, 1, 2]);
    assert.deepEqual(
      ix.mentionsOf(corbyn.id).map((r) => `${r.doc}:${r.index}`),
      ['a.txt:0', 'b.txt:0', 'b.txt:1', 'b.txt:2'],
    );
  });

  it('ends up as a fresh index of the same documents, whatever the order of sets and deletes (property)', () => {
    const pool = [
      'Jeremy Corbyn spoke. Corbyn said "no". The JLM agreed.',
      'Corbyn left. Frances Grahl arrived. Grahl said "later".',
      'Josephine Grahl and Frances Grahl met. The EHRC reported.',
      'Sir Keir Starmer spoke. Starmer and Corbyn met the JLM.',
      '',
    ];
    const docs = ['a.txt', 'b.txt', 'c.txt', 'd.txt'];
    const view = (ix: CorpusIndex) =>
      ix.entities().map((e) => ({
        ...e,
        mentions: ix.mentionsOf(e.id).map((r) => `${r.doc}@${r.mention.start}`),
        quotes: ix.quotesBy(e.id).map((q) => `${q.doc}@${q.quote.start}`),
        spans: ix.mentionSpansOf(e.id).map((s) => `${s.doc}:${s.indices.join(',')}`),
      }));
    fc.assert(
      fc.property(
        fc.array(fc.record({ doc: fc.constantFrom(...docs), text: fc.option(fc.constantFrom(...pool)) }), { maxLength: 25 }),
        (ops) => {
          const ix = new CorpusIndex({ analyze });
          const final = new Map<string, string>();
          for (const o of ops) {
            if (o.text === null) {
              ix.deleteDocument(o.doc);
              final.delete(o.doc);
            } else {
              ix.setDocument(o.doc, o.text);
              final.set(o.doc, o.text);
            }
            view(ix);
          }
          const fresh = new CorpusIndex({ analyze });
          for (const doc of [...final.keys()].reverse()) fresh.setDocument(doc, final.get(doc)!);
          assert.deepEqual(view(ix), view(fresh));
        },
      ),
      { numRuns: 150 },
    );
  });
});
