// What the document itself says about its words, gathered before any name is decided: which words are
// written in lower case somewhere (so a capitalised occurrence at a sentence start is likely an ordinary word), which
// are capitalised in mid-sentence, which lines are headlines in Title Case or all capitals, which lines form a list
// (a letter's signatories), and which are web-page chrome.

import { Kind, Shape, type Token } from './tokens';
import { F, internedWords } from './words';
import { chromeLines } from './boilerplate';
import type { KnownNames } from './model';
import { Int32Scratch } from './scratch';

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

/**
 * The document's evidence. `transient`: the evidence is dropped before the next document's is gathered (analyze.ts),
 * so its arrays may be views of a buffer kept from one document to the next.
 */
export function gatherEvidence(text: string, tokens: Token[], known?: KnownNames, transient = false): DocEvidence {
  const lines: Line[] = [];
  let first = 0;
  let quotes = 0;
  let handles = 0;
  let opens = 0;
  // Where the marks are, noted on the way (they are few), so that filling their lists below visits them, not every token.
  const at = markScratch.take(tokens.length, 0);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i > 0 && t.nl > 0) {
      lines.push({ first, last: i - 1 });
      first = i;
    }
    const k = t.kind;
    if (k === Kind.Quote) quotes++;
    else if (k === Kind.Handle) handles++;
    else if (k === Kind.Punct && t.text === '(') opens++;
    else continue;
    at[quotes + handles + opens - 1] = i;
  }
  if (tokens.length > 0) lines.push({ first, last: tokens.length - 1 });

  // Every array of the document's evidence is a view of one buffer: allocating a typed array costs microseconds (its
  // backing store), eight of them per document cost more than some stages. A transient evidence reuses the buffer of
  // the one before.
  const n = tokens.length;
  const nLines = lines.length;
  const ints = n + quotes + handles + opens;
  const bytes = ints * 4 + nLines * 4;
  let buf: ArrayBuffer;
  if (transient && bytes <= MAX_KEPT_BYTES) {
    if (kept.byteLength < bytes) kept = new ArrayBuffer(Math.min(MAX_KEPT_BYTES, Math.max(bytes, 2 * kept.byteLength)));
    buf = kept;
    new Uint8Array(buf, ints * 4, nLines * 4).fill(0);
  } else {
    buf = new ArrayBuffer(bytes);
  }
  const lineOf = new Int32Array(buf, 0, n);
  const quoteMarks = new Int32Array(buf, n * 4, quotes);
  const handleMarks = new Int32Array(buf, (n + quotes) * 4, handles);
  const openMarks = new Int32Array(buf, (n + quotes + handles) * 4, opens);
  const headline = new Uint8Array(buf, ints * 4, nLines);
  const listLine = new Uint8Array(buf, ints * 4 + nLines, nLines);
  const chromeOut = new Uint8Array(buf, ints * 4 + 2 * nLines, nLines);
  const item = new Uint8Array(buf, ints * 4 + 3 * nLines, nLines);
  for (let l = 0; l < nLines; l++) {
    const line = lines[l]!;
    lineOf.fill(l, line.first, line.last + 1);
  }
  for (let m = 0, q = 0, h = 0, o = 0; m < quotes + handles + opens; m++) {
    const i = at[m]!;
    const k = tokens[i]!.kind;
    if (k === Kind.Quote) quoteMarks[q++] = i;
    else if (k === Kind.Handle) handleMarks[h++] = i;
    else openMarks[o++] = i;
  }
  markLists(tokens, lines, listLine, item);
  const serial = ++lastSerial;
  // (The test here rather than in a helper: a small function called once per document had no type feedback yet when
  // this one was optimised with it inlined, and deoptimised it.)
  if (MARK_INTS * internedWords() > marks.length) growMarks();
  for (let l = 0; l < lines.length; l++) {
    const { first: a, last: b } = lines[l]!;
    headline[l] = headlineAndMarks(tokens, a, b, serial, listLine[l] === 1) ? 1 : 0;
  }
  const chrome = chromeLines(tokens, lines, chromeOut);
  return { text, tokens, lines, lineOf, headline, listLine, quoteMarks, handleMarks, openMarks, serial, chrome, known };
}

