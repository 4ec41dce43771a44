// One linear pass over the text: words with offsets and capitalisation shape, numbers, punctuation, quotation
// marks, @handles, #hashtags and URLs, with the line breaks and sentence starts the recognisers need.
//
// Apostrophes inside words stay in the word ("don't", "O'Brien"); a possessive "'s"/"’s" is split off as its own
// token so that a name's span can end before it. Hyphens are their own tokens (glued: no space before), so that
// "Corbyn-backing" exposes "Corbyn" while name building can still join "Frayne-Reid".

import { F, hashRange, lookupChar, lookupRange, lowerIdOf, lowerOf as lowerOfId, metaOf, startDocument, textOf } from './words';

export const enum Kind {
  Word = 0,
  Number = 1,
  Punct = 2,
  /** A mark that may open or close a quotation: " “ ” „ ' ‘ ’ ` « » ‹ ›. */
  Quote = 3,
  Handle = 4,
  Hashtag = 5,
  Url = 6,
  /** The possessive "'s" / "’s" split off a word. */
  Possessive = 7,
}

export const enum Shape {
  /** Not a letter word (numbers, punctuation). */
  None = 0,
  /** Initial capital, the rest not all capitals: "Corbyn", "McDonald", "O'Brien", a single capital "J". */
  Cap = 1,
  /** Two or more letters, all capitals: "JLM", "BBC". */
  Upper = 2,
  /** Lower-case initial: "said", "van". */
  Lower = 3,
  /** Lower-case initial with a capital inside: "eBay", "iPhone". */
  Mixed = 4,
}

// The small fields of a token share one integer (`bits`), read through getters: a document has a token per five
// characters, and with eight fields instead of twelve each is a third smaller, so there is less to allocate and to
// collect, and every later pass over the tokens reads fewer memory lines.
const KIND_MASK = 7;
const SHAPE_SHIFT = 3;
const SPACE_BIT = 1 << 6;
const SENT_START_BIT = 1 << 7;
const NL_SHIFT = 8;

/** A token. A class, so that every token has one shape (all are made by push and pushWord). */
export class Token {
  // Declared, not class fields: with class fields (ES2022) every token first ran an initializer that defined each
  // field as undefined, then the constructor's stores; two million tokens per 10 MB of text.
  declare start: number;
  declare end: number;
  /** The token's text and lower-case form (the text itself for all but words), shared with every equal token. */
  declare text: string;
  declare lower: string;
  /** The word's lexical features (words.ts: the F bits of its interned word, for every kind of token). */
  declare f: number;
  /** The interned word's id (wordOf(id) is the word) and its lower-case form's: evidence.ts keeps per-document marks
   * in arrays by id. */
  declare id: number;
  declare lid: number;
  /** kind, shape, space, sentStart and nl packed (see the getters). */
  declare bits: number;
  constructor(start: number, end: number, text: string, lower: string, f: number, id: number, lid: number, bits: number) {
    this.start = start;
    this.end = end;
    this.text = text;
    this.lower = lower;
    this.f = f;
    this.id = id;
    this.lid = lid;
    this.bits = bits;
  }

  get kind(): Kind {
    return (this.bits & KIND_MASK) as Kind;
  }
  get shape(): Shape {
    return ((this.bits >>> SHAPE_SHIFT) & 7) as Shape;
  }
  /** Line breaks between the previous token and this one (0 = same line). */
  get nl(): number {
    return this.bits >>> NL_SHIFT;
  }
  /** White space between the previous token and this one. */
  get space(): boolean {
    return (this.bits & SPACE_BIT) !== 0;
  }
  /** First token of a sentence (after . ! ? : or a line break; quotation marks and brackets are looked through). */
  get sentStart(): boolean {
    return (this.bits & SENT_START_BIT) !== 0;
  }
}

const APOS = 0x27; // '
const RSQUO = 0x2019; // ’

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
const LETTER = /\p{L}|\p{M}/u;
/** The regex's answer per char code, once each (0 = not asked yet, 1 = letter, 2 = not): dashes, ellipses and the
 * like come after words everywhere, and the tokenizer asks about the next character at every word's end. */
