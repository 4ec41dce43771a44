import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DocLists, DocSet } from '../../../server/src/core/docLists';

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

test('behaves as a Map of the same operations, its keys kept sorted and iterated in key order', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.string({ maxLength: 3 }), n: fc.nat(50) }),
    fc.record({ kind: fc.constant('delete' as const), key: fc.string({ maxLength: 3 }) }),
    fc.record({ kind: fc.constant('get' as const), key: fc.string({ maxLength: 3 }) }),
    fc.record({ kind: fc.constant('walk' as const) }),
    fc.record({ kind: fc.constant('walkOthers' as const), others: fc.array(fc.string({ maxLength: 3 }), { maxLength: 8 }) }),
    fc.record({ kind: fc.constant('clear' as const) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
      const lists = new DocLists();
      const map = new Map<string, number[]>();
      for (const o of ops) {
        if (o.kind === 'set') {
          assert.equal(lists.set(o.key, [o.n]), lists);
          map.set(o.key, [o.n]);
        } else if (o.kind === 'delete') assert.equal(lists.delete(o.key), map.delete(o.key));
        else if (o.kind === 'get') {
          assert.deepEqual(lists.get(o.key), map.get(o.key));
          assert.equal(lists.has(o.key), map.has(o.key));
        } else if (o.kind === 'walk') {
          // The index's walk: lookups in key order, which the hint answers without a search.
          for (const k of lists.sortedKeys) assert.deepEqual(lists.get(k), map.get(k));
        } else if (o.kind === 'walkOthers') {
          // Along another group's documents (some not here), in key order, as quotation lists are looked up.
          for (const k of [...new Set([...map.keys(), ...o.others])].sort(byKey)) assert.deepEqual(lists.get(k), map.get(k), k);
        } else {
          lists.clear();
          map.clear();
        }
        const keys = [...map.keys()].sort(byKey);
        assert.equal(lists.size, map.size);
        assert.deepEqual(lists.sortedKeys, keys);
        assert.deepEqual([...lists.keys()], keys);
        assert.deepEqual([...lists], keys.map((k) => [k, map.get(k)]));
        assert.deepEqual([...lists.values()], keys.map((k) => map.get(k)));
        keys.forEach((k, d) => {
          assert.equal(lists.keyAt(d), k);
          assert.equal(lists.listAt(d), lists.get(k));
        });
      }
    }),
    { numRuns: 300 },
  );
});

test('a key that is not there is not found, wherever the last lookup left off', () => {
  const lists = new DocLists();
  for (const k of ['b', 'd', 'f']) lists.set(k, [k.charCodeAt(0)]);
  for (const probe of ['a', 'b', 'c', 'd', 'e', 'f', 'g', '', 'bb']) {
    for (const before of ['b', 'd', 'f', 'x']) {
      lists.get(before);
      assert.deepEqual(lists.get(probe), ['b', 'd', 'f'].includes(probe) ? [probe.charCodeAt(0)] : undefined, `${probe} after ${before}`);
    }
  }
  // Keys compare as the index orders documents (code units), not by locale.
  lists.set('B', [1]).set('é', [2]).set('e\u0301', [3]);
  assert.deepEqual(lists.sortedKeys, ['B', 'b', 'd', 'e\u0301', 'f', 'é']);
});

test('from: a Map in any order becomes key order; a DocLists is taken as it is', () => {
  const m = new Map<string, number[]>([
    ['/c', [3]],
    ['/a', [1, 2]],
    ['/b', []],
  ]);
  const lists = DocLists.from(m);
  assert.deepEqual([...lists], [['/a', [1, 2]], ['/b', []], ['/c', [3]]]);
  assert.equal(lists.get('/a'), m.get('/a'));
  assert.equal(DocLists.from(lists), lists);
  assert.equal(DocLists.from(new Map()).size, 0);
});

test('forEach passes list, key and the lists themselves, in key order', () => {
  const lists = new DocLists().set('z', [1]).set('a', [2]);
  const seen: unknown[] = [];
  lists.forEach(function (this: unknown, list, key, self) {
    seen.push([list, key, self === lists, this]);
  }, 'ctx');
  assert.deepEqual(seen, [
    [[2], 'a', true, 'ctx'],
    [[1], 'z', true, 'ctx'],
  ]);
  assert.equal(Object.prototype.toString.call(lists), '[object DocLists]');
});

test('DocSet behaves as a Set of the same operations, iterated in key order, and may be changed while iterated', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), key: fc.string({ maxLength: 3 }) }),
    fc.record({ kind: fc.constant('delete' as const), key: fc.string({ maxLength: 3 }) }),
    fc.record({ kind: fc.constant('has' as const), key: fc.string({ maxLength: 3 }) }),
    fc.record({ kind: fc.constant('clear' as const) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
      const docs = new DocSet();
      const set = new Set<string>();
      for (const o of ops) {
        if (o.kind === 'add') {
          assert.equal(docs.add(o.key), docs);
          set.add(o.key);
        } else if (o.kind === 'delete') assert.equal(docs.delete(o.key), set.delete(o.key));
        else if (o.kind === 'has') assert.equal(docs.has(o.key), set.has(o.key));
        else {
          docs.clear();
          set.clear();
        }
        const keys = [...set].sort(byKey);
        assert.equal(docs.size, set.size);
        assert.deepEqual([...docs], keys);
        assert.deepEqual([...docs.keys()], keys);
        assert.deepEqual([...docs.values()], keys);
        assert.deepEqual([...docs.entries()], keys.map((k) => [k, k]));
      }
    }),
    { numRuns: 300 },
  );
  const docs = new DocSet().add('/c').add('/a').add('/b');
  const seen: string[] = [];
  for (const d of docs) {
    seen.push(d);
    docs.delete(d);
  }
  assert.deepEqual(seen, ['/a', '/b', '/c']);
  assert.equal(docs.size, 0);
  docs.add('/x');
  const each: unknown[] = [];
  docs.forEach(function (this: unknown, k, again, self) {
    each.push([k, again, self === docs, this]);
  }, 7);
  assert.deepEqual(each, [['/x', '/x', true, 7]]);
  assert.equal(Object.prototype.toString.call(docs), '[object DocSet]');
});
