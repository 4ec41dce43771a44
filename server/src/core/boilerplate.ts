// Web-page chrome that survives copy-and-paste into a text file: share bars ("Share via"), comment prompts
// ("Post a Comment"), subscription prompts, widget labels ("closeicon"). Such lines are still text (a name in them is
// a name: "Want more from the JC?") but they are short, have no sentence structure and are made of interface words,
// so weak evidence (a capitalised word in a list-like line) must not turn their words into people or organisations.

import { Kind, Shape, type Token } from './tokens';
import { F } from './words';
import type { Line } from './evidence';

/** A mark per line, 1 for chrome; into `out` when given (zeroed, one entry per line: evidence.ts's buffer). */
export function chromeLines(tokens: Token[], lines: Line[], out = new Uint8Array(lines.length)): Uint8Array {
  for (let l = 0; l < lines.length; l++) {
    const { first: a, last: b } = lines[l]!;
    if (a > b || !shortLine(tokens, a, b)) continue;
    let chrome = 0;
    let content = 0;
    for (let i = a; i <= b; i++) {
      const t = tokens[i]!;
      if (t.kind !== Kind.Word || (t.f & F.Function) !== 0) continue;
      content++;
      if ((t.f & F.Chrome) !== 0) chrome++;
      // Glued widget identifiers: one lower-case word alone on its line ("closeicon", "articlemain").
      else if (a === b && t.shape === Shape.Lower && t.text.length >= 6) chrome++;
    }
    if (chrome >= 1 && chrome * 2 >= content) out[l] = 1;
  }
  return out;
}

/** One to twelve words and no full stop: only such a line can be chrome. Tested before any word is looked up, and
 *  stopping at the first full stop or thirteenth word, because almost every line is prose. */
function shortLine(tokens: Token[], a: number, b: number): boolean {
  let words = 0;
  for (let i = a; i <= b; i++) {
    const t = tokens[i]!;
    if (t.kind === Kind.Word) {
      if (++words > 12) return false;
    } else if (t.kind === Kind.Punct && t.text === '.') return false;
  }
  return words > 0;
}
