import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRegExpSpace, singleSpaced } from '../../../server/src/core/spaces';

describe('spaces', () => {
  it('isRegExpSpace agrees with /\\s/ on every UTF-16 code', () => {
    for (let c = 0; c < 0x10000; c++) assert.equal(isRegExpSpace(c), /\s/.test(String.fromCharCode(c)), c.toString(16));
  });

  it('singleSpaced is replace(/\\s+/g, " ") and keeps the string when nothing changes', () => {
    for (const s of ['a b c', 'a  b', 'a\nb', ' a ', 'a\u00a0b', 'a \u2009b', '', ' ', 'ab ', 'a\t']) {
      assert.equal(singleSpaced(s), s.replace(/\s+/g, ' '), JSON.stringify(s));
    }
    const s = 'Labour MP';
    assert.equal(singleSpaced(s), s);
  });
});
