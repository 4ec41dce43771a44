// What the document itself says about its words, gathered before any name is decided: which words are
// written in lower case somewhere (so a capitalised occurrence at a sentence start is likely an ordinary word), which
// are capitalised in mid-sentence, which lines are headlines in Title Case or all capitals, which lines form a list
// (a letter's signatories), and which are web-page chrome.

import { Kind, Shape, type Token } from './tokens';
import { F, internedWords } from './words';
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
  /** Lines in Title Case or all capitals: their capitals say little. */
  headline: Uint8Array;
  /** Lines that belong to a block of list items (signatories, credits). */
  listLine: Uint8Array;
  /** Token indices of the quotation marks (Kind.Quote), ascending: quotes.ts visits these, not every token. */
  quoteMarks: Int32Array;
  /** Token indices of the @handles and of the "(" tokens, ascending: names.ts visits these, not every token. */
  handleMarks: Int32Array;
  openMarks: Int32Array;
  /** The serial of the word marks (seenLower, capMid, upperCount) that hold for this document. */
  serial: number;
  /** Lines of web-page chrome (share bars, subscription prompts). */
  chrome: Uint8Array;
  known?: KnownNames;
}

export function gatherEvidence(text: string, tokens: Token[], known?: KnownNames): DocEvidence {
  const lines: Line[] = [];
  const lineOf = new Int32Array(tokens.length);
  let first = 0;
  let quotes = 0;
  let handles = 0;
  let opens = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i > 0 && t.nl > 0) {
      lines.push({ first, last: i - 1 });
      first = i;
    }
    lineOf[i] = lines.length;
    const k = t.kind;
    if (k === Kind.Quote) quotes++;
    else if (k === Kind.Handle) handles++;
    else if (k === Kind.Punct && t.text === '(') opens++;
  }
  const quoteMarks = new Int32Array(quotes);
  const handleMarks = new Int32Array(handles);
  const openMarks = new Int32Array(opens);
  if (quotes + handles + opens > 0) {
    for (let i = 0, q = 0, h = 0, o = 0; q + h + o < quotes + handles + opens; i++) {
      const t = tokens[i]!;
      const k = t.kind;
      if (k === Kind.Quote) quoteMarks[q++] = i;
      else if (k === Kind.Handle) handleMarks[h++] = i;
      else if (k === Kind.Punct && t.text === '(') openMarks[o++] = i;
    }
  }
  if (tokens.length > 0) lines.push({ first, last: tokens.length - 1 });

  const headline = new Uint8Array(lines.length);
  const listLine = new Uint8Array(lines.length);
  markLists(tokens, lines, listLine);
  const serial = ++lastSerial;
  fitMarks();
  for (let l = 0; l < lines.length; l++) {
    const { first: a, last: b } = lines[l]!;
    // A list item ("Jane Doe, Some Branch CLP") is capitalised because it is made of names, not because it is a headline.
    if (!listLine[l]) headline[l] = isHeadline(tokens, a, b) ? 1 : 0;
    // The words' marks, line by line while the line's tokens are at hand.
    markLine(tokens, a, b, serial, !headline[l] && !listLine[l]);
  }
  const chrome = chromeLines(tokens, lines);
  return { text, tokens, lines, lineOf, headline, listLine, quoteMarks, handleMarks, openMarks, serial, chrome, known };
}

function isHeadline(tokens: Token[], a: number, b: number): boolean {
  let content = 0;
  let caps = 0;
  let uppers = 0;
  let lowers = 0;
  for (let i = a; i <= b; i++) {
    const t = tokens[i]!;
    if (t.kind !== Kind.Word) continue;
    if (t.f & (F.Function | F.Connector)) continue;
    content++;
    if (t.shape === Shape.Cap) caps++;
    else if (t.shape === Shape.Upper) uppers++;
    else lowers++;
  }
  const last = tokens[b];
  const endsSentence = !!last && last.kind === Kind.Punct && (last.text === '.' || last.text === '!' || last.text === '?');
  // Title Case: most content words capitalised in a line of some length that is not a list item.
  if (content >= 4 && caps + uppers >= 0.8 * content && lowers <= 1 && !endsSentence) return true;
  return content >= 3 && uppers >= 0.7 * content;
}

// What the document shows about its words is kept as marks in arrays indexed by word id (words.ts), stamped with a
// serial per document: setting and testing an array entry is cheaper than a set of strings per document, and most of a
// document's tokens are marked. Only the latest document's marks are held; evidence of an earlier one is marked again on
// use. (Ids start again when the word table is dropped, but a document's tokens all carry ids of one table, and its
// marks are made again from those tokens whenever another document was marked since.)
let lastSerial = 0;
const SEEN_LOWER = 1;
const CAP_MID = 2;
let markDoc = new Int32Array(1 << 12);
let markBits = new Uint8Array(1 << 12);
let markCount = new Int32Array(1 << 12);

/** Makes the mark arrays hold every id of `tokens`. */
function fitMarks(): void {
  const n = internedWords();
  if (n <= markDoc.length) return;
  let cap = markDoc.length;
  while (cap < n) cap *= 2;
  const d = new Int32Array(cap);
  d.set(markDoc);
  markDoc = d;
  const b = new Uint8Array(cap);
  b.set(markBits);
  markBits = b;
  const c = new Int32Array(cap);
  c.set(markCount);
  markCount = c;
}

function touch(id: number, serial: number): number {
  if (markDoc[id] !== serial) {
    markDoc[id] = serial;
    markBits[id] = 0;
    markCount[id] = 0;
  }
  return id;
}

function markLine(tokens: Token[], a: number, b: number, serial: number, ordinary: boolean): void {
  for (let i = a; i <= b; i++) {
    const t = tokens[i]!;
    if (t.kind !== Kind.Word) continue;
    if (t.shape === Shape.Upper) markCount[touch(t.id, serial)]!++;
    if (t.shape === Shape.Lower) markBits[touch(t.lid, serial)]! |= SEEN_LOWER;
    else if (t.shape === Shape.Cap && ordinary && !t.sentStart) markBits[touch(t.lid, serial)]! |= CAP_MID;
  }
}

/** Makes the document's word marks the current ones (they are, unless another document was gathered since). */
export function useMarks(ev: DocEvidence): void {
  if (ev.serial === lastSerial) return;
  const serial = (ev.serial = ++lastSerial);
  fitMarks();
  ev.lines.forEach(({ first, last }, l) => markLine(ev.tokens, first, last, serial, !ev.headline[l] && !ev.listLine[l]));
}

/** Whether the token's lower-case form is written in lower case somewhere in the document. */
export function seenLower(ev: DocEvidence, t: Token): boolean {
  const l = t.lid;
  return markDoc[l] === ev.serial && (markBits[l]! & SEEN_LOWER) !== 0;
}
/** Whether the token's lower-case form is capitalised in mid-sentence of an ordinary (non-headline) line. */
export function capMid(ev: DocEvidence, t: Token): boolean {
  const l = t.lid;
  return markDoc[l] === ev.serial && (markBits[l]! & CAP_MID) !== 0;
}
/** How often the token's text occurs in all capitals. */
export function upperCount(ev: DocEvidence, t: Token): number {
  const w = t.id;
  return markDoc[w] === ev.serial ? markCount[w]! : 0;
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
      if (t.shape === Shape.Lower && !(t.f & (F.Connector | F.RoleNoun))) lowers++;
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
