// The entity list (entities(), most mentioned first) is kept sorted entity by entity: an edit takes out and puts back
// only the entities whose summary changed. After any sequence of edits it must equal a fresh index's list, in
// content and order, whether the changes were few (placed one by one) or many (sorted anew).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorpusIndex } from '../../../server/src/core/index';
import type { Entity } from '../../../server/src/core/model';
import { fakeAnalyzer, type Entry } from './fake-analyzer';

const GIVEN = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hal', 'Ida', 'Jo', 'Kit', 'Lea', 'Max', 'Ned', 'Ola', 'Pia', 'Rex', 'Sol'];
const FAMILY = ['Abbot', 'Baird', 'Cole', 'Drake', 'Ennis', 'Frost', 'Grey', 'Hale', 'Irwin', 'Judd', 'Kemp', 'Lowe', 'Marsh', 'Nash', 'Orr', 'Pratt', 'Quill', 'Rudd'];
const ORGS = ['Acme Trust', 'Blue Union', 'Civic Forum', 'Delta Group', 'Echo Party', 'Fern Council'];

const lexicon: Record<string, Entry> = {};
for (const f of FAMILY) {
  lexicon[f] = { type: 'person', form: 'family' };
  for (const g of GIVEN) lexicon[`${g} ${f}`] = { type: 'person', form: 'full' };
}
for (const o of ORGS) lexicon[o] = { type: 'organisation', form: 'full' };
const NAMES = Object.keys(lexicon);
const analyze = fakeAnalyzer(lexicon);

const order = (a: Entity, b: Entity) => b.mentionCount - a.mentionCount || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const shown = (list: Entity[]) => list.map((e) => `${e.id}|${e.name}|${e.mentionCount}|${e.fileCount}|${e.aliases.join(',')}`);

/** A document naming the given lexicon entries (by index), one sentence each. */
const textOf = (picks: number[]) => picks.map((i) => `${NAMES[i % NAMES.length]} spoke.`).join(' ');

describe('CorpusIndex: the sorted entity list, kept incrementally', () => {
  const docs = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt', 'f.txt'];
  const picks = fc.array(fc.nat(NAMES.length - 1), { maxLength: 12 });
  const many = fc.array(fc.nat(NAMES.length - 1), { minLength: 200, maxLength: 500 });
  const op = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), doc: fc.constantFrom(...docs), picks }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('set' as const), doc: fc.constantFrom(...docs), picks: many }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), doc: fc.constantFrom(...docs) }) },
    // What asks for the list in between: the whole list, one type, a query that only brings summaries up to date
    // (so that changes pile up between two lists), or nothing.
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('list' as const, 'people' as const, 'touch' as const) }) },
  );

  it('order and content equal a fresh index after random edits (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const ix = new CorpusIndex({ analyze });
        const state = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === 'set') {
            const text = textOf(o.picks);
            ix.setDocument(o.doc, text);
            state.set(o.doc, text);
          } else if (o.kind === 'delete') {
            ix.deleteDocument(o.doc);
            state.delete(o.doc);
          } else if (o.kind === 'list') {
            const list = ix.entities();
            assert.deepEqual(shown(list), shown(list.slice().sort(order)));
          } else if (o.kind === 'people') {
            assert.ok(ix.entities('person').every((e) => e.type === 'person'));
          } else {
            ix.search('a');
          }
        }
        const fresh = new CorpusIndex({ analyze });
        for (const [doc, text] of [...state].reverse()) fresh.setDocument(doc, text);
        assert.deepEqual(shown(ix.entities()), shown(fresh.entities()));
        assert.deepEqual(shown(ix.entities('organisation')), shown(fresh.entities('organisation')));
        assert.deepEqual(shown(ix.entities()), shown(ix.entities().slice().sort(order)));
      }),
      { numRuns: 150 },
    );
  });

  it('typing a name in one document of many: the list equals a fresh one at every keystroke', () => {
    const ix = new CorpusIndex({ analyze });
    const texts = new Map<string, string>();
    for (let d = 0; d < 60; d++) texts.set(`doc${d}.txt`, textOf([d, d * 7, d * 13, 5]));
    for (const [doc, text] of texts) ix.setDocument(doc, text);
    const before = shown(ix.entities());
    const base = texts.get('doc3.txt')!;
    const typed = ' Ida Nash said. Ida Nash said. Acme Trust said.';
    for (let n = 1; n <= typed.length; n += 3) {
      texts.set('doc3.txt', base + typed.slice(0, n));
      ix.setDocument('doc3.txt', texts.get('doc3.txt')!);
      const fresh = new CorpusIndex({ analyze });
      for (const [doc, text] of texts) fresh.setDocument(doc, text);
      assert.deepEqual(shown(ix.entities()), shown(fresh.entities()), `after ${n} characters`);
    }
    texts.set('doc3.txt', base);
    ix.setDocument('doc3.txt', base);
    assert.deepEqual(shown(ix.entities()), before);
  });
});
