// The custom list requests read an entity's quotations and mentions lazily (counted by the index, made only as far
// as the answer needs): what they answer must equal the full lists.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorpusIndex } from '../../../server/src/core/index';
import * as custom from '../../../server/src/lsp/customRequests';
import { ENTITY_IDS_LIMIT, type EntitiesParams } from '../../../server/src/protocol';
import { fakeAnalyzer, LEXICON, type Entry } from '../core/fake-analyzer';

function corpus() {
  const ix = new CorpusIndex({ analyze: fakeAnalyzer(LEXICON) });
  ix.setDocument('file:///c/a.txt', 'Jeremy Corbyn said "One." Corbyn said "Two."\nMr Corbyn said "Three."');
  ix.setDocument('file:///c/b.txt', 'Corbyn said "Four." Starmer said "Five."\nCorbyn said "Six."');
  ix.setDocument('file:///c/c.txt', 'Corbyn said "Seven."');
  return ix;
}

describe('custom requests: an entity\'s lists, lazily', () => {
  const ix = corpus();
  const id = 'person:jeremy-corbyn';
  const all = ix.quotesBy(id);

  it('quotations of one speaker: the first few, and the total count', () => {
    assert.equal(all.length, 6);
    for (const limit of [0, 1, 2, 6, 10]) {
      const r = custom.quotations(ix, { speakerId: id, limitPerGroup: limit })!;
      assert.equal(r.groups.length, 1);
      assert.equal(r.groups[0].total, 6, `limit ${limit}`);
      assert.deepEqual(
        r.groups[0].quotes.map((q) => q.text),
        all.slice(0, limit).map((q) => q.quote.text),
      );
    }
    const inB = custom.quotations(ix, { speakerId: id, uri: 'file:///c/b.txt', limitPerGroup: 1 })!;
    assert.deepEqual(inB.groups.map((g) => [g.total, g.quotes.map((q) => q.text)]), [[2, ['Four.']]]);
    assert.deepEqual(custom.quotations(ix, { speakerId: 'person:nobody' })!.groups, []);
  });

  it('groups with counts only (limit 0), and the unattributed group on its own', () => {
    const ix2 = corpus();
    ix2.setDocument('file:///c/d.txt', 'A spokesman said "Eight."');
    const counts = custom.quotations(ix2, { limitPerGroup: 0 })!;
    assert.ok(counts.groups.every((g) => g.quotes.length === 0));
    const full = custom.quotations(ix2, {})!;
    assert.deepEqual(counts.groups.map((g) => [g.label, g.total]), full.groups.map((g) => [g.label, g.quotes.length]));
    const unattributed = full.groups.filter((g) => !g.speakerId);
    assert.equal(unattributed.length, 1);
    const only = custom.quotations(ix2, { unattributedOnly: true, limitPerGroup: 500 })!;
    assert.deepEqual(only.groups.map((g) => [g.label, g.quotes.map((q) => q.text)]), unattributed.map((g) => [g.label, g.quotes.map((q) => q.text)]));
  });

  it('mentions: the first few with their context, and the total', () => {
    const refs = ix.mentionsOf(id);
    const r = custom.mentions(ix, { id, limit: 3 })!;
    assert.equal(r.total, refs.length);
    assert.equal(r.entity?.quoteCount, 6);
    assert.deepEqual(
      r.mentions.map((m) => [m.uri, m.text, m.range.start.line, m.range.start.character]),
      refs.slice(0, 3).map((m) => [m.doc, m.mention.text, ix.lines(m.doc)!.positionAt(m.mention.start).line, ix.lines(m.doc)!.positionAt(m.mention.start).character]),
    );
    assert.equal(custom.mentions(ix, { id })!.mentions.length, refs.length);
  });
});

/** People and organisations mentioned 1–5 times each (many ties, which the order breaks by name), and quotations
 *  by some of them and by nobody: enough rows that pages of 1, 2, 3 and 7 split them everywhere. */
