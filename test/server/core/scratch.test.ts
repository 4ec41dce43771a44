import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Int32Scratch, Uint8Scratch } from '../../../server/src/core/scratch';

describe('scratch arrays', () => {
  it('hands out exactly n elements, reset each time, growing as needed', () => {
    const s = new Int32Scratch();
    const a = s.take(3, -1);
    assert.deepEqual(Array.from(a), [-1, -1, -1]);
    a[1] = 7;
    assert.deepEqual(Array.from(s.take(4, -1)), [-1, -1, -1, -1], 'what the last document wrote is gone');
    assert.equal(s.take(5000, 0).length, 5000);
    const u = new Uint8Scratch();
    u.take(2)[0] = 1;
    assert.deepEqual(Array.from(u.take(2)), [0, 0]);
  });

  it('does not keep an array for a huge document', () => {
    const s = new Uint8Scratch();
    const big = s.take((1 << 20) + 1);
    big[0] = 1;
    assert.equal(big.length, (1 << 20) + 1);
    assert.equal(s.take(1)[0], 0);
  });
});
