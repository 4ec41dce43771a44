// The custom list requests read an entity's quotations and mentions lazily (counted by the index, made only as far
// as the answer needs): what they answer must equal the full lists.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorpusIndex } from '../../../server/src/core/index';
import * as custom from '../../../server/src/lsp/customRequests';
import { fakeAnalyzer, LEXICON } from '../core/fake-analyzer';

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
