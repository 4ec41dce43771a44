// The per-entity quotation and role summaries (quotesBy, quoteCount, roles) are kept up to date on every join and
// leave of mentions, not recomputed by walking the documents: after any sequence of edits they must equal what a
// walk over the final documents finds, and what a fresh index says.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorpusIndex } from '../../../server/src/core/index';
import type { DocAnalysis } from '../../../server/src/core/model';
import { fakeAnalyzer, LEXICON } from './fake-analyzer';

const base = fakeAnalyzer(LEXICON, ['a spokesperson']);

/** The fake analyser, plus roles written in braces right after a name: `Corbyn {Labour leader}`. */
function analyze(text: string): DocAnalysis {
  const a = base(text);
  const roles = [...a.roles];
  for (const m of text.matchAll(/\{([^}]*)\}/g)) {
    let mention = -1;
    for (let i = 0; i < a.mentions.length && a.mentions[i].end <= m.index!; i++) mention = i;
    if (mention >= 0) roles.push({ mention, text: m[1], rule: 'braces' });
  }
  return { ...a, roles };
}

/** What the summaries must say, found the slow way: every document, every quotation and role, in corpus order. */
function walked(ix: CorpusIndex, id: string) {
  const quotes: string[] = [];
  const tally = new Map<string, { text: string; count: number; order: number }>();
  for (const doc of ix.documents()) {
    const a = ix.analysis(doc)!;
    a.quotes.forEach((q, i) => {
      if (q.speaker?.mention !== undefined && ix.entityIdOf(doc, q.speaker.mention) === id) quotes.push(`${doc}#${i}`);
    });
    for (const r of a.roles) {
      if (ix.entityIdOf(doc, r.mention) !== id) continue;
      const text = r.text.replace(/\s+/g, ' ').trim();
      if (!text) continue;
      const t = tally.get(text.toLowerCase());
      if (t) t.count++;
      else tally.set(text.toLowerCase(), { text, count: 1, order: tally.size });
    }
  }
  const roles = [...tally.values()].sort((a, b) => b.count - a.count || a.order - b.order).map((t) => t.text);
  return { quotes, quoteCount: quotes.length, roles };
}

function summaries(ix: CorpusIndex, id: string) {
  return {
    quotes: ix.quotesBy(id).map((q) => {
      assert.equal(q.speakerId, id);
      return `${q.doc}#${q.index}`;
    }),
    quoteCount: ix.quoteCount(id),
    roles: ix.roles(id),
  };
}

const all = (ix: CorpusIndex) => Object.fromEntries(ix.entities().map((e) => [e.id, summaries(ix, e.id)]));

