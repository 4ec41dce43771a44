// ReadOnUse: a Map that stands for entries kept elsewhere, read in once by the first use that needs them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadOnUse } from '../../../server/src/core/readOnUse';

/** Stands for the pairs it was given; counts its reads; answers size unread, as the real ones do. */
class Counted extends ReadOnUse<string, number> {
  reads = 0;
  private pending: [string, number][] | undefined;
  constructor(pairs: [string, number][]) {
    super();
    this.pending = pairs;
  }
  override get size(): number {
    return this.pending ? this.pending.length : super.size;
  }
  override get(key: string): number | undefined {
    this.readIn();
    return super.get(key);
  }
  protected readIn(): void {
    if (!this.pending) return;
    const pairs = this.pending;
    this.pending = undefined;
    this.reads++;
    for (const [k, v] of pairs) super.set(k, v);
  }
}

const pairs = (): [string, number][] => [['b', 2], ['a', 1], ['c', 3]];

test('size is answered unread; every other use reads the entries in once, in their order', () => {
  const m = new Counted(pairs());
  assert.equal(m.size, 3);
  assert.equal(m.reads, 0);
  assert.deepEqual([...m], pairs());
  assert.deepEqual([...m.keys()], ['b', 'a', 'c']);
  assert.deepEqual([...m.values()], [2, 1, 3]);
  assert.equal(m.reads, 1);
});

test('a change first reads the entries in, so it changes the whole map, not an empty one', () => {
  const set = new Counted(pairs());
  set.set('d', 4);
  assert.deepEqual([...set.entries()], [...pairs(), ['d', 4]]);
  const del = new Counted(pairs());
  assert.equal(del.delete('a'), true);
  assert.equal(del.delete('zz'), false);
  assert.deepEqual([...del], [['b', 2], ['c', 3]]);
  const seen: string[] = [];
  new Counted(pairs()).forEach((v, k) => seen.push(`${k}=${v}`));
  assert.deepEqual(seen, ['b=2', 'a=1', 'c=3']);
  assert.equal(set.reads + del.reads, 2);
});

test('it is a Map to whoever copies or compares it', () => {
  const m = new Counted(pairs());
  assert.ok(m instanceof Map);
  assert.deepEqual(new Map(m), new Map(pairs()));
  assert.equal(m.get('c'), 3);
});
