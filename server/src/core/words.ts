// Distinct words, each looked up once per process instead of once per token: the tokenizer interns every token's
// text here, and the recognisers read the word's lexical features from one bit mask instead of asking a dozen sets.
//
// A newsroom corpus repeats a vocabulary of some tens of thousands of words millions of times; per token, slicing the
// text, lower-casing it and hashing it into each word list cost more than all the decisions made with the answers.
// Interned, the text and lower-case strings are shared (and their hashes cached by the engine), so the sets that
// remain (per-document evidence) are cheap too.
//
// Every feature is a pure function of the word's text, so dropping the table changes no answer; it is dropped when it
// grows past a bound (between documents only: evidence.ts keeps per-document marks on the words), which keeps a
// long-running process's memory flat.

import {
  CALENDAR_WORDS,
  CHROME_WORDS,
  DOCUMENT_NOUNS,
  FUNCTION_WORDS,
  NAME_CONNECTORS,
  NO_BREAK_ABBREV,
  NON_ORG_ACRONYMS,
  PLACES,
  PLACE_HEADS,
  REPORTING_VERBS,
  ROLE_MODIFIERS,
  ROLE_NOUNS,
  WORDLIKE_GIVEN,
  isCommonGivenName,
  isGivenName,
  isWordSurname,
  knownOrganisation,
  looksLikeDemonym,
  mayStartKnownOrganisation,
} from './lexicon';
import { closesPersonName, honorific, isParticle, isPeerage, opensPersonName } from './people';
import { isOrgHead, isOrgOpener } from './organisations';
import { unshared } from './text';

/** Lexical features of a word, by its lower-case form unless said otherwise. */
export const enum F {
  Function = 1 << 0,
  Connector = 1 << 1,
  RoleNoun = 1 << 2,
  Given = 1 << 3,
  CommonGiven = 1 << 4,
  /** closesPersonName: a known surname. */
  Surname = 1 << 5,
  WordSurname = 1 << 6,
  /** looksLikeDemonym. */
  Demonym = 1 << 7,
  OrgHead = 1 << 8,
  OrgOpener = 1 << 9,
  /** honorific(lower) is defined (a trailing dot allowed). */
  Honorific = 1 << 10,
  Calendar = 1 << 11,
  Place = 1 << 12,
  PlaceHead = 1 << 13,
  Particle = 1 << 14,
  /** knownOrganisation(text): by the exact spelling, not the lower-case form. */
  KnownOrg = 1 << 15,
  OpensPerson = 1 << 16,
  Chrome = 1 << 17,
  WordlikeGiven = 1 << 18,
  NonOrgAcronym = 1 << 19,
  Peerage = 1 << 20,
  ReportingVerb = 1 << 21,
  RoleModifier = 1 << 22,
  DocumentNoun = 1 << 23,
  /** An abbreviation whose dot does not end a sentence (lexicon NO_BREAK_ABBREV). */
  NoBreakAbbrev = 1 << 24,
  /** mayStartKnownOrganisation(text): by the exact spelling. (META holds f << 3 in an int32: no bit past 1 << 27.) */
  MayStartKnownOrg = 1 << 25,
}

export interface Word {
  readonly text: string;
  /** The lower-case form (the tokenizer's: see lowerOf in tokens.ts). */
  readonly lower: string;
  /** The shape tokenize gives the text (a Shape). */
  readonly shape: number;
  /** F bits. */
  readonly f: number;
  /** The word whose text is `lower` (this word when it is its own lower-case form). */
  lw: Word;
}

function featuresOf(text: string, lower: string): number {
  let f = 0;
  if (FUNCTION_WORDS.has(lower)) f |= F.Function;
  if (NAME_CONNECTORS.has(lower)) f |= F.Connector;
  if (ROLE_NOUNS.has(lower)) f |= F.RoleNoun;
  if (isGivenName(lower)) f |= F.Given;
  if (isCommonGivenName(lower)) f |= F.CommonGiven;
  if (closesPersonName(lower)) f |= F.Surname;
  if (isWordSurname(lower)) f |= F.WordSurname;
  if (looksLikeDemonym(lower)) f |= F.Demonym;
  if (isOrgHead(lower)) f |= F.OrgHead;
  if (isOrgOpener(lower)) f |= F.OrgOpener;
  if (honorific(lower) !== undefined) f |= F.Honorific;
  if (CALENDAR_WORDS.has(lower)) f |= F.Calendar;
  if (PLACES.has(lower)) f |= F.Place;
  if (PLACE_HEADS.has(lower)) f |= F.PlaceHead;
  if (isParticle(lower)) f |= F.Particle;
  if (knownOrganisation(text) !== undefined) f |= F.KnownOrg;
  if (opensPersonName(text, lower)) f |= F.OpensPerson;
  if (CHROME_WORDS.has(lower)) f |= F.Chrome;
  if (WORDLIKE_GIVEN.has(lower)) f |= F.WordlikeGiven;
  if (NON_ORG_ACRONYMS.has(lower)) f |= F.NonOrgAcronym;
  if (isPeerage(lower)) f |= F.Peerage;
  if (REPORTING_VERBS.has(lower)) f |= F.ReportingVerb;
  if (ROLE_MODIFIERS.has(lower)) f |= F.RoleModifier;
  if (DOCUMENT_NOUNS.has(lower)) f |= F.DocumentNoun;
  if (NO_BREAK_ABBREV.has(lower)) f |= F.NoBreakAbbrev;
  if (mayStartKnownOrganisation(text)) f |= F.MayStartKnownOrg;
  return f;
}

