import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Entity } from '../../../server/src/core/model';
import { matchName, MatchKind, SearchIndex, searchEntities } from '../../../server/src/core/search';

const entity = (name: string, aliases: string[], mentionCount = 1, type: Entity['type'] = 'person'): Entity => ({
  id: `${type}:${name.toLowerCase().replace(/[^a-z]+/g, '-')}`,
  type,
  name,
  aliases,
  mentionCount,
  fileCount: 1,
});

const corbyn = entity('Jeremy Corbyn', ['Jeremy Corbyn', 'Corbyn', '@jeremycorbyn'], 40);
const piers = entity('Piers Corbyn', ['Piers Corbyn'], 2);
const jlm = entity('Jewish Labour Movement', ['Jewish Labour Movement', 'JLM'], 12, 'organisation');
const labour = entity('Labour Party', ['Labour', 'Labour Party'], 90, 'organisation');
const zoe = entity('Zoë Castellan', ['Zoë Castellan'], 3);
const all = [labour, corbyn, jlm, zoe, piers];

describe('search: how a query matches a name', () => {
  const cases: Array<[string, string, MatchKind | undefined]> = [
    ['corbyn', 'Corbyn', MatchKind.Exact],
    ['jer', 'Jeremy Corbyn', MatchKind.Prefix],
    ['jeremycorbyn', 'Jeremy Corbyn', MatchKind.Exact],
    ['corb', 'Jeremy Corbyn', MatchKind.WordPrefix],
    ['jc', 'Jeremy Corbyn', MatchKind.Initials],
    ['jlm', 'Jewish Labour Movement', MatchKind.Initials],
    ['jcbn', 'Jeremy Corbyn', MatchKind.Subsequence],
    ['zoe', 'Zoë Castellan', MatchKind.Prefix],
    ['xyz', 'Jeremy Corbyn', undefined],
  ];
  for (const [q, name, kind] of cases) {
    it(`${q} ~ ${name}`, () => assert.equal(matchName(q, name)?.kind, kind));
  }
});

describe('search: ranking entities', () => {
  const cases: Array<[string, string[]]> = [
    ['corbyn', ['Jeremy Corbyn', 'Piers Corbyn']],
    ['jlm', ['Jewish Labour Movement']],
    ['lab', ['Labour Party', 'Jewish Labour Movement']],
    ['@jerem', ['Jeremy Corbyn']],
    ['ZOË', ['Zoë Castellan']],
    ['  ', ['Labour Party', 'Jeremy Corbyn', 'Jewish Labour Movement', 'Zoë Castellan', 'Piers Corbyn']],
    ['qqq', []],
  ];
  for (const [q, want] of cases) {
    it(JSON.stringify(q), () => assert.deepEqual(searchEntities(all, q).map((e) => e.name), want));
  }

  it('respects the limit', () => {
    assert.equal(searchEntities(all, 'o', 2).length, 2);
    assert.equal(searchEntities(all, 'o', 0).length, 0);
  });
});

describe('search: an index kept up to date entity by entity', () => {
  // Names from a small alphabet, so that queries match many of them and keys interleave.
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const word = () => Array.from({ length: 2 + rand(5) }, () => 'abcdeko'[rand(7)]).join('');
  const made = (i: number, gen: number): Entity => {
    const name = `${word()} ${word()}${gen % 2 ? ` ${word()}` : ''}`;
    return { ...entity(name, [name, word()], 1 + rand(50)), id: `person:e${i}` };
  };
  const queries = ['a', 'ab', 'ke', 'oo', 'dk', 'e', 'co', 'kab', 'zz'];
  const answers = (ix: SearchIndex) => queries.map((q) => ix.search(q, 5000).map((e) => e.id).join(','));

  it('answers as an index built from scratch, whatever the size of each batch of changes', () => {
    const live = new SearchIndex();
    const current = new Map<number, Entity>();
    for (let i = 0; i < 3000; i++) current.set(i, made(i, 0));
    for (const e of current.values()) live.set(e);
    // Batches of 1, 5 (spliced in), 9, 40, 300 (merged), 2000 (sorted again), with searches between them.
    for (const [round, batch] of [1, 5, 9, 40, 300, 2000].entries()) {
      for (let j = 0; j < batch; j++) {
        const i = rand(3500);
        if (rand(5) === 0 && current.has(i)) {
          current.delete(i);
          live.delete(`person:e${i}`);
        } else {
          const e = made(i, round + 1);
          current.set(i, e);
          live.set(e);
        }
      }
      if (round % 2) live.prepare();
      const fresh = new SearchIndex();
      for (const e of current.values()) fresh.set(e);
      assert.deepEqual(answers(live), answers(fresh), `after a batch of ${batch}`);
    }
  });
});