describe('CorpusIndex: quotation and role summaries', () => {
  it('roles: most frequent first, ties to the first seen, shown as first written', () => {
    const ix = new CorpusIndex({ analyze });
    ix.setDocument('b.txt', 'Jeremy Corbyn {MP} spoke. Corbyn {Labour  leader} left. Corbyn {mp} again.');
    ix.setDocument('a.txt', 'Mr Corbyn {labour leader} said "We will win." Corbyn {Islington MP}.');
    const id = 'person:jeremy-corbyn';
    // "labour leader" and "MP" twice each; "labour leader" is first seen in a.txt, written in lower case there.
    assert.deepEqual(ix.roles(id), ['labour leader', 'MP', 'Islington MP']);
    assert.deepEqual(summaries(ix, id), walked(ix, id));
    // Removing the first occurrence: the next one (in b.txt) names the role; a tie with a role first seen in a.txt
    // puts that one first.
    ix.setDocument('a.txt', 'Mr Corbyn said "We will win." Corbyn {Islington MP}.');
    assert.deepEqual(ix.roles(id), ['MP', 'Islington MP', 'Labour leader']);
    assert.deepEqual(summaries(ix, id), walked(ix, id));
  });

  it('quotations follow their speaker when an edit moves the speaker to another entity', () => {
    const ix = new CorpusIndex({ analyze });
    ix.setDocument('a.txt', 'Corbyn said "Yes." Corbyn {MP} added "No."');
    ix.setDocument('b.txt', 'Piers Corbyn protested.');
    const before = ix.entityIdOf('a.txt', 0)!;
    assert.equal(ix.quoteCount(before), 2);
    // A second full name with the family name: the bare "Corbyn" in a.txt no longer resolves to Piers.
    ix.setDocument('c.txt', 'Jeremy Corbyn spoke.');
    for (const e of ix.entities()) assert.deepEqual(summaries(ix, e.id), walked(ix, e.id), e.id);
    ix.deleteDocument('c.txt');
    for (const e of ix.entities()) assert.deepEqual(summaries(ix, e.id), walked(ix, e.id), e.id);
    assert.equal(ix.quoteCount('person:nobody'), 0);
    assert.deepEqual(ix.roles('person:nobody'), []);
  });

  const pool = [
    'Jeremy Corbyn {Labour leader} spoke. Mr Corbyn said "We will win." Corbyn {labour  leader} left.',
    'Corbyn {MP} replied "No." Jeremy {mp} nodded. @jeremycorbyn posted "Hi."',
    'Piers Corbyn {activist} protested. Corbyn {Activist} shouted "Stop."',
    'The Jewish Labour Movement (JLM) {affiliate} met. JLM said "Enough."',
    'JLM {the affiliate} wrote to the Labour Party. Labour {party} replied "Noted."',
    'NURW {union} struck. A spokesperson said: "Fine." Sir Keir Starmer {leader} spoke "Now."',
    'Marie van der Zyl said "So." Ms van der Zyl {president} added.',
    'Ms van der Zyl {President} and Starmer {Leader} and Grahl {author} said "All."',
    'Frances Grahl {author} and Josephine Grahl {editor}. Grahl said "ok".',
    'Corbyn {  } said "Blank role." Starmer {  leader } said "Spaces."',
    // The same roles spelled otherwise: which spelling shows depends on which document comes first.
    'Corbyn {mp} spoke. Jeremy Corbyn {Labour Leader}. Starmer {LEADER} said "Go."',
    'Keir Starmer {Leader} and Mr Corbyn {LABOUR LEADER} and Piers Corbyn {ACTIVIST}.',
    '',
  ];
  const docs = ['a.txt', 'b.txt', 'c.txt', 'd/e.txt'];

  it('after any sequence of edits, renames and deletions they equal a walk and a fresh index (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), doc: fc.constantFrom(...docs), text: fc.constantFrom(...pool) }),
      fc.record({ kind: fc.constant('delete' as const), doc: fc.constantFrom(...docs) }),
      fc.record({ kind: fc.constant('rename' as const), doc: fc.constantFrom(...docs), to: fc.constantFrom(...docs) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 20 }), fc.boolean(), (ops, queryBetween) => {
        const ix = new CorpusIndex({ analyze });
        const state = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === 'set') {
            ix.setDocument(o.doc, o.text);
            state.set(o.doc, o.text);
          } else if (o.kind === 'delete') {
            ix.deleteDocument(o.doc);
            state.delete(o.doc);
          } else if (state.has(o.doc) && o.to !== o.doc) {
            const t = state.get(o.doc)!;
            ix.deleteDocument(o.doc);
            ix.setDocument(o.to, t);
            state.delete(o.doc);
            state.set(o.to, t);
          }
          // Memoised answers must not outlive the change that invalidates them.
          if (queryBetween) all(ix);
        }
        const got = all(ix);
        for (const id of Object.keys(got)) assert.deepEqual(got[id], walked(ix, id), id);
        const fresh = new CorpusIndex({ analyze });
        for (const [doc, text] of [...state].reverse()) fresh.setDocument(doc, text);
        assert.deepEqual(got, all(fresh));
      }),
      { numRuns: 300 },
    );
  });
});
