// Web-page chrome that survives copy-and-paste into a text file: share bars ("Share via"), comment prompts
// ("Post a Comment"), subscription prompts, widget labels ("closeicon"). Such lines are still text (a name in them is
// a name: "Want more from the JC?") but they are short, have no sentence structure and are made of interface words,
// so weak evidence (a capitalised word in a list-like line) must not turn their words into people or organisations.

import { Kind, Shape, type Token } from './tokens';
import { CHROME_WORDS, FUNCTION_WORDS } from './lexicon';
import type { Line } from './evidence';

export function chromeLines(tokens: Token[], lines: Line[]): Uint8Array {
  const out = new Uint8Array(lines.length);
  for (let l = 0; l < lines.length; l++) {
    const { first: a, last: b } = lines[l]!;
    if (a > b) continue;
    let words = 0;
    let chrome = 0;
    let content = 0;
    let sentenceEnd = false;
    for (let i = a; i <= b; i++) {
      const t = tokens[i]!;
      if (t.kind === Kind.Punct && t.text === '.') sentenceEnd = true;
      if (t.kind !== Kind.Word) continue;
      words++;
      if (FUNCTION_WORDS.has(t.lower)) continue;
      content++;
      if (CHROME_WORDS.has(t.lower)) chrome++;
      // Glued widget identifiers: one lower-case word alone on its line ("closeicon", "articlemain").
      else if (a === b && t.shape === Shape.Lower && t.text.length >= 6) chrome++;
    }
    if (words === 0 || words > 12 || sentenceEnd) continue;
    if (chrome >= 1 && chrome * 2 >= content) out[l] = 1;
  }
  return out;
}
