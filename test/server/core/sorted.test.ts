import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastWhere } from '../../../server/src/core/sorted';

test('lastWhere finds the last item of the prefix where the predicate holds', () => {
  const starts = [2, 5, 5, 9, 14];
  assert.equal(lastWhere(starts, (s) => s <= 1), -1);
  assert.equal(lastWhere(starts, (s) => s <= 5), 2);
  assert.equal(lastWhere(starts, (s) => s <= 13), 3);
  assert.equal(lastWhere(starts, (s) => s <= 99), 4);
  assert.equal(lastWhere([], () => true), -1);
});