const letterCache = new Uint8Array(0x10000);
export function isLetter(c: number): boolean {
  if (c < 128) return isAsciiLetter(c);
  // (Also false past the end of the text, where charCodeAt gives NaN.)
  if (!(c >= 0xc0)) return false;
  if (c === RSQUO || c === 0x2018 || c === 0x201c || c === 0x201d) return false;
  const known = letterCache[c]!;
  if (known !== 0) return known === 1;
  const letter = LETTER.test(String.fromCharCode(c));
  letterCache[c] = letter ? 1 : 2;
  return letter;
}
function isSpace(c: number): boolean {
  // Asked at every token's start: printable ASCII (most of them) answers at the first test.
  if (c > 32 && c < 0xa0) return false;
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x2009 || c === 0x200b || c === 0x202f || c === 12 || c === 11 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 0xfeff;
}
export function isQuoteChar(c: number): boolean {
  return (
    c === 0x22 || c === APOS || c === 0x60 || c === 0x201c || c === 0x201d || c === 0x201e || c === 0x201f ||
    c === 0x2018 || c === RSQUO || c === 0x201a || c === 0x201b || c === 0xab || c === 0xbb || c === 0x2039 || c === 0x203a
  );
}

/** 1 = upper-case letter, 2 = lower-case letter, 0 = neither. Char codes only: String case methods on two-byte
 * strings go through ICU and cost a microsecond each, which would dominate tokenising. */
function letterCase(c: number): number {
  if (c >= 65 && c <= 90) return 1;
  if (c >= 97 && c <= 122) return 2;
  if (c < 0xc0) return 0;
  const ch = String.fromCharCode(c);
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  if (lo === up) return isLetter(c) ? 2 : 0;
  return ch === up ? 1 : 2;
}

export function shapeOf(w: string): Shape {
  if (w.length === 0) return Shape.None;
  const c0 = letterCase(w.charCodeAt(0));
  if (c0 === 0) return Shape.None;
  let letters = 0;
  let uppers = 0;
  for (let i = 0; i < w.length; i++) {
    const lc = letterCase(w.charCodeAt(i));
    if (lc === 0) continue;
    letters++;
    if (lc === 1) uppers++;
  }
  if (c0 === 1) return letters >= 2 && uppers === letters ? Shape.Upper : Shape.Cap;
  return uppers > 0 ? Shape.Mixed : Shape.Lower;
}

/** The shape of an ASCII word from its first character and its letter counts (same answer as shapeOf). */
function fastShape(first: number, uppers: number, letters: number): Shape {
  if (first >= 65 && first <= 90) return letters >= 2 && uppers === letters ? Shape.Upper : Shape.Cap;
  if (first >= 97 && first <= 122) return uppers > 0 ? Shape.Mixed : Shape.Lower;
  return Shape.None;
}

/** Lower-case form without ICU for the common cases (already lower case; ASCII). */
function lowerOf(w: string, shape: Shape): string {
  if (shape === Shape.Lower) return w;
  let ascii = true;
  for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) >= 128) { ascii = false; break; }
  if (!ascii) return w.toLowerCase();
  if (shape === Shape.Cap) {
    let rest = true;
    for (let i = 1; i < w.length; i++) { const c = w.charCodeAt(i); if (c >= 65 && c <= 90) { rest = false; break; } }
    if (rest) return String.fromCharCode(w.charCodeAt(0) | 32) + w.slice(1);
  }
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    out += String.fromCharCode(c >= 65 && c <= 90 ? c | 32 : c);
  }
  return out;
}

/** The lower-case form and shape of a newly seen word (once per distinct text: words.ts). */
function describeWord(s: string): [string, number] {
  const shape = scannedShape(s);
  return [lowerOf(s, shape), shape];
}

/**
 * The shape tokenize gives the word s: shapeOf for dotted and non-ASCII words; for the others fastShape over the
 * letters the scan counts, which skips the letter after an inner apostrophe ("O'Brien").
 */
function scannedShape(s: string): Shape {
  const c = s.charCodeAt(0);
  // (One way out to shapeOf, and the test for a non-ASCII letter made for every character that is not an ASCII letter:
  // each test or call first reached after this was optimised, by a word with a digit or a non-ASCII letter some
  // documents into a worker's life, deoptimised it.)
  let slow = c >= 128 || s.includes('.');
  let uppers = c >= 65 && c <= 90 ? 1 : 0;
  let letters = 1;
  for (let k = 1; k < s.length && !slow; k++) {
    const d = s.charCodeAt(k);
    if (d >= 97 && d <= 122) letters++;
    else if (d >= 65 && d <= 90) letters++, uppers++;
    else if (d !== RSQUO && d >= 128) slow = true;
    else if (d === APOS || d === RSQUO) k++;
  }
  return slow ? shapeOf(s) : fastShape(c, uppers, letters);
}
/** Other tokens are their own lower-case form (and lexical features are asked of the text as it is). No text is both a
 * word and another kind of token (a domain's last part is longer than an initial's), so one text needs one description. */
