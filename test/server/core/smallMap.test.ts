import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SmallMap } from '../../../server/src/core/smallMap';
import { resolveLookup } from '../../../server/src/core/aliases';

test('behaves as a Map of the same operations, iterated in insertion order', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'd', '', 'def:x');
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key, n: fc.integer({ min: -3, max: 50 }) }),
    fc.record({ kind: fc.constant('delete' as const), key }),
    fc.record({ kind: fc.constant('get' as const), key }),
    fc.record({ kind: fc.constant('clear' as const) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const table = new SmallMap<number>();
      const map = new Map<string, number>();
      for (const o of ops) {
        if (o.kind === 'set') assert.equal(table.set(o.key, o.n), table), map.set(o.key, o.n);
        else if (o.kind === 'delete') assert.equal(table.delete(o.key), map.delete(o.key));
        else if (o.kind === 'get') {
          assert.equal(table.get(o.key), map.get(o.key));
          assert.equal(table.has(o.key), map.has(o.key));
        } else table.clear(), map.clear();
        assert.equal(table.size, map.size);
        assert.deepEqual([...table], [...map]);
        assert.deepEqual([...table.keys()], [...map.keys()]);
        assert.deepEqual([...table.values()], [...map.values()]);
        const seen: [string, number][] = [];
        table.forEach((n, k, m) => (assert.equal(m, table), seen.push([k, n])));
        assert.deepEqual(seen, [...map.entries()]);
      }
    }),
    { numRuns: 400 },
  );
});

test('an entry deleted while iterating does not stop the walk, as with a Map', () => {
  const table = new SmallMap<number>().set('a', 1).set('b', 2).set('c', 3);
  const seen: string[] = [];
  for (const [k] of table) {
    seen.push(k);
    table.delete(k);
  }
  assert.deepEqual(seen, ['a', 'b', 'c']);
  assert.equal(table.size, 0);
  assert.deepEqual([...table], []);
});

test('answers lookups as a Map of the same counts', () => {
  const cases: Array<[string, Array<[string, number]>]> = [
    ['acr|organisation|JLM', [['def:organisation|n|jewish labour movement', 2], ['ini:organisation|n|jlm group', 1]]],
    ['sur|person|Corbyn', [['person|n|jeremy corbyn', 4]]],
    ['sur|person|Smith', [['person|n|ann smith', 1], ['person|n|bob smith', 1]]],
    ['sur|person|Nobody', []],
  ];
  for (const [lk, entries] of cases) {
    const table = new SmallMap<number>();
    for (const [v, n] of entries) table.set(v, n);
    assert.equal(resolveLookup(lk, table), resolveLookup(lk, new Map(entries)), lk);
  }
});
