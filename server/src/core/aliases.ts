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

/** What one document says about grouping. Arrays are parallel to `DocAnalysis.mentions`. */
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

/** What a mention's name says by itself, whatever document it is in. Memoised: names recur across a corpus. */
interface NameFacts {
  /** The group, when the name alone decides it. */
  key?: string;
  /** A short form the document (pass 2) or the corpus must explain. `own`: the group when nothing does. */
  short?: { family?: string; given?: string; acronym?: string; prefix?: string; own?: string; lk: string };
  /** The shorter names (organisationKey) this organisation name also goes by: its part before an "of" qualifier
   *  (in the whole corpus), and its last words (in its own document: "Gorton CLP" beside "Manchester Gorton CLP"). */
  prefixes?: string[];
  suffixes?: string[];
  /** A handle's lookup key. */
  handle?: string;
  /** Where a full person name registers in its document, for short forms there to find it. */
  family?: string;
  given?: string;
  /** An organisation name's initials, for acronyms in its document. */
  initials?: string[];
  /** The acronym this mention defines (an acronym carrying its expansion). */
  defines?: string;
  contributions: ReadonlyArray<readonly [string, string]>;
  /** formRank of the mention. */
  rank?: number;
}

/** formRank, memoised with the rest of what a name says. */
export function mentionRank(m: Mention): number {
  const f = factsOf(m);
  return (f.rank ??= formRank(m));
}

/** Titles that go with a given name ("Sir Keir", "Dame Margaret"), not a family name. */
const GIVEN_NAME_TITLES = new Set(['sir', 'dame']);

const NO_CONTRIBUTIONS: ReadonlyArray<readonly [string, string]> = [];
const memo = new Map<string, NameFacts>();
const MEMO_LIMIT = 200_000;

function factsOf(m: Mention): NameFacts {
  const name = typeof m.name === 'string' && m.name.trim() ? m.name : m.text;
  const sig = `${m.type}\u0001${m.form}\u0001${m.title ?? ''}\u0001${m.form === 'acronym' ? (m.expansion ?? '') : ''}\u0001${name}`;
  let f = memo.get(sig);
  if (!f) {
    f = computeFacts(m, name);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    // The signature ends in the name, a slice of the document: kept as it is, the memo would keep every text alive.
    memo.set(unshared(sig), f);
  }
  return f;
}

function computeFacts(m: Mention, name: string): NameFacts {
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
  const contrib = new Map<string, Map<string, number>>();

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
    ranks[i] = f.rank ??= formRank(m);
    for (const [lk, value] of f.contributions) {
      let t = contrib.get(lk);
      if (!t) contrib.set(lk, (t = new Map()));
      t.set(value, (t.get(value) ?? 0) + 1);
    }
    if (f.handle) lookup[i] = f.handle;
    if (!f.key) continue;
    if (!f.short) local[i] = f.key;
    if (f.prefixes) for (const p of f.prefixes) pushLocal(prefixes, p, { at: m.start, key: f.key });
    if (f.suffixes) for (const p of f.suffixes) pushLocal(suffixes, p, { at: m.start, key: f.key });
    if (f.family !== undefined) pushLocal(families, f.family, { at: m.start, key: f.key });
    if (f.given !== undefined) pushLocal(givens, f.given, { at: m.start, key: f.key });
    if (f.initials) for (const ini of f.initials) pushLocal(initials, ini, { at: m.start, key: f.key });
    if (f.defines) definitions.set(f.defines, f.key);
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
    else if (here === null) local[i] = short.own ?? groupKey('person', 's', short.family ?? short.given ?? '');
    else lookup[i] = short.lk;
  }

  const contributions: Array<[string, string, number]> = [];
  for (const [lk, t] of contrib) for (const [value, n] of t) contributions.push([lk, value, n]);
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