function describeOther(s: string): [string, number] {
  return [s, Shape.None];
}

/** What the scan carries from one token to the next (an object rather than closure variables: cheaper to update). */
interface ScanState {
  text: string;
  out: Token[];
  /** Take the tokens from `kept` (tokenize's `transient`). */
  reuse: boolean;
  nl: number;
  space: boolean;
  /** Is the next token a sentence start? */
  atSentStart: boolean;
}

/** Passed as a word's shape to take the interned word's (scannedShape, computed once per distinct word). */
const SHAPE_OF_WORD = -1 as Shape;

/** Appends a token (`hash`: its hashRange, when the scan has it). */
function push(st: ScanState, start: number, end: number, kind: Kind, shape: Shape, hash?: number): void {
  const text = st.text;
  const make = kind === Kind.Word ? describeWord : describeOther;
  const c0 = end - start === 1 ? text.charCodeAt(start) : 128;
  const id = c0 < 128 ? lookupChar(text, start, c0, make) : lookupRange(text, start, end, hash ?? hashRange(text, start, end), make);
  const meta = metaOf(id);
  if (shape === SHAPE_OF_WORD) shape = (meta & 7) as Shape;
  if (st.nl > 0) st.atSentStart = true;
  // nl is capped to fit the bits above NL_SHIFT (only whether it is 0, 1 or more is ever asked).
  const bits = kind | (shape << SHAPE_SHIFT) | (st.space ? SPACE_BIT : 0) | (st.atSentStart ? SENT_START_BIT : 0) | (Math.min(st.nl, 0x7fffff) << NL_SHIFT);
  const tok = token(st, start, end, textOf(id), lowerOfId(id), meta >>> 3, id, lowerIdOf(id), bits);
  if (kind === Kind.Punct && end - start === 1) {
    const c = text.charCodeAt(start);
    // ( [ - – — • * at a sentence start leave the start to the next word (so do quotation marks, below).
    const transparent = c === 40 || c === 91 || c === 45 || c === 0x2013 || c === 0x2014 || c === 0x2022 || c === 42;
    if (!transparent) {
      st.atSentStart = false;
      // . ! ? … : end a sentence.
      if (c === 46 || c === 33 || c === 63 || c === 0x2026 || c === 58) {
        st.atSentStart = true;
        if (c === 46) {
          const out = st.out;
          const prev = out[out.length - 1];
          // "J." and "Mr." do not end a sentence.
          if (prev && prev.end === start && prev.kind === Kind.Word && ((prev.shape === Shape.Cap && prev.end - prev.start === 1) || (prev.f & F.NoBreakAbbrev) !== 0)) st.atSentStart = false;
        }
      }
    }
  } else if (kind !== Kind.Quote) {
    st.atSentStart = false;
  }
  st.out.push(tok);
  st.nl = 0;
  st.space = false;
}

/**
 * push for a word of tokenize's main loop (its hash taken while scanning): the path nearly every token takes, small
 * enough that the compiler inlines it there, with the word table's front lookup and the token's constructor inside it.
 * (A word never ends a sentence, so none of push's punctuation cases apply.)
 */
function pushWord(st: ScanState, start: number, end: number, h: number): void {
  const text = st.text;
  const c0 = end - start === 1 ? text.charCodeAt(start) : 128;
  const id = c0 < 128 ? lookupChar(text, start, c0, describeWord) : lookupRange(text, start, end, h, describeWord);
  const meta = metaOf(id);
  if (st.nl > 0) st.atSentStart = true;
  const bits = Kind.Word | ((meta & 7) << SHAPE_SHIFT) | (st.space ? SPACE_BIT : 0) | (st.atSentStart ? SENT_START_BIT : 0) | (Math.min(st.nl, 0x7fffff) << NL_SHIFT);
  st.out.push(token(st, start, end, textOf(id), lowerOfId(id), meta >>> 3, id, lowerIdOf(id), bits));
  st.atSentStart = false;
  st.nl = 0;
  st.space = false;
}

// The tokens of transient tokenising, kept from one document to the next and overwritten: two million tokens per
// 10 MB of text were as many objects to allocate, and the young generation they streamed through evicted the word
// table from the caches the tokenizer reads it in.
const kept: Token[] = [];
/** Tokens past this many are not kept (one huge document does not pin memory): about 3 MB of tokens. */
const MAX_KEPT_TOKENS = 1 << 15;