/** gatherEvidence's list of mark positions (only ever used within one call), kept from one document to the next. */
const markScratch = new Int32Scratch();

/**
 * Whether the line a..b is a headline (never a list line: a list item, "Jane Doe, Some Branch CLP", is capitalised
 * because it is made of names), and the marks of its words. One pass over the line for both: the marks of capitals in
 * mid-sentence wait for the answer (a headline's capitals say little), so their tokens are noted on the way.
 */
/** The buffer transient evidence reuses; past MAX_KEPT_BYTES a document gets its own, so one huge document does not
 * pin memory. */
let kept = new ArrayBuffer(1 << 8); // small at first: see MIN_CAPACITY in words.ts
const MAX_KEPT_BYTES = 1 << 22;

function headlineAndMarks(tokens: Token[], a: number, b: number, serial: number, list: boolean): boolean {
  let content = 0;
  let caps = 0;
  let uppers = 0;
  let lowers = 0;
  if (b - a + 1 > capMidAt.length) capMidAt = new Int32Array(Math.max(b - a + 1, 2 * capMidAt.length));
  let capMids = 0;
  for (let i = a; i <= b; i++) {
    const t = tokens[i]!;
    if (t.kind !== Kind.Word) continue;
    const shape = t.shape;
    if (shape === Shape.Upper) countUpper(t.id, serial);
    if (shape === Shape.Lower) marks[MARK_INTS * t.lid + SEEN_LOWER] = serial;
    else if (shape === Shape.Cap && !t.sentStart) capMidAt[capMids++] = i;
    if (t.f & (F.Function | F.Connector)) continue;
    content++;
    if (shape === Shape.Cap) caps++;
    else if (shape === Shape.Upper) uppers++;
    else lowers++;
  }
  const headline = !list && isHeadline(content, caps, uppers, lowers, tokens[b]);
  if (!headline && !list) for (let k = 0; k < capMids; k++) marks[MARK_INTS * tokens[capMidAt[k]!]!.lid + CAP_MID] = serial;
  return headline;
}
/** Token indices of a line's capitalised words in mid-sentence (headlineAndMarks), kept from line to line. */
let capMidAt = new Int32Array(8); // small at first: see MIN_CAPACITY in words.ts

const SENTENCE_ENDS = new Set(['.', '!', '?']);
/** What a list item does not end with. */
const LIST_ENDS = new Set(['.', '!', '?', ':']);

/** Title Case or all capitals, from the counts of a line's content words and its last token. */
function isHeadline(content: number, caps: number, uppers: number, lowers: number, last: Token | undefined): boolean {
  // (A set lookup, not a chain of comparisons: each comparison first reached after this was optimised deoptimised it.)
  const endsSentence = !!last && last.kind === Kind.Punct && SENTENCE_ENDS.has(last.text);
  // Title Case: most content words capitalised in a line of some length that is not a list item.
  if (content >= 4 && caps + uppers >= 0.8 * content && lowers <= 1 && !endsSentence) return true;
  return content >= 3 && uppers >= 0.7 * content;
}

// What the document shows about its words is kept as marks in arrays indexed by word id (words.ts), stamped with a
// serial per document: setting and testing an array entry is cheaper than a set of strings per document, and most of a
// document's tokens are marked. Only the latest document's marks are held; evidence of an earlier one is marked again on
// use. (Ids start again when the word table is dropped, but a document's tokens all carry ids of one table, and its
// marks are made again from those tokens whenever another document was marked since.)
// A word's marks are MARK_INTS ints side by side in `marks`, from MARK_INTS * id: the serial of the document that writes
// it in lower case (SEEN_LOWER), the serial of the one that capitalises it in mid-sentence (CAP_MID), and the serial
// and count of its all-capitals uses (COUNT_SERIAL, COUNT). Side by side, marking a token touches one memory line, not
// three (words are scattered over the table, so each array cost a miss). The two flags are serials, not bits beside
// one serial, so that marking a token is a store that waits for nothing: reading the word's entry first, to see
// whether it held another document's marks, stalled on that miss for most tokens (warm 10 MB in process: recognition
// 1.5–2.7 % faster, medians of 5 passes and of 460 interleaved chunks; gatherEvidence's own time 9.1 → 6.4 %).
let lastSerial = 0;
const MARK_INTS = 4;
const SEEN_LOWER = 0;
const CAP_MID = 1;
const COUNT_SERIAL = 2;
const COUNT = 3;
let marks = new Int32Array(MARK_INTS << 4); // small at first: see MIN_CAPACITY in words.ts