// Open addressing with linear probing over the text's char codes, so that a word already seen costs no new string
// (a Map keyed by a fresh slice was half again slower: hashing the new string each time). Tokenising is bound by memory
// misses here, so the layout is about few memory lines per token: ids, `byId`, `info` and the chars in `pool` follow
// first sight, so the frequent words (seen early) sit together; a small direct-mapped front table answers most tokens
// (the frequent words) before the large one is probed, with where the word's chars are; and the tokenizer takes the
// shape and features from `info`, never reaching the word object itself.
/** Entries past which the table is dropped and started again, at the next document (some tens of MB at most). */
let maxWords = 1 << 17;
// The growing arrays here (and evidence.ts's, scratch.ts's) start small on purpose: so that their growth paths run
// within the first document, while the functions that hold them are still interpreted and gather type feedback. Started
// at their usual size, they first grew some documents later, inside code the optimising compiler had already compiled
// without those paths: each first growth deoptimised a hot function (add, gatherEvidence, ...) and had it compiled
// again, which costs each worker far more than a few early reallocations.
const MIN_CAPACITY = 1 << 6;
/** Ints per slot: hash, length (0 = empty slot: no token is empty), id. */
const STRIDE = 3;
let capacity = MIN_CAPACITY;
let mask = capacity - 1;
let slots = new Int32Array(capacity * STRIDE);
/** Front table: per hash & FRONT_MASK the last word looked up with it (hash, length, id, where its chars start in
 * `pool`; length 0 = none). 16K entries, 256 KB: about 92% of the bench corpus's tokens are answered here (4K
 * entries answered fewer and cost a few per cent more tokenising time). */
const FRONT_MASK = (1 << 14) - 1;
const front = new Int32Array((FRONT_MASK + 1) * 4);
/** Per id (ids are < internedWords(), and start again from 0 when the table is dropped): the word; at 2 * id and
 * 2 * id + 1 of `strs` its text and lower-case form (the word's, here so that tokens copy them without reaching the
 * word); at INFO * id of `info` where its chars start in `pool`, its META and its lower-case form's id. What a token
 * copies sits together (two memory lines per word, not five), which counts as tokenising waits on memory. */
let byId: Word[] = [];
let strs: string[] = [];
const INFO = 4;
const AT_OFFSET = 0;
const AT_META = 1;
const AT_LOWER = 2;
let info = new Int32Array(MIN_CAPACITY * INFO);
let pool = new Uint16Array(1 << 8);
let poolUsed = 0;

export function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * Called before each document: the table is only ever dropped between documents, so that within one document equal
 * texts are always the same word (the per-document marks rely on it).
 */
export function startDocument(): void {
  if (byId.length > maxWords) {
    byId = [];
    strs = [];
    poolUsed = 0;
    front.fill(0);
    charIds.fill(-1);
    resize(MIN_CAPACITY);
  }
}

/**
 * The id of the word text[start, end) with hash h (hashRange), creating the word with the lower-case form and shape
 * `make` computes from the new string on first sight. Read it with wordOf and metaOf.
 */
export function lookupRange(text: string, start: number, end: number, h: number, make: (s: string) => [lower: string, shape: number]): number {
  const len = end - start;
  const p = pool;
  const fr = front;
  const f = (h & FRONT_MASK) << 2;
  if (fr[f + 1] === len && fr[f] === h) {
    const id = fr[f + 2]!;
    let k = fr[f + 3]!;
    let j = start;
    while (j < end && p[k] === text.charCodeAt(j)) k++, j++;
    if (j === end) return id;
  }
  return probe(text, start, end, h, make);
}

/** lookupRange past the front table: apart, so that the front table's part (nearly every token's answer) is small
 * enough for the compiler to inline into the tokenizer. */