function crowd() {
  const lexicon: Record<string, Entry> = {};
  const people = Array.from({ length: 23 }, (_, i) => `Alma Per${String.fromCharCode(97 + i)}son`);
  const orgs = Array.from({ length: 9 }, (_, i) => `Union ${String.fromCharCode(65 + i)}lpha`);
  for (const p of people) lexicon[p] = { type: 'person', form: 'full' };
  for (const o of orgs) lexicon[o] = { type: 'organisation', form: 'full' };
  const ix = new CorpusIndex({ analyze: fakeAnalyzer(lexicon) });
  people.forEach((p, i) => {
    // 0–3 quotations each: ties at every count, so a page's order depends on the names too.
    const quotes = Array.from({ length: i % 4 }, (_, k) => ` ${p} said "Line ${i}.${k}."`).join('');
    ix.setDocument(`file:///c/p${i}.txt`, `${`${p} spoke. `.repeat(1 + (i % 5))}${quotes}\n"Nobody said ${i}."`);
  });
  orgs.forEach((o, i) => ix.setDocument(`file:///c/o${i}.txt`, `${o} met. `.repeat(1 + (i % 4))));
  return ix;
}

const ids = (r: { entities: { id: string }[] }) => r.entities.map((e) => e.id);

describe('custom requests: pages of the entity list and of the quotation groups', () => {
  it('pages by offset and limit fit together into the whole list, in the index\'s order, with its total', () => {
    const ix = crowd();
    for (const type of [undefined, 'person', 'organisation'] as const) {
      const whole = custom.entities(ix, type ? { type } : {}, false);
      assert.deepEqual(ids(whole), ix.entities(type).map((e) => e.id));
      assert.equal(whole.total, whole.entities.length);
      for (const size of [1, 2, 3, 7]) {
        const got: string[] = [];
        for (let offset = 0; offset < whole.entities.length + size; offset += size) {
          const page = custom.entities(ix, { type, offset, limit: size }, false);
          assert.equal(page.total, whole.entities.length, `${type} ${size} ${offset}`);
          assert.ok(page.entities.length <= size);
          got.push(...ids(page));
        }
        assert.deepEqual(got, ids(whole), `${type} pages of ${size}`);
      }
      const count = custom.entities(ix, { type, limit: 0 }, false);
      assert.deepEqual([count.entities, count.total, count.version], [[], whole.entities.length, ix.version]);
    }
  });

  it('counts the top level without a list, and the counts follow edits and removals', () => {
    const ix = crowd();
    const check = (what: string) => {
      const r = custom.entities(ix, { limit: 0 }, false);
      const quotes = custom.quotations(ix, {})!.groups.reduce((n, g) => n + g.quotes.length, 0);
      assert.deepEqual(r.counts, { people: ix.entities('person').length, organisations: ix.entities('organisation').length, quotes }, what);
      assert.equal(r.total, ix.entities().length, what);
      assert.deepEqual(r.entities, []);
    };
    check('scanned');
    ix.deleteDocument('file:///c/p3.txt');
    ix.deleteDocument('file:///c/o0.txt');
    check('after removals');
    ix.setDocument('file:///c/p4.txt', 'Union Alpha said "Hello." Alma Perason met Union Alpha.');
    check('after an edit');
  });

  it('answers the old request ({}) as before: every entity, now with the total', () => {
    const ix = crowd();
    const r = custom.entities(ix, {}, false);
    assert.equal(r.entities.length, ix.stats().people + ix.stats().organisations);
    assert.equal(r.total, r.entities.length);
    assert.deepEqual(custom.entities(ix, undefined, true).entities.length, r.entities.length);
  });

  it('reads bad paging input as its default, never as an error', () => {
    const ix = crowd();
    const all = ids(custom.entities(ix, {}, false));
    for (const offset of [-1, Number.NaN, 'x', null, 1.5e400]) {
      const r = custom.entities(ix, { offset, limit: 2 } as unknown as EntitiesParams, false);
      assert.deepEqual(ids(r), all.slice(0, 2), String(offset));
    }
    assert.deepEqual(ids(custom.entities(ix, { offset: 10_000, limit: 5 }, false)), []);
    assert.deepEqual(ids(custom.entities(ix, { offset: 2.7, limit: 2.2 }, false)), all.slice(2, 4));
  });

  it('finds entities by id wherever they rank, in list order, each once, with the type filter', () => {
    const ix = crowd();
    const all = ix.entities();
    const last = all[all.length - 1];
    const first = all[0];
    const r = custom.entities(ix, { ids: [last.id, 'person:nobody', first.id, last.id, 7 as unknown as string], offset: 5, limit: 0, query: 'zzz' }, false);
    assert.deepEqual(ids(r), [first.id, last.id]);
    assert.equal(r.total, 2);
    const people = custom.entities(ix, { type: 'person', ids: all.map((e) => e.id) }, false);
    assert.deepEqual(ids(people), ix.entities('person').map((e) => e.id));
    // Not a list: as if absent.
    assert.equal(custom.entities(ix, { ids: 'person:x' } as unknown as EntitiesParams, false).entities.length, all.length);
    const many = Array.from({ length: ENTITY_IDS_LIMIT + 5 }, () => 'person:nobody').concat(first.id);
    assert.deepEqual(ids(custom.entities(ix, { ids: many }, false)), [], 'ids past the limit are not read');
  });

  it('pages the quotation groups, named speakers first, the unattributed group last, with the totals', () => {
    const ix = crowd();
    for (const limitPerGroup of [0, undefined]) {
      const whole = custom.quotations(ix, { limitPerGroup })!;
      const labels = whole.groups.map((g) => g.label);
      assert.equal(labels.at(-1), 'Unattributed');
      assert.equal(whole.groupTotal, whole.groups.length);
      assert.equal(whole.quoteTotal, ix.stats().quotes);
      for (const size of [1, 2, 3]) {
        const got: string[] = [];
        for (let groupOffset = 0; groupOffset < whole.groups.length; groupOffset += size) {
          const page = custom.quotations(ix, { limitPerGroup, groupOffset, groupLimit: size })!;
          assert.deepEqual([page.groupTotal, page.quoteTotal], [whole.groupTotal, whole.quoteTotal]);
          got.push(...page.groups.map((g) => g.label));
        }
        assert.deepEqual(got, labels, `pages of ${size}`);
      }
      // Both ways of listing (counts alone, or quotations made) agree on the order.
      assert.deepEqual(labels, custom.quotations(ix, limitPerGroup === 0 ? {} : { limitPerGroup: 0 })!.groups.map((g) => g.label));
      const none = custom.quotations(ix, { limitPerGroup, groupLimit: 0 })!;
      assert.deepEqual([none.groups, none.groupTotal, none.quoteTotal], [[], whole.groupTotal, whole.quoteTotal]);
    }
  });

  it('gives the same first pages whichever page was asked first (only the groups a page needs are put in order)', () => {
    const whole = custom.quotations(crowd(), { limitPerGroup: 0 })!.groups.map((g) => g.label);
    for (const [first, then] of [[1, 3], [5, 2], [3, 100], [0, 4]]) {
      const ix = crowd();
      const a = custom.quotations(ix, { limitPerGroup: 0, groupLimit: first })!.groups.map((g) => g.label);
      const b = custom.quotations(ix, { limitPerGroup: 0, groupOffset: first, groupLimit: then })!.groups.map((g) => g.label);
      assert.deepEqual([...a, ...b], whole.slice(0, first + then), `${first} then ${then}`);
    }
  });

  it('counts the quotation groups anew after an edit (the kept list is per index version), and hands out copies', () => {
    const ix = crowd();
    const before = custom.quotations(ix, { limitPerGroup: 0 })!;
    before.groups.length = 0; // a caller that changes its answer must not change the next one
    const again = custom.quotations(ix, { limitPerGroup: 0 })!;
    assert.ok(again.groups.length > 1);
    ix.setDocument('file:///c/new.txt', 'Alma Perbson said "One more." Alma Perbson said "And another."');
    const after = custom.quotations(ix, { limitPerGroup: 0 })!;
    assert.equal(after.quoteTotal, again.quoteTotal! + 2);
    assert.equal(after.groups.find((g) => g.label === 'Alma Perbson')?.total, (again.groups.find((g) => g.label === 'Alma Perbson')?.total ?? 0) + 2);
    assert.deepEqual(after.groups.map((g) => [g.label, g.total]), custom.quotations(ix, {})!.groups.map((g) => [g.label, g.quotes.length]));
  });
});
