// Which tokens each mention covers, shared by speakers and roles (both read "is this token part of a name?").

import type { Token } from './tokens';
import type { Mention } from './model';
import { Int32Scratch } from './scratch';

export interface MentionTokens {
  /** Mention index covering each token, or -1. */
  mentionAt: Int32Array;
  /** Token index of each mention's first and last token (plain arrays: a typed array this small costs more to make). */
  first: number[];
  last: number[];
}

const mentionAtScratch = new Int32Scratch();

/** For mentions sorted and not overlapping, as analyzeDocument keeps them. Valid until the next call. */
export function mentionTokens(tokens: Token[], mentions: Mention[]): MentionTokens {
  const mentionAt = mentionAtScratch.take(tokens.length, -1);
  const first: number[] = [];
  const last: number[] = [];
  let from = 0;
  for (let m = 0; m < mentions.length; m++) {
    const men = mentions[m]!;
    // The first token ending after the mention's start. Mentions are few and tokens many, and touching a token is what
    // costs: a galloping search forward from the previous mention reads a handful, not every token in between.
    let k = firstEndingAfter(tokens, men.start, from);
    from = k;
    first.push(k);
    for (; k < tokens.length && tokens[k]!.start < men.end; k++) mentionAt[k] = m;
    last.push(k - 1);
  }
  return { mentionAt, first, last };
}

/** The first index at or after `from` whose token ends after `offset` (token ends ascend), or tokens.length. */
function firstEndingAfter(tokens: Token[], offset: number, from: number): number {
  let lo = from;
  let hi = from;
  let step = 1;
  while (hi < tokens.length && tokens[hi]!.end <= offset) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > tokens.length) hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
