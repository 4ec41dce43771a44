// Grouping mentions into entities: which names refer to the same person or organisation.
//
// The work is split so that the corpus index can stay incremental. `documentClaims` looks at one document alone and
// says, for every mention, either which group it belongs to (a full name, an organisation's name, a short form that a
// full name in the same document explains) or which corpus-wide question decides it (a lookup key: "which full names
// have the family name corbyn?"). It also lists what the document contributes to the answers of those questions.
// `resolveLookup` answers one question from the corpus-wide table of contributions. Both are pure and depend on no
// order other than positions inside a document, so an index built by edits equals one built from scratch.
//
// Group keys look like "person|n:jeremy corbyn" (type, kind, normalised name). Kinds: "n" a full name or an
// organisation's name (organisation names normalised so that "&"/"and", "The", a trailing "Party" and word order do
// not matter), "s" a person's short name that nothing in the corpus explains, "h" a handle that matches no name.

import type { DocAnalysis, EntityType, Mention, NameForm } from './model';
import { lastWhere } from './sorted';
import { unshared } from './text';

/**
 * What one document says about grouping. Arrays are parallel to `DocAnalysis.mentions`. Every string documentClaims
 * puts in it is the memo's own flat copy (or one made for it), never a slice of the document nor a concatenation
 * holding one: a long-lived table (a worker's string list, analysisCodec.ts) keeps them as they are, without a copy.
 */
