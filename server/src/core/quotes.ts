// Quotations: quotation marks paired in one pass per paragraph.
//
// A mark's role comes from its flanks first (space before and a word after opens; a word before and space or
// punctuation after closes) and from its glyph only when the flanks say nothing, so mis-typed pairs (”…" or “…“)
// pair up as a reader would pair them. Single marks are only quotation marks where an apostrophe cannot be ("don't",
// "Labour’s" and "the 90s" never reach here: the tokenizer keeps them in words). A paragraph whose quotation is not
// closed runs to the paragraph's end, and a following paragraph that opens with a mark continues it.

import { Kind, Shape, type Token } from './tokens';
import type { DocEvidence } from './evidence';
import { F } from './words';
import { isRegExpSpace } from './spaces';

export interface FoundQuote {
  start: number;
  end: number;
  /** Token index of the opening mark. */
  open: number;
  /** Token index of the closing mark, or -1 when the quotation runs to the paragraph's end. */
  close: number;
  /** Token index of the last token inside. */
  lastInside: number;
  continued: boolean;
  /** Runs to the end of its paragraph without a closing mark. */
  openEnded: boolean;
  /** Nesting depth: 0 for an outer quotation. */
  depth: number;
}

const DOUBLE = new Set(['"', '“', '”', '„', '‟', '«', '»', '″']);
const OPENING_GLYPH = new Set(['“', '‘', '„', '‚', '«', '‹', '‛', '‟']);
const CLOSING_GLYPH = new Set(['”', '’', '»', '›']);
const OPEN_PUNCT = new Set(['(', '[', '{', '—', '–', '-', ':', '/']);

/** Paragraphs as token ranges: a line break ends one, except inside a hard-wrapped sentence. */
export function paragraphs(ev: DocEvidence): Array<[number, number]> {
  const tokens = ev.tokens;
  const out: Array<[number, number]> = [];
  let first = 0;
  // Only a line's first token can break a paragraph: visiting lines, not tokens, keeps this off the token array.
  for (const line of ev.lines) {
    const i = line.first;
    if (i < 1 || i > line.last) continue;
    const t = tokens[i]!;
    if (t.nl === 0) continue;
    const prev = tokens[i - 1]!;
    // A single line break inside a sentence (previous line ends mid-sentence, next starts in lower case) is a wrap.
    const soft = t.nl === 1 && t.kind === Kind.Word && t.shape === 3 /* Lower */ && prev.kind === Kind.Word;
    if (soft) continue;
    out.push([first, i - 1]);
    first = i;
  }
  if (tokens.length > 0) out.push([first, tokens.length - 1]);
  return out;
}

export function findQuotes(ev: DocEvidence, paras: Array<[number, number]>): FoundQuote[] {
  const tokens = ev.tokens;
  const marks = ev.quoteMarks;
  const out: FoundQuote[] = [];
  let prevOpenEnded = false;
  // Only the quotation marks are visited (evidence lists them), not every token of every paragraph.
  let m = 0;
  for (const [a, b] of paras) {
    let dOpen = -1;
    let sOpen = -1;
    let thisOpenEnded = false;
    while (m < marks.length && marks[m]! < a) m++;
    // The mark that opens the paragraph, if one does.
    const paraFirst = m < marks.length && marks[m] === a ? a : -1;
    for (; m < marks.length && marks[m]! <= b; m++) {
      const i = marks[m]!;
      const t = tokens[i]!;
      const isDouble = DOUBLE.has(t.text);
      const { canOpen, canClose } = flanks(tokens, i, a, b);
      if (isDouble) {
        if (dOpen < 0) {
          if (canOpen || (!canClose && !CLOSING_GLYPH.has(t.text))) {
            dOpen = i;
            sOpen = -1;
          }
          // A closing mark with nothing open is stray: ignored.
        } else if (canClose || (!canOpen && !OPENING_GLYPH.has(t.text)) || (!canOpen && i === b)) {
          emit(ev, out, dOpen, i, i - 1, prevOpenEnded && dOpen === paraFirst, false, 0);
          dOpen = -1;
          sOpen = -1;
        } else if (canOpen && !canClose) {
          // Two openings in a row: the first was stray.
          dOpen = i;
          sOpen = -1;
        }
      } else {
        if (sOpen < 0) {
          if (canOpen && !canClose && singleMayOpen(tokens, i)) sOpen = i;
        } else if (canClose) {
          const depth = dOpen >= 0 ? 1 : 0;
          emit(ev, out, sOpen, i, i - 1, depth === 0 && prevOpenEnded && sOpen === paraFirst, false, depth);
          sOpen = -1;
        }
      }
    }
    if (dOpen >= 0) {
      // Runs to the paragraph's end; a following paragraph that opens with a mark continues it.
      emit(ev, out, dOpen, -1, b, prevOpenEnded && dOpen === paraFirst, true, 0);
      thisOpenEnded = true;
    } else if (sOpen >= 0 && sOpen === paraFirst) {
      emit(ev, out, sOpen, -1, b, prevOpenEnded, true, 0);
      thisOpenEnded = true;
    }
    // Only a paragraph left open carries the chain on; a continuation that closes ends it.
    prevOpenEnded = thisOpenEnded;
  }
  out.sort((x, y) => x.start - y.start || y.end - x.end);
  return out;
}