/** The next token of the scan: a kept one overwritten when the scan is transient and one is there, else a new one. */
function token(st: ScanState, start: number, end: number, text: string, lower: string, f: number, id: number, lid: number, bits: number): Token {
  const n = st.out.length;
  if (st.reuse && n < kept.length) {
    // The constructor's stores, in its order, written out rather than called: this is the tokenizer's innermost path.
    const t = kept[n]!;
    t.start = start;
    t.end = end;
    t.text = text;
    t.lower = lower;
    t.f = f;
    t.id = id;
    t.lid = lid;
    t.bits = bits;
    return t;
  }
  const t = new Token(start, end, text, lower, f, id, lid, bits);
  if (st.reuse && n === kept.length && n < MAX_KEPT_TOKENS) kept.push(t);
  return t;
}

/**
 * Tokenises `text`. Linear in its length; never throws. `transient`: the tokens are dropped before the next transient
 * call (analyze.ts), so they may be the previous call's token objects, overwritten; the array itself is new.
 */
export function tokenize(text: string, transient = false): Token[] {
  startDocument();
  const st: ScanState = { text, out: [], reuse: transient, nl: 0, space: false, atSentStart: true };
  const n = text.length;
  let i = 0;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10) st.nl++;
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) st.nl++;
      st.space = true;
      i++;
      continue;
    }
    if (isLetter(c) && !((c === 104 || c === 72 || c === 119 || c === 87) && startsUrl(text, i))) {
      // The word's hash for words.ts is taken while scanning (FNV-1a, as hashRange), saving a second pass.
      let h = Math.imul(0x811c9dc5 ^ c, 0x01000193);
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || isDigit(d) || (d >= 128 && isLetter(d))) {
          h = Math.imul(h ^ d, 0x01000193);
          j++;
          continue;
        }
        if (d === APOS || d === RSQUO) {
          const e = text.charCodeAt(j + 1);
          if (!isLetter(e)) break;
          // Possessive 's: split off unless a letter follows ("'sake").
          if ((e === 115 || e === 83) && !isLetter(text.charCodeAt(j + 2)) && !isDigit(text.charCodeAt(j + 2))) break;
          h = Math.imul(Math.imul(h ^ d, 0x01000193) ^ e, 0x01000193);
          j += 2;
          continue;
        }
        break;
      }
      // Dotted abbreviations ("U.S.", "e.g.") and domains ("Politics.co.uk").
      if (text.charCodeAt(j) === 46 && isLetter(text.charCodeAt(j + 1))) {
        const k = scanDotted(text, i, j);
        if (k > j) {
          const word = text.slice(i, k);
          const isDomain = /\.[a-z]{2,6}$/.test(word) && !/^([A-Za-z]\.)+[A-Za-z]?$/.test(word);
          if (isDomain) {
            push(st, i, k, Kind.Url, shapeOf(word));
            i = k;
            continue;
          }
          if (/^([A-Za-z]\.)+[A-Za-z]\.?$/.test(word)) {
            push(st, i, k, Kind.Word, SHAPE_OF_WORD);
            i = k;
            continue;
          }
        }
      }
      pushWord(st, i, j, h);
      i = j;
      // The possessive as its own token.
      const a = text.charCodeAt(i);
      if ((a === APOS || a === RSQUO) && (text.charCodeAt(i + 1) === 115 || text.charCodeAt(i + 1) === 83) && !isLetter(text.charCodeAt(i + 2)) && !isDigit(text.charCodeAt(i + 2))) {
        push(st, i, i + 2, Kind.Possessive, Shape.None);
        i += 2;
      }
      continue;
    }
    i = scanOther(st, text, i, c);
  }
  return st.out;
}

/**
 * Every token that does not start with a letter or white space, and URLs (tokenize's loop keeps words and white space,
 * nearly all of the text). Apart so that the optimising compiler compiles it apart: its rare cases (an elided year,
 * "...", a handle, a URL) are first met some documents into a worker's life, and each deoptimised the whole of
 * tokenize, which was then compiled again; now only this smaller function is. Returns where the next token starts.
 */