/** Makes the mark array hold every interned word's id. */
function growMarks(): void {
  const n = internedWords();
  let cap = marks.length;
  while (cap < MARK_INTS * n) cap *= 2;
  const m = new Int32Array(cap);
  m.set(marks);
  marks = m;
}

/** Counts an all-capitals use of the word (the count restarts when it held another document's). */
function countUpper(id: number, serial: number): void {
  const at = MARK_INTS * id;
  if (marks[at + COUNT_SERIAL] !== serial) {
    marks[at + COUNT_SERIAL] = serial;
    marks[at + COUNT] = 0;
  }
  marks[at + COUNT]!++;
}

function markLine(tokens: Token[], a: number, b: number, serial: number, ordinary: boolean): void {
  for (let i = a; i <= b; i++) {
    const t = tokens[i]!;
    if (t.kind !== Kind.Word) continue;
    if (t.shape === Shape.Upper) countUpper(t.id, serial);
    if (t.shape === Shape.Lower) marks[MARK_INTS * t.lid + SEEN_LOWER] = serial;
    else if (t.shape === Shape.Cap && ordinary && !t.sentStart) marks[MARK_INTS * t.lid + CAP_MID] = serial;
  }
}

/** Makes the document's word marks the current ones (they are, unless another document was gathered since). */
export function useMarks(ev: DocEvidence): void {
  if (ev.serial === lastSerial) return;
  const serial = (ev.serial = ++lastSerial);
  if (MARK_INTS * internedWords() > marks.length) growMarks();
  ev.lines.forEach(({ first, last }, l) => markLine(ev.tokens, first, last, serial, !ev.headline[l] && !ev.listLine[l]));
}

/** Whether the token's lower-case form is written in lower case somewhere in the document. */
export function seenLower(ev: DocEvidence, t: Token): boolean {
  return marks[MARK_INTS * t.lid + SEEN_LOWER] === ev.serial;
}
/** Whether the token's lower-case form is capitalised in mid-sentence of an ordinary (non-headline) line. */
export function capMid(ev: DocEvidence, t: Token): boolean {
  return marks[MARK_INTS * t.lid + CAP_MID] === ev.serial;
}
/** How often the token's text occurs in all capitals. */
export function upperCount(ev: DocEvidence, t: Token): number {
  const at = MARK_INTS * t.id;
  return marks[at + COUNT_SERIAL] === ev.serial ? marks[at + COUNT]! : 0;
}

/**
 * A list block: three or more consecutive short lines that start with a capitalised word, do not end a sentence and
 * hold almost no lower-case words ("Jane Doe, Some Branch", "John Smith"). Signatory lists of open letters and
 * credit lists look like this; prose and headlines do not. `item` is working space, one zeroed entry per line.
 */
function markLists(tokens: Token[], lines: Line[], out: Uint8Array, item: Uint8Array): void {
  for (let l = 0; l < lines.length; l++) {
    const { first: a, last: b } = lines[l]!;
    if (a > b || b - a > 24) continue;
    const t0 = tokens[a]!;
    if (t0.kind !== Kind.Word || (t0.shape !== Shape.Cap && t0.shape !== Shape.Upper)) continue;
    const last = tokens[b]!;
    if (last.kind === Kind.Punct && LIST_ENDS.has(last.text)) continue;
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
