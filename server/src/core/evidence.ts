// What the document itself says about its words, gathered in one pass before any name is decided: which words are
// written in lower case somewhere (so a capitalised occurrence at a sentence start is likely an ordinary word), which
// are capitalised in mid-sentence, which lines are headlines in Title Case or all capitals, which lines form a list
// (a letter's signatories), and which are web-page chrome.

import { Kind, Shape, type Token } from './tokens';
import { FUNCTION_WORDS, NAME_CONNECTORS, ROLE_NOUNS } from './lexicon';
import { chromeLines } from './boilerplate';
import type { KnownNames } from './model';

export interface Line {
  /** Token index range [first, last] (inclusive); first > last for an empty line. */
  first: number;
  last: number;
}

export interface DocEvidence {
  text: string;
  tokens: Token[];
  lines: Line[];
  /** Line index of each token. */
  lineOf: Int32Array;
  /** Lower-case forms seen written in lower case. */
  lowerSeen: Set<string>;
  /** Lower-case forms seen capitalised in mid-sentence of an ordinary (non-headline) line. */
  capMid: Map<string, number>;
  /** Lines in Title Case or all capitals: their capitals say little. */
  headline: Uint8Array;
  /** Lines that belong to a block of list items (signatories, credits). */
  listLine: Uint8Array;
  /** How often each all-capitals word occurs. */
  upperCount: Map<string, number>;
  /** Lines of web-page chrome (share bars, subscription prompts). */
  chrome: Uint8Array;
  known?: KnownNames;
}

export function gatherEvidence(text: string, tokens: Token[], known?: KnownNames): DocEvidence {
  const lines: Line[] = [];
  const lineOf = new Int32Array(tokens.length);
  let first = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && tokens[i]!.nl > 0) {
      lines.push({ first, last: i - 1 });
      first = i;
    }
    lineOf[i] = lines.length;
  }
  if (tokens.length > 0) lines.push({ first, last: tokens.length - 1 });

  const headline = new Uint8Array(lines.length);
  const listLine = new Uint8Array(lines.length);
  markLists(tokens, lines, listLine);
  for (let l = 0; l < lines.length; l++) {
    // A list item ("Jane Doe, Some Branch CLP") is capitalised because it is made of names, not because it is a headline.
    if (listLine[l]) continue;
    const { first: a, last: b } = lines[l]!;
    let content = 0;
    let caps = 0;
    let uppers = 0;
    let lowers = 0;
    for (let i = a; i <= b; i++) {
      const t = tokens[i]!;
      if (t.kind !== Kind.Word) continue;
      if (FUNCTION_WORDS.has(t.lower) || NAME_CONNECTORS.has(t.lower)) continue;
      content++;
      if (t.shape === Shape.Cap) caps++;
      else if (t.shape === Shape.Upper) uppers++;
      else lowers++;
    }
    const last = tokens[b];
    const endsSentence = !!last && last.kind === Kind.Punct && (last.text === '.' || last.text === '!' || last.text === '?');
    // Title Case: most content words capitalised in a line of some length that is not a list item.
    if (content >= 4 && caps + uppers >= 0.8 * content && lowers <= 1 && !endsSentence) headline[l] = 1;
    if (content >= 3 && uppers >= 0.7 * content) headline[l] = 1;
  }

  const lowerSeen = new Set<string>();
  const capMid = new Map<string, number>();
  const upperCount = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== Kind.Word) continue;
    if (t.shape === Shape.Upper) upperCount.set(t.text, (upperCount.get(t.text) ?? 0) + 1);
    if (t.shape === Shape.Lower) lowerSeen.add(t.lower);
    else if (t.shape === Shape.Cap && !t.sentStart && !headline[lineOf[i]!] && !listLine[lineOf[i]!]) {
      capMid.set(t.lower, (capMid.get(t.lower) ?? 0) + 1);
    }
  }
  const chrome = chromeLines(tokens, lines);
  return { text, tokens, lines, lineOf, lowerSeen, capMid, upperCount, headline, listLine, chrome, known };
}

/**
 * A list block: three or more consecutive short lines that start with a capitalised word, do not end a sentence and
 * hold almost no lower-case words ("Jane Doe, Some Branch", "John Smith"). Signatory lists of open letters and
 * credit lists look like this; prose and headlines do not.
 */
function markLists(tokens: Token[], lines: Line[], out: Uint8Array): void {
  const item = new Uint8Array(lines.length);
  for (let l = 0; l < lines.length; l++) {
    const { first: a, last: b } = lines[l]!;
    if (a > b || b - a > 24) continue;
    const t0 = tokens[a]!;
    if (t0.kind !== Kind.Word || (t0.shape !== Shape.Cap && t0.shape !== Shape.Upper)) continue;
    const last = tokens[b]!;
    if (last.kind === Kind.Punct && (last.text === '.' || last.text === '!' || last.text === '?' || last.text === ':')) continue;
    let words = 0;
    let lowers = 0;
    for (let i = a; i <= b; i++) {
      const t = tokens[i]!;
      if (t.kind === Kind.Quote) { lowers += 3; continue; }
      if (t.kind !== Kind.Word) continue;
      words++;
      if (t.shape === Shape.Lower && !NAME_CONNECTORS.has(t.lower) && !ROLE_NOUNS.has(t.lower)) lowers++;
    }
    if (words >= 1 && words <= 14 && lowers <= 1) item[l] = 1;
  }
  for (let l = 0; l < lines.length; ) {
    if (!item[l]) { l++; continue; }
    let m = l;
    while (m < lines.length && item[m]) m++;
    if (m - l >= 3) for (let k = l; k < m; k++) out[k] = 1;
    l = m;
  }
}