function scanOther(st: ScanState, text: string, i: number, c: number): number {
  const n = text.length;
  // URLs: scheme or www. prefix, up to white space, without trailing punctuation.
  if ((c === 104 || c === 72 || c === 119 || c === 87) && startsUrl(text, i)) {
    let j = i;
    while (j < n && !isSpace(text.charCodeAt(j)) && !isQuoteChar(text.charCodeAt(j))) j++;
    while (j > i + 1 && ',.;:!?)]'.includes(text[j - 1]!)) j--;
    push(st, i, j, Kind.Url, Shape.None);
    return j;
  }
  if (c === 64 /* @ */ || c === 35 /* # */) {
    let j = i + 1;
    // (isLetter answers for ASCII letters too, and no for 128..0xbf: one call for every character, rather than a call
    // for a non-ASCII letter only, which was first made some documents into a worker's life, after this function was
    // optimised, and had it compiled again.)
    while (j < n && (isLetter(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
    const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
    if (j > i + 1 && !isLetter(prev) && !isDigit(prev)) {
      push(st, i, j, c === 64 ? Kind.Handle : Kind.Hashtag, Shape.None);
      return j;
    }
    push(st, i, i + 1, Kind.Punct, Shape.None);
    return i + 1;
  }
  if (isDigit(c)) {
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (isDigit(d) || isAsciiLetter(d)) j++;
      else if ((d === 44 || d === 46 || d === 58) && isDigit(text.charCodeAt(j + 1))) j += 2;
      else break;
    }
    push(st, i, j, Kind.Number, Shape.None);
    return j;
  }
  if (isQuoteChar(c)) {
    // An elided year or number ('90s, ’19) is not a quotation mark.
    if ((c === APOS || c === RSQUO) && isDigit(text.charCodeAt(i + 1)) && isDigit(text.charCodeAt(i + 2)) && !isDigit(text.charCodeAt(i + 3))) {
      push(st, i, i + 1, Kind.Punct, Shape.None);
      return i + 1;
    }
    push(st, i, i + 1, Kind.Quote, Shape.None);
    return i + 1;
  }
  // Any other character: one punctuation token (surrogate pairs kept whole; "..." as one token).
  let j = i + 1;
  if (c >= 0xd800 && c <= 0xdbff && j < n) j++;
  // (The run of dots counted from this one, so that the step runs for every full stop: counted from the next, the
  // step ran first at some document's "..." after this function was optimised, and had it compiled again.)
  else if (c === 46) for (j = i; j < n && text.charCodeAt(j) === 46; ) j++;
  push(st, i, j, Kind.Punct, Shape.None);
  return j;
}

/** "http://", "https://" or "www." at i, in any case; char codes only, as this is asked at many words' first letter. */
function startsUrl(text: string, i: number): boolean {
  // The next three characters compared all at once, without a branch per character: a comparison of the second or third
  // that first ran after tokenize was optimised (a word "ww…" or "htt…") deoptimised tokenize, the largest function to
  // compile. (Past the end charCodeAt gives NaN, which the bit operations read as 0: no match.)
  const c = text.charCodeAt(i) | 32;
  const c1 = text.charCodeAt(i + 1) | 32;
  const c2 = text.charCodeAt(i + 2) | 32;
  const c3 = text.charCodeAt(i + 3);
  if (c === 119) return ((c1 ^ 119) | (c2 ^ 119) | (c3 ^ 46)) === 0;
  if (((c ^ 104) | (c1 ^ 116) | (c2 ^ 116) | ((c3 | 32) ^ 112)) !== 0) return false;
  let k = i + 4;
  if ((text.charCodeAt(k) | 32) === 115) k++;
  return text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 47 && text.charCodeAt(k + 2) === 47;
}

/** From a word ending at j (a dot follows), the end of a dotted run such as "co.uk" or "U.S."; j when there is none. */
function scanDotted(text: string, i: number, j: number): number {
  let k = j;
  while (text.charCodeAt(k) === 46 && isLetter(text.charCodeAt(k + 1))) {
    k++;
    while (isLetter(text.charCodeAt(k)) || isDigit(text.charCodeAt(k))) k++;
  }
  // "U.S." keeps its final dot.
  if (text.charCodeAt(k) === 46 && k - i <= 6 && /^([A-Za-z]\.)+[A-Za-z]$/.test(text.slice(i, k))) k++;
  // A path after a domain belongs to the URL.
  if (text.charCodeAt(k) === 47) {
    while (k < text.length && !isSpace(text.charCodeAt(k)) && !isQuoteChar(text.charCodeAt(k))) k++;
    while (',.;:!?)]'.includes(text[k - 1]!)) k--;
  }
  return k;
}

/** Whether the tokens a and b are adjacent with no white space between them. */
export const glued = (a: Token, b: Token): boolean => a.end === b.start;