export interface DocClaims {
  /** The group a mention belongs to when the document alone decides it. */
  local: (string | undefined)[];
  /** Otherwise the lookup key of the corpus-wide question that decides it. */
  lookup: (string | undefined)[];
  /** Contributions to the corpus-wide lookup tables: [lookup key, value, count]. */
  contributions: Array<[string, string, number]>;
  /** formRank of every mention. */
  ranks: Uint8Array;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

const COMBINING = /[\u0300-\u036f]/g;

/** Lower case, accents folded, "&" → "and", curly apostrophes straightened, anything else that is not a letter,
 *  digit, hyphen or apostrophe becomes a space. */
export function normaliseName(name: string): string {
  let s = name.normalize('NFKD').replace(COMBINING, '').toLowerCase();
  s = s.replace(/[\u2018\u2019\u02bc`´]/g, "'").replace(/&/g, ' and ');
  s = s.replace(/[^\p{L}\p{N}'\-]+/gu, ' ').trim();
  // A possessive that recognition left on the name.
  s = s.replace(/'s?$/u, '');
  return s;
}

const tokensOf = (norm: string): string[] => (norm ? norm.split(' ') : []);

const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'da', 'di', 'del', 'della', 'du', 'le', 'la', 'bin', 'ibn', 'al', 'el', 'ter', 'ten', 'dos', 'das', 'mac']);
const NAME_SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'qc', 'kc', 'mp', 'mep', 'obe', 'mbe', 'cbe']);
const ORG_SUFFIXES = new Set(['party', 'ltd', 'limited', 'inc', 'plc', 'llc', 'llp', 'co', 'corp']);
const MINOR_WORDS = new Set(['of', 'the', 'and', 'for', 'in', 'on', 'to', 'a', 'an', 'at', '&']);

/** A person's family name as a short form would give it: "Marie van der Zyl" → "van der zyl", "Falconer of
 *  Thoroton" → "falconer", "Rebecca Long-Bailey" → "long-bailey". Input is a normalised name. */
export function familyOf(norm: string): string {
  let t = tokensOf(norm);
  while (t.length > 1 && NAME_SUFFIXES.has(t[t.length - 1])) t = t.slice(0, -1);
  const of = t.indexOf('of');
  if (of >= 1) return t[of - 1];
  for (let i = 0; i < t.length - 1; i++) if (PARTICLES.has(t[i])) return t.slice(i).join(' ');
  return t[t.length - 1] ?? '';
}

/** Whether a person's name (normalised) is a full name rather than a family name alone. */
function isFullPersonName(norm: string): boolean {
  const t = tokensOf(norm);
  return t.length >= 2 && !PARTICLES.has(t[0]);
}

/** The key under which organisation names that are the same organisation meet. */
export function organisationKey(name: string): string {
  let t = tokensOf(normaliseName(name));
  if (t.length > 1 && t[0] === 'the') t = t.slice(1);
  if (t.length > 1 && ORG_SUFFIXES.has(t[t.length - 1])) t = t.slice(0, -1);
  return [...t].sort().join(' ');
}

/** Letters and digits only, lower case, accents folded: how a handle spells a name. */
export function lettersOf(s: string): string {
  return s.normalize('NFKD').replace(COMBINING, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '').replace(/&/g, '');
}

/** The acronyms an organisation's name could be abbreviated to: initials of every word, and of the main words. */
export function initialsOf(name: string): string[] {
  const words = name
    .replace(/&/g, ' and ')
    .split(/[\s\-]+/u)
    .filter((w) => /^\p{L}/u.test(w));
  if (words.length && words[0].toLowerCase() === 'the') words.shift();
  if (words.length < 2) return [];
  const initial = (w: string) => w.normalize('NFKD').charAt(0).toUpperCase();
  const all = words.map(initial).join('');
  const main = words
    .filter((w) => !MINOR_WORDS.has(w.toLowerCase()))
    .map(initial)
    .join('');
  const out = [all];
  if (main.length >= 2 && main !== all) out.push(main);
  return out;
}

/** An acronym as a lookup spelling: upper case letters and digits ("J.L.M." → "JLM"). */
const acronymSpelling = (s: string) => s.normalize('NFKD').replace(COMBINING, '').toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** A readable, stable slug for ids: "Zoë Hart" → "zoe-hart". Keeps non-Latin letters. */
export function slugOf(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(COMBINING, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'unnamed';
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

const groupKey = (type: EntityType, kind: 'n' | 's' | 'h', norm: string) => `${type}|${kind}:${norm}`;
export const typeOfGroupKey = (key: string): EntityType => (key.startsWith('person|') ? 'person' : 'organisation');

/** Lookup keys: "fam|person|corbyn", "giv|person|jeremy", "acr|organisation|JLM", "hdl|person|jeremycorbyn". */
const lookupKey = (kind: 'fam' | 'giv' | 'acr' | 'hdl' | 'pre', type: EntityType, what: string) => `${kind}|${type}|${what}`;

/** Values in an acronym table: "d:<group>" where the text defines the acronym, "i:<group>" where a name's initials
 *  spell it. */
const DEF = 'd:';
const INI = 'i:';
/** "t:<group>": a typo of a known acronym, two neighbouring letters swapped ("ERHC" for "EHRC"). */
const TRA = 't:';

/** The spellings two neighbouring letters swapped give (acronyms of four letters or more only: shorter ones are
 *  too often different organisations). */
export function transpositionsOf(acr: string): string[] {
  if (acr.length < 4) return [];
  const out = new Set<string>();
  for (let i = 0; i + 1 < acr.length; i++) {
    if (acr[i] === acr[i + 1]) continue;
    out.add(acr.slice(0, i) + acr[i + 1] + acr[i] + acr.slice(i + 2));
  }
  out.delete(acr);
  return [...out];
}

/** The shorter names an organisation's name is also cited by: the part before an "of" qualifier, if it has two
 *  words or more ("Board of Deputies of British Jews" → "Board of Deputies"). Input: normalised tokens. */
function shortNamesOf(tokens: string[]): string[] {
  const out: string[] = [];
  for (let p = 2; p < tokens.length - 1; p++) if (tokens[p] === 'of') out.push(tokens.slice(0, p).join(' '));
  return out;
}

/** How full a form is, for choosing the canonical name: lower is fuller. */
export function formRank(m: Pick<Mention, 'form' | 'name' | 'type'>): number {
  const form: NameForm = m.form;
  if (m.type === 'person') {
    if ((form === 'full' || form === 'titled') && isFullPersonName(normaliseName(m.name))) return 0;
    if (form === 'titled') return 2;
    if (form === 'family' || form === 'full') return 3;
    if (form === 'given') return 4;
    if (form === 'acronym') return 5;
    return 6;
  }
  if (form === 'full') return 0;
  if (form === 'name' || form === 'titled' || form === 'family' || form === 'given') return 1;
  if (form === 'acronym') return 2;
  return 6;
}

/** Whether a mention names its entity in full (the mention an entity's "introduction" points at). */
export const isFullForm = (m: Mention): boolean => formRank(m) === 0;

// ---------------------------------------------------------------------------------------------------------------
// One document

interface LocalName {
  at: number;
  key: string;
}

/** The full names of one document that a short form could mean, in document order. */
interface LocalNames {
  list: LocalName[];
  /** The one key every entry has, or null when they differ. */
  same: string | null;
}

function pushLocal(map: Map<string, LocalNames>, k: string, v: LocalName) {
  const entry = map.get(k);
  if (!entry) map.set(k, { list: [v], same: v.key });
  else {
    entry.list.push(v);
    if (entry.same !== v.key) entry.same = null;
  }
}

/** Which of several local candidates a short form at `at` means: the only one, else the nearest one before it.
 *  Entries are in document order, so this is a binary search: a document of many namesakes stays linear. */
function pickLocal(cands: LocalNames | undefined, at: number): string | null | undefined {
  if (!cands) return undefined;
  if (cands.same !== null) return cands.same;
  const list = cands.list;
  const best = lastWhere(list, (c) => c.at < at);
  return best >= 0 ? list[best].key : null; // null: ambiguous here, and the corpus cannot do better
}

/** A short form the document (pass 2) or the corpus must explain. `own`: the group when nothing does. A class with
 *  every field set in its constructor, so that pass 2 reads one object shape whichever kind of short form it is. */
class ShortForm {
  constructor(
    readonly lk: string,
    readonly family: string | undefined,
    readonly given: string | undefined,
    readonly acronym: string | undefined,
    readonly prefix: string | undefined,
    readonly own: string | undefined,
  ) {}
}

/**
 * One (lookup key, value) contribution. Every name that contributes the same pair shares one Pair (pairOf), so that a
 * document counts its contributions on the pairs themselves instead of in maps built for each document (which were
 * most of documentClaims' time). `serial` says which document `n` and `nextUsed` are for.
 */
class Pair {
  serial = 0;
  n = 0;
  /** The next pair under the same key that the document contributes (LookupKey.first). */
  nextUsed: Pair | undefined = undefined;
  /** The previous pair made with the same value (pairOf's chain). */
  sameValue: Pair | undefined = undefined;
  constructor(
    readonly lk: LookupKey,
    readonly value: string,
  ) {}
}

/** A lookup key; `first`..`last`: the pairs under it the document being claimed contributes, in first-seen order. */
class LookupKey {
  serial = 0;
  first: Pair | undefined = undefined;
  last: Pair | undefined = undefined;
  constructor(readonly key: string) {}
}

const lookupKeys = new Map<string, LookupKey>();
/** Pairs by value, chained (a value goes with a handful of keys: those one name derives). */
const pairsByValue = new Map<string, Pair>();
let pairCount = 0;
/** Pairs past which the tables are dropped, with the name memo whose facts point at them (between documents only:
 *  within one document equal pairs must be the same object to be counted together). */
const PAIR_LIMIT = 400_000;
let claimSerial = 0;

/** The pair (lk, value), made on first sight: only as facts are made, once per distinct name. */
function pairOf(lk: string, value: string): Pair {
  let k = lookupKeys.get(lk);
  if (!k) {
    k = new LookupKey(unshared(lk));
    lookupKeys.set(k.key, k);
  }
  const head = pairsByValue.get(value);
  for (let p = head; p; p = p.sameValue) if (p.lk === k) return p;
  const p = new Pair(k, head ? head.value : unshared(value));
  p.sameValue = head;
  pairsByValue.set(p.value, p);
  pairCount++;
  return p;
}

function dropPairs(): void {
  lookupKeys.clear();
  pairsByValue.clear();
  pairCount = 0;
}

/** What only organisation names say: rarely set, so kept out of every person name's facts. */
class OrgFacts {
  constructor(
    /** The shorter names (organisationKey) this organisation name also goes by: its part before an "of" qualifier
     *  (in the whole corpus), and its last words (in its own document: "Gorton CLP" beside "Manchester Gorton CLP"). */
    readonly prefixes: string[] | undefined,
    readonly suffixes: string[] | undefined,
    /** An organisation name's initials, for acronyms in its document. */
    readonly initials: string[] | undefined,
    /** The acronym this mention defines (an acronym carrying its expansion). */
    readonly defines: string | undefined,
  ) {}
}

/**
 * What a mention's name says by itself, whatever document it is in. Memoised: names recur across a corpus. A class with
 * every field set in its constructor (and `rank` a number from the start), so that documentClaims sees one shape: facts
 * as object literals of a dozen shapes made its loops deoptimise and recompile again and again while a worker warmed up.
 */
class NameFacts {
  /** formRank of the mention (-1 until asked). */
  rank = -1;
  /** Memo chain: facts of the same name with another slot or variant (factsOf). */
  next: NameFacts | undefined = undefined;
  constructor(
    /** What, beside the name, factsOf's memo tells facts apart by: type and form (slotOf), and the rest (variantOf). */
    readonly slot: number,
    readonly variant: string,
    /** The group, when the name alone decides it. */
    readonly key: string | undefined,
    readonly short: ShortForm | undefined,
    /** A handle's lookup key. */
    readonly handle: string | undefined,
    /** Where a full person name registers in its document, for short forms there to find it. */
    readonly family: string | undefined,
    readonly given: string | undefined,
    readonly org: OrgFacts | undefined,
    readonly contributions: readonly Pair[],
  ) {}
}

/** What computeFacts works out, before it becomes a NameFacts. */
interface FactsInit {
  key?: string;
  short?: { family?: string; given?: string; acronym?: string; prefix?: string; own?: string; lk: string };
  prefixes?: string[];
  suffixes?: string[];
  handle?: string;
  family?: string;
  given?: string;
  initials?: string[];
  defines?: string;
  contributions: ReadonlyArray<readonly [string, string]>;
}

/** An empty list is as good as none to every reader (they only loop over it). A copy of exactly its length: a list
 *  grown by push has room for a dozen more, and the memo keeps tens of thousands of them. */
const nonEmpty = (a: string[] | undefined): string[] | undefined => (a && a.length > 0 ? a.slice() : undefined);

/** A lookup key as the memo keeps it: the table's own copy when the key is known there, else a copy of its own. */
function ownLookup(lk: string): string {
  return lookupKeys.get(lk)?.key ?? unshared(lk);
}

/** An optional string as the memo keeps it (see DocClaims: what claims carry must hold no document). */
const own = (s: string | undefined): string | undefined => (s === undefined ? undefined : unshared(s));

function made(slot: number, variant: string, i: FactsInit): NameFacts {
  // Of exactly its length (as nonEmpty says); filled at once.
  const contributions = new Array<Pair>(i.contributions.length);
  for (let k = 0; k < contributions.length; k++) contributions[k] = pairOf(i.contributions[k]![0], i.contributions[k]![1]);
  // The group key and the strings claims are made of are flat copies of their own, so that the worker's string list
  // can keep them as they are. The group key is most often also a contribution's value: then it is that very string
  // (one string where a concatenation, its flattened copy and the list's copy were three).
  let key = i.key;
  if (key !== undefined) {
    let shared: string | undefined;
    for (let k = 0; k < contributions.length && shared === undefined; k++) if (contributions[k]!.value === key) shared = contributions[k]!.value;
    key = shared ?? unshared(key);
  }
  const s = i.short;
  const short = s && new ShortForm(ownLookup(s.lk), own(s.family), own(s.given), own(s.acronym), own(s.prefix), s.own === undefined ? undefined : s.own === key ? key : unshared(s.own));
  const prefixes = nonEmpty(i.prefixes);
  const suffixes = nonEmpty(i.suffixes);
  const initials = nonEmpty(i.initials);
  const org = prefixes || suffixes || initials || i.defines !== undefined ? new OrgFacts(prefixes, suffixes, initials, own(i.defines)) : undefined;
  const handle = i.handle === undefined ? undefined : ownLookup(i.handle);
  return new NameFacts(slot, variant, key, short, handle, own(i.family), own(i.given), org, contributions);
}

/** formRank, memoised with the rest of what a name says. */
export function mentionRank(m: Mention): number {
  const f = factsOf(m);
  if (f.rank < 0) f.rank = formRank(m);
  return f.rank;
}

/** Titles that go with a given name ("Sir Keir", "Dame Margaret"), not a family name. */
const GIVEN_NAME_TITLES = new Set(['sir', 'dame']);

const NO_CONTRIBUTIONS: ReadonlyArray<readonly [string, string]> = [];
/** The memo: facts by name, then chained by slot and variant. Looking up the name alone costs one hash of a short
 *  string, where the signature string this memo was once keyed by cost a concatenation to flatten first. */
const byName = new Map<string, NameFacts>();
let memoSize = 0;
const MEMO_LIMIT = 200_000;
const TYPES: readonly string[] = ['person', 'organisation'];
const FORMS: readonly string[] = ['full', 'titled', 'family', 'given', 'handle', 'acronym', 'name'];

/** Type and form as one number (-1 for strings outside TYPES and FORMS: variantOf holds them then). */
function slotOf(m: Mention): number {
  const type = TYPES.indexOf(m.type);
  const form = FORMS.indexOf(m.form);
  return type >= 0 && form >= 0 ? type * FORMS.length + form : -1;
}

/** The rest of what sets facts of one name and slot apart: the title (none = an empty one), an acronym's expansion,
 *  and the type and form themselves when the slot cannot say them. Empty for nearly every mention. */
function variantOf(m: Mention, slot: number): string {
  const title = m.title ?? '';
  const expansion = m.form === 'acronym' ? (m.expansion ?? '') : '';
  if (title === '' && expansion === '' && slot >= 0) return '';
  return `${title}\u0001${expansion}${slot >= 0 ? '' : `\u0001${m.type}\u0001${m.form}`}`;
}

function factsOf(m: Mention): NameFacts {
  const name = typeof m.name === 'string' && m.name.trim() ? m.name : m.text;
  const slot = slotOf(m);
  const variant = variantOf(m, slot);
  for (let f = byName.get(name); f; f = f.next) if (f.slot === slot && f.variant === variant) return f;
  // The strings are slices of the document: kept as they are, the memo would keep every text alive.
  const f = made(slot, unshared(variant), computeFacts(m, name));
  if (memoSize >= MEMO_LIMIT) dropMemo();
  const chain = byName.get(name);
  f.next = chain;
  // (Setting a key already there keeps the key string already held.)
  byName.set(chain ? name : unshared(name), f);
  memoSize++;
  return f;
}

function dropMemo(): void {
  byName.clear();
  memoSize = 0;
}

function computeFacts(m: Mention, name: string): FactsInit {
  const type: EntityType = m.type === 'organisation' ? 'organisation' : 'person';
  if (m.form === 'handle') {
    return { handle: lookupKey('hdl', type, lettersOf(name) || normaliseName(name)), contributions: NO_CONTRIBUTIONS };
  }
  if (type === 'person') {
    const norm = normaliseName(name) || lettersOf(name) || name;
    if (m.form !== 'given' && m.form !== 'acronym' && isFullPersonName(norm)) {
      const key = groupKey('person', 'n', norm);
      const family = familyOf(norm);
      const given = tokensOf(norm)[0];
      const contributions: Array<[string, string]> = [
        [lookupKey('fam', 'person', family), key],
        [lookupKey('giv', 'person', given), key],
      ];
      const letters = lettersOf(norm);
      if (letters) contributions.push([lookupKey('hdl', 'person', letters), key], [lookupKey('hdl', 'organisation', letters), key]);
      return { key, family, given, contributions };
    }
    if (m.form === 'acronym') return { key: groupKey('person', 's', norm), contributions: NO_CONTRIBUTIONS };
    if (m.form === 'given') {
      const given = tokensOf(norm)[0] ?? norm;
      return { short: { given, lk: lookupKey('giv', 'person', given) }, contributions: NO_CONTRIBUTIONS };
    }
    const family = familyOf(norm) || norm;
    // "Sir Malcolm": a title with one name may be a given name; the document decides first, then the corpus.
    const byGiven = m.form === 'titled' && !!m.title && GIVEN_NAME_TITLES.has(m.title.toLowerCase()) && !norm.includes(' ');
    return {
      short: { family, given: byGiven ? norm : undefined, lk: byGiven ? lookupKey('giv', 'person', norm) : lookupKey('fam', 'person', family) },
      contributions: NO_CONTRIBUTIONS,
    };
  }
  if (m.form === 'acronym') {
    const acr = acronymSpelling(name) || normaliseName(name);
    const long = m.expansion ? organisationKey(m.expansion) : '';
    if (long) {
      const key = groupKey('organisation', 'n', long);
      const contributions: Array<[string, string]> = [[lookupKey('acr', 'organisation', acr), DEF + key]];
      for (const t of transpositionsOf(acr)) contributions.push([lookupKey('acr', 'organisation', t), TRA + key]);
      return { key, defines: acr, contributions };
    }
    return { short: { acronym: acr, lk: lookupKey('acr', 'organisation', acr) }, contributions: NO_CONTRIBUTIONS };
  }
  const okey = organisationKey(name) || lettersOf(name) || name;
  const key = groupKey('organisation', 'n', okey);
  const initials = initialsOf(name);
  const contributions: Array<[string, string]> = initials.map((ini) => [lookupKey('acr', 'organisation', ini), INI + key]);
  const main = initials[initials.length - 1];
  if (main) for (const t of transpositionsOf(main)) contributions.push([lookupKey('acr', 'organisation', t), TRA + key]);
  let surface = normaliseName(name);
  if (surface.startsWith('the ')) surface = surface.slice(4);
  const letters = lettersOf(surface);
  if (letters) contributions.push([lookupKey('hdl', 'person', letters), key], [lookupKey('hdl', 'organisation', letters), key]);
  const tokens = tokensOf(surface);
  const prefixes = shortNamesOf(tokens).map(organisationKey);
  for (const p of prefixes) contributions.push([lookupKey('pre', 'organisation', p), key]);
  const suffixes: string[] = [];
  for (let k = 2; k < tokens.length; k++) if (tokens[tokens.length - k] !== 'of' && tokens[tokens.length - k] !== 'and') suffixes.push(organisationKey(tokens.slice(-k).join(' ')));
  if (tokens.length >= 2) {
    // A name of two words or more may be the short name of a longer one ("Board of Deputies").
    return { key, initials, prefixes, suffixes, short: { prefix: okey, own: key, lk: lookupKey('pre', 'organisation', okey) }, contributions };
  }
  return { key, initials, contributions };
}

/** The one group all candidates agree on, or undefined (a suffix shared by two names decides nothing). */
function onlyOne(cands: LocalNames | undefined): string | undefined {
  return cands?.same ?? undefined;
}

/**
 * Claims computed where the analysis was made (a worker thread, the on-disk cache), keyed by the analysis object:
 * `documentClaims` is a pure function of the analysis, so this is only a memo that travelled with it. With them, the
 * text the analysis was decoded against, when its spans' texts were sliced from it (so the index need not compare
 * them with the text again). The index takes them once (takeClaims) and does not keep them.
 */
export interface Precomputed {
  claims: DocClaims;
  slicedFrom?: string;
}

const precomputed = new WeakMap<DocAnalysis, Precomputed>();

export function attachClaims(analysis: DocAnalysis, claims: DocClaims, slicedFrom?: string): void {
  const n = analysis.mentions.length;
  if (claims.local.length === n && claims.lookup.length === n && claims.ranks.length === n) precomputed.set(analysis, { claims, slicedFrom });
}

/** What was attached to this very analysis object, if anything; detached, so that it is not kept with it. */
export function takeClaims(analysis: DocAnalysis): Precomputed | undefined {
  const c = precomputed.get(analysis);
  if (c) precomputed.delete(analysis);
  return c;
}

export function documentClaims(analysis: DocAnalysis): DocClaims {
  const ms = analysis.mentions;
  const local: (string | undefined)[] = new Array(ms.length).fill(undefined);
  const lookup: (string | undefined)[] = new Array(ms.length).fill(undefined);
  // Contributions are counted on their Pair objects, stamped with this document's serial; the tables that hold the
  // pairs are only ever dropped here, between documents.
  if (pairCount > PAIR_LIMIT) {
    dropPairs();
    dropMemo();
  }
  const serial = ++claimSerial;
  const keysUsed: LookupKey[] = [];

  const families = new Map<string, LocalNames>();
  const givens = new Map<string, LocalNames>();
  const initials = new Map<string, LocalNames>();
  const prefixes = new Map<string, LocalNames>();
  const suffixes = new Map<string, LocalNames>();
  const definitions = new Map<string, string>();
  const facts: NameFacts[] = new Array(ms.length);
  const ranks = new Uint8Array(ms.length);

  // Pass 1: names that speak for themselves.
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i];
    const f = (facts[i] = factsOf(m));
    if (f.rank < 0) f.rank = formRank(m);
    ranks[i] = f.rank;
    const cs = f.contributions;
    for (let c = 0; c < cs.length; c++) {
      const p = cs[c]!;
      if (p.serial !== serial) {
        p.serial = serial;
        p.n = 0;
        p.nextUsed = undefined;
        const k = p.lk;
        if (k.serial !== serial) {
          k.serial = serial;
          k.first = p;
          keysUsed.push(k);
        } else {
          k.last!.nextUsed = p;
        }
        k.last = p;
      }
      p.n++;
    }
    if (f.handle) lookup[i] = f.handle;
    if (!f.key) continue;
    if (!f.short) local[i] = f.key;
    if (f.family !== undefined) pushLocal(families, f.family, { at: m.start, key: f.key });
    if (f.given !== undefined) pushLocal(givens, f.given, { at: m.start, key: f.key });
    const org = f.org;
    if (!org) continue;
    if (org.prefixes) for (const p of org.prefixes) pushLocal(prefixes, p, { at: m.start, key: f.key });
    if (org.suffixes) for (const p of org.suffixes) pushLocal(suffixes, p, { at: m.start, key: f.key });
    if (org.initials) for (const ini of org.initials) pushLocal(initials, ini, { at: m.start, key: f.key });
    if (org.defines) definitions.set(org.defines, f.key);
  }

  // Pass 2: short forms, explained by this document if it can, else by the corpus.
  for (let i = 0; i < ms.length; i++) {
    const short = facts[i].short;
    if (!short) continue;
    const at = ms[i].start;
    let here: string | null | undefined;
    if (short.prefix !== undefined) {
      here = pickLocal(prefixes.get(short.prefix), at);
      if (here === undefined) here = onlyOne(suffixes.get(short.prefix));
    } else if (short.acronym !== undefined) {
      here = definitions.get(short.acronym) ?? pickLocal(initials.get(short.acronym), at);
    } else {
      if (short.family !== undefined) here = pickLocal(families.get(short.family), at);
      if (here === undefined && short.given !== undefined) here = pickLocal(givens.get(short.given), at);
    }
    if (here) local[i] = here;
    // (A concatenation of the memo's strings, flattened here: claims carry flat strings, see DocClaims.)
    else if (here === null) local[i] = short.own ?? unshared(groupKey('person', 's', short.family ?? short.given ?? ''));
    else lookup[i] = short.lk;
  }

  const contributions: Array<[string, string, number]> = [];
  // In the order the keys, then their values, were first seen (as the maps this replaced gave them).
  for (const k of keysUsed) for (let p = k.first; p; p = p.nextUsed) contributions.push([k.key, p.value, p.n]);
  return { local, lookup, contributions, ranks };
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus

/** The group a corpus-wide question resolves to, given its table (value → count over the whole corpus). */
export function resolveLookup(lk: string, table: ReadonlyMap<string, number> | undefined): string {
  const bar1 = lk.indexOf('|');
  const bar2 = lk.indexOf('|', bar1 + 1);
  const kind = lk.slice(0, bar1);
  const type = lk.slice(bar1 + 1, bar2) as EntityType;
  const what = lk.slice(bar2 + 1);
  if (kind === 'acr') {
    // A definition in the text wins ("Jewish Labour Movement (JLM)"); the most frequent one if the corpus defines
    // the acronym differently in different places. Otherwise initials, but only when just one name fits.
    let best: string | undefined;
    let bestCount = 0;
    let ini: string | undefined;
    let inis = 0;
    let tra: string | undefined;
    let tras = 0;
    for (const [v, n] of table ?? []) {
      if (v.startsWith(DEF)) {
        const g = v.slice(DEF.length);
        if (n > bestCount || (n === bestCount && best !== undefined && g < best)) {
          best = g;
          bestCount = n;
        }
      } else if (v.startsWith(INI)) {
        if (inis++ === 0) ini = v.slice(INI.length);
      } else if (v.startsWith(TRA)) {
        if (tras++ === 0) tra = v.slice(TRA.length);
      }
    }
    if (best) return best;
    if (inis === 1 && ini) return ini;
    if (inis === 0 && tras === 1 && tra) return tra;
    return type === 'organisation' ? groupKey('organisation', 'n', organisationKey(what) || what.toLowerCase()) : groupKey('person', 's', what.toLowerCase());
  }
  if (table && table.size === 1) return table.keys().next().value as string;
  if (kind === 'pre') return groupKey('organisation', 'n', what);
  if (kind === 'hdl') return groupKey(type, 'h', what);
  return groupKey(type, 's', what);
}

// ---------------------------------------------------------------------------------------------------------------
// Canonical names

export interface NameTally {
  /** Best (lowest) form rank seen for this name. */
  rank: number;
  count: number;
  /** Where the name first appears: document key, then offset. */
  firstDoc: string;
  firstAt: number;
}

export const comesBefore = (docA: string, atA: number, docB: string, atB: number): boolean =>
  docA < docB || (docA === docB && atA < atB);

/** The canonical name: among the fullest forms, the most frequent; ties go to the one seen first. */
export function chooseCanonical(tally: ReadonlyMap<string, NameTally>): string {
  let best: string | undefined;
  let b: NameTally | undefined;
  for (const [name, t] of tally) {
    if (
      !b ||
      t.rank < b.rank ||
      (t.rank === b.rank && (t.count > b.count || (t.count === b.count && comesBefore(t.firstDoc, t.firstAt, b.firstDoc, b.firstAt))))
    ) {
      best = name;
      b = t;
    }
  }
  return best ?? '';
}