function probe(text: string, start: number, end: number, h: number, make: (s: string) => [lower: string, shape: number]): number {
  const len = end - start;
  const p = pool;
  const sl = slots;
  let i = h & mask;
  let id: number;
  for (;;) {
    const at = i * STRIDE;
    const l = sl[at + 1]!;
    if (l === 0) {
      // A copy, not a slice: the table outlives the document, and a slice of 13 or more characters would keep the
      // whole text the word was first seen in alive (tokens and mentions share these strings).
      id = add(unshared(text.slice(start, end)), h, make);
      break;
    }
    if (l === len && sl[at]! === h) {
      id = sl[at + 2]!;
      let k = info[id * INFO + AT_OFFSET]!;
      let j = start;
      while (j < end && p[k] === text.charCodeAt(j)) k++, j++;
      if (j === end) break;
    }
    i = (i + 1) & mask;
  }
  const fr = front;
  const f = (h & FRONT_MASK) << 2;
  fr[f] = h;
  fr[f + 1] = len;
  fr[f + 2] = id;
  fr[f + 3] = info[id * INFO + AT_OFFSET]!;
  return id;
}

/** Per ASCII char code, the id of the one-character token made of it, once looked up (-1 before). */
const charIds = new Int32Array(128).fill(-1);

/**
 * lookupRange for the one-character token text[start] with char code c < 128 (punctuation, a digit, "a", "I": a
 * fifth of all tokens), answered from `charIds` without hashing. A character is always the same kind of token, so it
 * always has the same `make`.
 */
export function lookupChar(text: string, start: number, c: number, make: (s: string) => [lower: string, shape: number]): number {
  const known = charIds[c]!;
  if (known >= 0) return known;
  const id = lookupRange(text, start, start + 1, hashRange(text, start, start + 1), make);
  charIds[c] = id;
  return id;
}

/** The word with the id (from lookupRange); ids of a document tokenised before the table was last dropped may name
 * other words now. */
export const wordOf = (id: number): Word => byId[id]!;
export const textOf = (id: number): string => strs[2 * id]!;
export const lowerOf = (id: number): string => strs[2 * id + 1]!;
/** The id of the word's lower-case form (`lw`). */
export const lowerIdOf = (id: number): number => info[id * INFO + AT_LOWER]!;
/** META of the word with the id: shape = meta & 7, f = meta >>> 3. */
export const metaOf = (id: number): number => info[id * INFO + AT_META]!;

/** The word text[start, end) (see lookupRange). */
export function internRange(text: string, start: number, end: number, h: number, make: (s: string) => [lower: string, shape: number]): Word {
  return byId[lookupRange(text, start, end, h, make)]!;
}

function add(s: string, h: number, make: (s: string) => [lower: string, shape: number]): number {
  const [lower0, shape] = make(s);
  // The lower-case form is a word of its own (sharing its string, so comparisons hit identity), for the marks.
  const lid = lower0 === s ? -1 : lookupRange(lower0, 0, lower0.length, hashRange(lower0, 0, lower0.length), make);
  const lw = lid < 0 ? undefined : byId[lid]!;
  const lower = lw ? lw.text : s;
  const w: Word = { text: s, lower, shape, f: featuresOf(s, lower), lw: lw! };
  if (!lw) w.lw = w;
  if (poolUsed + s.length > pool.length) {
    const bigger = new Uint16Array(Math.max(pool.length * 2, poolUsed + s.length));
    bigger.set(pool.subarray(0, poolUsed));
    pool = bigger;
  }
  const id = byId.length;
  if ((id + 1) * INFO > info.length) {
    const bigger = new Int32Array(info.length * 2);
    bigger.set(info);
    info = bigger;
  }
  info[id * INFO + AT_LOWER] = lid < 0 ? id : lid;
  info[id * INFO + AT_OFFSET] = poolUsed;
  info[id * INFO + AT_META] = shape | (w.f << 3);
  for (let k = 0; k < s.length; k++) pool[poolUsed++] = s.charCodeAt(k);
  byId.push(w);
  strs.push(s, lower);
  if (byId.length * 2 > capacity) resize(capacity * 2);
  place(h, s.length, id);
  return id;
}

function place(h: number, len: number, id: number): void {
  let i = h & mask;
  while (slots[i * STRIDE + 1] !== 0) i = (i + 1) & mask;
  const at = i * STRIDE;
  slots[at] = h;
  slots[at + 1] = len;
  slots[at + 2] = id;
}

/** Re-sizes the table to `cap` slots, keeping the entries (none when byId is empty). */
function resize(cap: number): void {
  const old = slots;
  capacity = cap;
  mask = cap - 1;
  slots = new Int32Array(cap * STRIDE);
  if (byId.length === 0) return;
  for (let at = 0; at < old.length; at += STRIDE) {
    if (old[at + 1] === 0) continue;
    place(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}

/** For tests: the bound on the table, so that dropping it can be exercised; returns the previous bound. */
export function setWordLimit(max: number): number {
  const was = maxWords;
  maxWords = max;
  return was;
}

/** How many distinct words are held (for tests). */
export const internedWords = (): number => byId.length;