function flanks(tokens: Token[], i: number, a: number, b: number): { canOpen: boolean; canClose: boolean } {
  const t = tokens[i]!;
  const prev = i > a ? tokens[i - 1] : undefined;
  const next = i < b ? tokens[i + 1] : undefined;
  const spaceBefore = !prev || t.space;
  const spaceAfter = !next || next.space || next.nl > 0;
  const prevOpening = !!prev && !t.space && prev.kind === Kind.Punct && OPEN_PUNCT.has(prev.text);
  const prevMark = !!prev && !t.space && prev.kind === Kind.Quote;
  const nextPunct = !!next && !spaceAfter && next.kind === Kind.Punct && ',.;:!?)]…—–-'.includes(next.text[0]!);
  const nextMark = !!next && !spaceAfter && next.kind === Kind.Quote;
  let canOpen = !spaceAfter && (spaceBefore || prevOpening || prevMark) && !nextPunct;
  let canClose = !spaceBefore && !prevOpening && (spaceAfter || nextPunct || nextMark);
  if (canOpen && canClose) {
    canOpen = OPENING_GLYPH.has(t.text);
    canClose = !canOpen;
  }
  if (!canOpen && !canClose && !spaceBefore && !spaceAfter && !prevOpening) {
    // Glued on both sides ("word"word): trust the glyph.
    canOpen = OPENING_GLYPH.has(t.text);
    canClose = CLOSING_GLYPH.has(t.text);
  }
  return { canOpen, canClose };
}

/** A single mark opens a quotation only before a word, after white space, an opening bracket or a double mark. */
function singleMayOpen(tokens: Token[], i: number): boolean {
  const next = tokens[i + 1];
  if (!next || next.kind === Kind.Punct) return false;
  return true;
}

function emit(ev: DocEvidence, out: FoundQuote[], open: number, close: number, lastInside: number, continued: boolean, openEnded: boolean, depth: number): void {
  const tokens = ev.tokens;
  if (lastInside <= open) return;
  const first = open + 1;
  let start = tokens[first]!.start;
  let end = tokens[lastInside]!.end;
  const text = ev.text;
  while (start < end && isRegExpSpace(text.charCodeAt(start))) start++;
  while (end > start && isRegExpSpace(text.charCodeAt(end - 1))) end--;
  if (end <= start) return;
  if (!continued && !openEnded && isTitleOrName(tokens, first, lastInside)) return;
  out.push({ start, end, open, close, lastInside, continued, openEnded, depth });
}

/** "Freedom of Humanity", “Party Notes”, "Stand up to Racism": capitalised words in marks name a work or a body. */
function isTitleOrName(tokens: Token[], a: number, b: number): boolean {
  // Content words (the first word, and every other word that is not a function word), all capitalised.
  let content = 0;
  let words = 0;
  for (let i = a; i <= b; i++) {
    const t = tokens[i]!;
    if (t.kind === Kind.Punct && '.!?,;:'.includes(t.text)) return false;
    if (t.kind === Kind.Quote) return false;
    if (t.kind !== Kind.Word) continue;
    // Eight words are a sentence, not a title: no need to read on through a long quotation.
    if (++words > 7) return false;
    const isContent = i === a || !(t.f & F.Function);
    if (!isContent) continue;
    // A content word in lower case rules a title out whatever follows; most quotations are sentences and stop here.
    if (t.shape !== Shape.Cap && t.shape !== Shape.Upper) return false;
    content++;
  }
  if (words === 0) return false;
  if (words === 1) return content === 1 && !tokens[a]!.sentStart;
  return content >= 2;
}
