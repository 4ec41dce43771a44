import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize } from '../../../server/src/core/tokens';
import { capMid, gatherEvidence, seenLower, upperCount, useMarks } from '../../../server/src/core/evidence';

// The word marks are kept per word id, stamped with the serial of the document that set them (evidence.ts): these
// check that the three kinds of mark are independent of each other and belong to one document only.
describe('evidence marks', () => {
  const at = (toks: ReturnType<typeof tokenize>, s: string, nth = 0) => toks.filter((t) => t.text === s)[nth]!;

  it('keeps lower-case use, mid-sentence capitals and the all-capitals count of one word apart', () => {
    const text = 'Unite said so. The union, Unite, agreed with UNITE and UNITE. A unite rally followed.';
    const toks = tokenize(text);
    const ev = gatherEvidence(text, toks);
    const cap = at(toks, 'Unite', 1);
    const upper = at(toks, 'UNITE');
    assert.ok(seenLower(ev, cap));
    assert.ok(capMid(ev, cap));
    assert.equal(upperCount(ev, upper), 2);
    // The count is of this exact spelling; the capitalised form was never written in capitals.
    assert.equal(upperCount(ev, cap), 0);
  });

  it('sets each mark on its own: a word only capitalised mid-sentence is not seen in lower case, and one only in lower case is not capitalised', () => {
    const text = 'Yesterday Momentum met. Later, the party met.';
    const toks = tokenize(text);
    const ev = gatherEvidence(text, toks);
    assert.ok(capMid(ev, at(toks, 'Momentum')));
    assert.ok(!seenLower(ev, at(toks, 'Momentum')));
    assert.ok(seenLower(ev, at(toks, 'party')));
    assert.ok(!capMid(ev, at(toks, 'party')));
    assert.equal(upperCount(ev, at(toks, 'Momentum')), 0);
  });

  it('counts all-capitals uses afresh in each document, and marks of another document never show', () => {
    const a = 'The BBC and the BBC and the BBC said it. Momentum met.';
    const b = 'BBC staff met momentum. Labour agreed.';
    const ta = tokenize(a);
    const evA = gatherEvidence(a, ta);
    assert.equal(upperCount(evA, at(ta, 'BBC')), 3);
    assert.ok(!seenLower(evA, at(ta, 'Momentum')));
    const tb = tokenize(b);
    const evB = gatherEvidence(b, tb);
    assert.equal(upperCount(evB, at(tb, 'BBC')), 1);
    assert.ok(seenLower(evB, at(tb, 'momentum')));
    // Document a's marks again (its tokens were overwritten by none: tokenize without `transient` makes new ones).
    useMarks(evA);
    assert.equal(upperCount(evA, at(ta, 'BBC')), 3);
    assert.ok(!seenLower(evA, at(ta, 'Momentum')));
    assert.ok(!capMid(evA, at(ta, 'The')));
    // A word of document b only (Labour) is not marked in a's evidence.
    assert.ok(!capMid(evA, at(tb, 'Labour')));
  });

  it('keeps a headline line\'s capitals out of the mid-sentence marks', () => {
    const text = 'Labour Party Wins Big Vote In Leeds\nThe party won.';
    const toks = tokenize(text);
    const ev = gatherEvidence(text, toks);
    assert.equal(ev.headline[0], 1);
    assert.ok(!capMid(ev, at(toks, 'Party')));
    assert.ok(seenLower(ev, at(toks, 'Party')));
  });
});
