import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize, type Token } from '../../../server/src/core/tokens';
import { mentionTokens } from '../../../server/src/core/mentionTokens';
import type { Mention } from '../../../server/src/core/model';

/** The walk the search replaces: from the previous mention's first token, forward over every token. */
function naive(tokens: Token[], mentions: Mention[]) {
  const mentionAt = new Array<number>(tokens.length).fill(-1);
  const first: number[] = [];
  const last: number[] = [];
  let ti = 0;
  for (let m = 0; m < mentions.length; m++) {
    const men = mentions[m]!;
    while (ti < tokens.length && tokens[ti]!.end <= men.start) ti++;
    first.push(ti);
    let k = ti;
    for (; k < tokens.length && tokens[k]!.start < men.end; k++) mentionAt[k] = m;
    last.push(k - 1);
  }
  return { mentionAt, first, last };
}

const mention = (text: string, start: number, end: number): Mention => ({ start, end, text: text.slice(start, end), type: 'person', name: text.slice(start, end), form: 'full', rule: 'test' }) as Mention;

describe('mentionTokens', () => {
  it('maps mentions to tokens as a walk over every token does, far apart, adjacent, mid-token and at the end', () => {
    const text = 'Karen Whitlow met Mr Dalby. ' + 'Nothing here at all. '.repeat(40) + 'Olga Brenner and O’Brien’s aide Ada Ferris';
    const tokens = tokenize(text);
    const spans: Array<[number, number]> = [];
    for (const s of ['Karen Whitlow', 'Mr Dalby', 'Olga Brenner', 'O’Brien', 'Ada Ferris']) {
      const at = text.indexOf(s);
      spans.push([at, at + s.length]);
    }
    spans.splice(3, 0, [text.indexOf('and') + 1, text.indexOf('and') + 2]); // inside a token
    const mentions = spans.map(([s, e]) => mention(text, s, e));
    const got = mentionTokens(tokens, mentions);
    const want = naive(tokens, mentions);
    assert.deepEqual(Array.from(got.mentionAt), want.mentionAt);
    assert.deepEqual(got.first, want.first);
    assert.deepEqual(got.last, want.last);
  });

  it('handles no mentions and mentions past the last token', () => {
    const text = 'just words here';
    const tokens = tokenize(text);
    assert.deepEqual(Array.from(mentionTokens(tokens, []).mentionAt), [-1, -1, -1]);
    const late = [mention(text, text.length, text.length + 1)];
    assert.deepEqual(mentionTokens(tokens, late).first, naive(tokens, late).first);
  });
});
