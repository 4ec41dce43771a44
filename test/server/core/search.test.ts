import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Entity } from '../../../server/src/core/model';
import { matchName, MatchKind, searchEntities } from '../../../server/src/core/search';

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
