import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CorpusIndex } from '../../../server/src/core/index';

// prepare(stop) is idle work in slices: whatever the slices, and whatever queries come between them, the index must
// answer as one that prepared in one go (ids above all: they are assigned per slug as the slug's owners come in).
const sample = join(__dirname, '..', '..', '..', 'server', 'sample-corpus');
const texts = new Map<string, string>();
for (const f of readdirSync(sample)) if (/\.(txt|md)$/.test(f) && f !== 'README.md') texts.set(f, readFileSync(join(sample, f), 'utf8'));
// Several groups whose names share a slug, so that ids depend on which of them come in first.
texts.set('twins.txt', 'Anna Berg spoke. Anna-Berg said: “Yes.” ANNA BERG agreed. Anna Bërg left. The Berg Group (BG) and Berg group met.');

function built(): CorpusIndex {
  const ix = new CorpusIndex();
  for (const [d, t] of texts) ix.setDocument(d, t);
  return ix;
}

const view = (ix: CorpusIndex) => ({
  entities: ix.entities(),
  perEntity: ix.entities().map((e) => [ix.entity(e.id), ix.mentionsOf(e.id).length, ix.introduction(e.id)?.doc]),
  search: ['ber', 'anna', 'bg', 'st'].map((q) => ix.search(q, 20)),
});

describe('CorpusIndex.prepare in slices', () => {
  it('ends, one group at a time, with the index one call prepares', () => {
    const whole = built();
    assert.equal(whole.prepare(), true);
    const want = view(whole);
    const sliced = built();
    let calls = 0;
    while (!sliced.prepare(() => true)) if (++calls > 100_000) assert.fail('prepare never finished');
    assert.ok(calls >= 1, 'done in one slice: nothing was sliced');
    assert.equal(sliced.prepare(() => true), true); // nothing left: done at once
    assert.deepStrictEqual(view(sliced), want);
  });

  it('answers a query between slices as the whole index would, and then goes on', () => {
    const want = view(((ix) => (ix.prepare(), ix))(built()));
    for (const after of [1, 3, 7]) {
      const ix = built();
      for (let k = 0; k < after; k++) ix.prepare(() => true);
      assert.deepStrictEqual(view(ix), want);
      assert.equal(ix.prepare(() => true), true);
      // An edit makes groups dirty again; slices finish them too.
      ix.setDocument('twins.txt', texts.get('twins.txt')! + ' Anna Berg returned.');
      let n = 0;
      while (!ix.prepare(() => true)) n++;
      const again = built();
      again.setDocument('twins.txt', texts.get('twins.txt')! + ' Anna Berg returned.');
      assert.deepStrictEqual(view(ix), view(again));
    }
  });
});
