import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastWhere, prefixLength } from '../../../server/src/core/sorted';

test('lastWhere finds the last item of the prefix where the predicate holds', () => {
  const starts = [2, 5, 5, 9, 14];
  assert.equal(lastWhere(starts, (s) => s <= 1), -1);
  assert.equal(lastWhere(starts, (s) => s <= 5), 2);
  assert.equal(lastWhere(starts, (s) => s <= 13), 3);
  assert.equal(lastWhere(starts, (s) => s <= 99), 4);
  assert.equal(lastWhere([], () => true), -1);
});

test('prefixLength counts the indices of the prefix where the predicate holds (a lower bound with a comparator)', () => {
  const xs = new Uint32Array([2, 4, 4, 7]);
  assert.equal(prefixLength(xs.length, (i) => xs[i] < 0), 0);
  assert.equal(prefixLength(xs.length, (i) => xs[i] < 4), 1);
  assert.equal(prefixLength(xs.length, (i) => xs[i] < 5), 3);
  assert.equal(prefixLength(xs.length, (i) => xs[i] < 99), 4);
  assert.equal(prefixLength(0, () => true), 0);
});
