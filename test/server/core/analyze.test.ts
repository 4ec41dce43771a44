import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { assertInvariants } from './helpers-recognition';

const ARTICLE = `Councils face "a hard winter", says Green MP

Green MP Sara Quayle has written to all council leaders to say she will be "watching closely".

The Northern Teachers Association (NTA) said the move was "welcome". Its chair, Ada Ferris, added: "We have waited too long.

"Now we need action."

Mr Dalby, who leads the Coastal Rowing Club, told Newsdesk.co.uk that Quayle was "right".

Share via

Want more from the NTA?`;

describe('analyzeDocument', () => {
  it('returns people, organisations, quotations, speakers and roles for an article', () => {
    const a = analyzeDocument(ARTICLE);
    assert.deepEqual(a.problems, []);
    assertInvariants(ARTICLE, a);
    const names = a.mentions.map((m) => `${m.type[0]}:${m.text}`);
    for (const want of ['p:Sara Quayle', 'o:Northern Teachers Association', 'o:NTA', 'p:Ada Ferris', 'p:Mr Dalby', 'o:Coastal Rowing Club', 'o:Newsdesk.co.uk', 'p:Quayle']) {
      assert.ok(names.includes(want), `${want} in ${names.join(', ')}`);
    }
    assert.ok(!names.some((n) => n.includes('Share')), 'chrome is not a name');
    assert.equal(a.mentions.filter((m) => m.text === 'NTA').length, 2, 'the acronym in chrome text is still a name');
    const by = Object.fromEntries(a.quotes.map((q) => [q.text, q.speaker?.mention !== undefined ? a.mentions[q.speaker.mention]!.text : q.speaker?.descriptor]));
    assert.equal(by['watching closely'], 'Sara Quayle');
    assert.equal(by['We have waited too long.'], 'Ada Ferris');
    assert.equal(by['Now we need action.'], 'Ada Ferris');
    assert.equal(by['right'], 'Mr Dalby');
    assert.ok(a.quotes.find((q) => q.text === 'Now we need action.')!.continued);
    assert.ok(a.roles.some((r) => a.mentions[r.mention]!.text === 'Sara Quayle' && r.text === 'Green MP'));
  });

  it('every mention carries provenance and a confidence', () => {
    const a = analyzeDocument(ARTICLE);
    for (const m of a.mentions) {
      assert.ok(m.rule.length > 0);
      assert.ok(m.confidence > 0 && m.confidence <= 1);
    }
  });

  it('never throws and keeps the invariants on odd input', () => {
    const odd = ['', ' ', '\n\n\n', '"', '“unclosed', 'A (B) C (D', '@', 'Mr', 'Mr.', 'Lord of', 'The The The', '((((', 'ABC (ABC)', '\uD800', 'x'.repeat(5000), 'Mr '.repeat(2000), '"a" '.repeat(2000), 'And And And and & & Co Ltd'];
    for (const s of odd) {
      const a = analyzeDocument(s);
      assertInvariants(s, a);
    }
  });

  it('reports an internal failure as a problem instead of throwing', () => {
    const known = { typeOf: (): never => { throw new Error('boom'); } };
    const a = analyzeDocument('Quillfeather and Mr Dalby spoke.', { known });
    assert.ok(a.problems.length > 0);
    assertInvariants('Quillfeather and Mr Dalby spoke.', a);
  });

  it('is deterministic', () => {
    assert.deepEqual(analyzeDocument(ARTICLE), analyzeDocument(ARTICLE));
  });
});

describe('analyzeDocument on generated text', () => {
  it('keeps the invariants on random mixes of names, marks, brackets and line breaks', async () => {
    const fc = await import('fast-check');
    const pieces = ['Mr ', 'Jane ', 'Doe', ' said', ': ', '"', '“', '”', '‘', '’', "'", ' (', 'ABC', ')', ', ', '.', '\n', '\n\n', ' and ', ' of ', 'the ', 'Union', ' @jdoe', ' #tag', 'Ltd', '-', 'O’Neil', "'s", ' ', 'é', '\uD83D\uDE00'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 80 }), (parts) => {
        const text = parts.join('');
        const a = analyzeDocument(text);
        assertInvariants(text, a);
        assert.deepEqual(a.problems, []);
      }),
      { numRuns: 400, seed: 20261122 },
    );
  });
});
