// Finding entities by any of their names, the way an editor's "go to symbol" box does: "corb" and "jcorb" both find
// Jeremy Corbyn, "jlm" finds the Jewish Labour Movement (its alias JLM, or the initials of its words).
//
// Ranking: an exact name, then a prefix of a name, then a prefix of a word inside it, then word initials, then any
// subsequence; within a rank, tighter matches, then the most-mentioned entity, then the shorter name.

import type { Entity } from './model';
import { prefixLength } from './sorted';

const COMBINING = /[\u0300-\u036f]/g;
const fold = (s: string) => s.normalize('NFKD').replace(COMBINING, '').toLowerCase();

export enum MatchKind {
  Exact = 0,
  Prefix = 1,
  WordPrefix = 2,
  Initials = 3,
  Subsequence = 4,
}

export interface Match {
  kind: MatchKind;
  /** Lower is tighter: the number of skipped characters between matched ones (subsequences only). */
  gaps: number;
}

/** A name prepared once for matching: folded, without separators, its words and their tails, its initials. */
export interface PreparedName {
  folded: string;
  compact: string;
  /** For each word after the first: the rest of the name from that word on, without separators. */
  tails: string[];
  initials: string;
}

const SEPARATORS = /[^\p{L}\p{N}@]+/u;

export function prepareName(name: string): PreparedName {
  const folded = fold(name);
  const words = folded.split(SEPARATORS).filter(Boolean);
  const tails: string[] = [];
  for (let i = 1; i < words.length; i++) tails.push(words.slice(i).join(''));
  return { folded, compact: words.join(''), tails, initials: words.length > 1 ? words.map((w) => w[0]).join('') : '' };
}

/** How `query` (already folded, no spaces) matches `name`, or undefined. Linear in the name's length. */
export function matchName(query: string, name: string | PreparedName): Match | undefined {
  if (!query) return { kind: MatchKind.Subsequence, gaps: 0 };
  const p = typeof name === 'string' ? prepareName(name) : name;
  if (p.folded === query || p.compact === query) return { kind: MatchKind.Exact, gaps: 0 };
  if (p.folded.startsWith(query) || p.compact.startsWith(query)) return { kind: MatchKind.Prefix, gaps: 0 };
  for (let i = 0; i < p.tails.length; i++) if (p.tails[i].startsWith(query)) return { kind: MatchKind.WordPrefix, gaps: i + 1 };
  if (p.initials.startsWith(query)) return { kind: MatchKind.Initials, gaps: 0 };
  const gaps = subsequenceGaps(query, p.compact);
  return gaps >= 0 ? { kind: MatchKind.Subsequence, gaps } : undefined;
}

/** The characters skipped between matched ones when `query` is a subsequence of `s`, or -1 when it is not. */
function subsequenceGaps(query: string, s: string): number {
  let qi = 0;
  let gaps = 0;
  let last = -1;
  for (let i = 0; i < s.length && qi < query.length; i++) {
    if (s.charCodeAt(i) === query.charCodeAt(qi)) {
      if (last >= 0) gaps += i - last - 1;
      last = i;
      qi++;
    }
  }
  return qi === query.length ? gaps : -1;
}

/** Bits for the characters a name contains, so that a subsequence test can skip most names with one AND. */
function charMask(s: string): number {
  let mask = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) mask |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) mask |= 1 << 26;
    else mask |= 1 << (27 + (c % 5));
  }
  return mask;
}

interface SearchEntry {
  e: Entity;
  /** Who put the entry here (the index's group key): ids move between groups when names change. */
  owner: string;
  /** Keys carry the generation of the entry that made them; keys of a replaced or deleted entry are skipped. */
  gen: number;
  names: PreparedName[];
  mask: number;
}

/** A string a query can start: a name without separators, the rest of a name from one of its words, initials. */
interface SearchKey {
  s: string;
  id: string;
  gen: number;
  kind: MatchKind.Prefix | MatchKind.WordPrefix | MatchKind.Initials;
  gaps: number;
}

const keyOrder = (a: SearchKey, b: SearchKey) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : a.gen - b.gen || a.kind - b.kind || a.gaps - b.gaps);

const sameNames = (a: Entity, b: Entity) => a.name === b.name && a.aliases.length === b.aliases.length && a.aliases.every((x, i) => x === b.aliases[i]);

/**
 * Entities by name, kept up to date entity by entity. Prefix, word-prefix and initials matches come from a sorted
 * array of keys (binary search); the subsequence scan over every name runs only when those do not fill the limit,
 * and skips names that lack a character of the query.
 */
export class SearchIndex {
  private readonly entries = new Map<string, SearchEntry>();
  /** Sorted by key string; may hold stale keys (see SearchEntry.gen), dropped when they are many. */
  private keys: SearchKey[] = [];
  /** Keys added since the last search, merged in (or sorted in, when many) before the next one. */
  private pending: SearchKey[] = [];
  private stale = 0;
  private gen = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Adds or replaces the entity with this id. */
  set(e: Entity, owner = e.id): void {
    const old = this.entries.get(e.id);
    if (old && old.owner === owner && sameNames(old.e, e)) {
      old.e = e; // counts changed, names did not: the keys stay
      return;
    }
    if (old) this.delete(e.id);
    const names = [...new Set([e.name, ...e.aliases])].map(prepareName);
    let mask = 0;
    for (const n of names) mask |= charMask(n.compact);
    const gen = ++this.gen;
    this.entries.set(e.id, { e, owner, gen, names, mask });
    for (const k of keysOf(e.id, gen, names)) this.pending.push(k);
  }

  /** Removes the entity with this id (only if `owner`, when given, is the one that put it there). */
  delete(id: string, owner?: string): void {
    const old = this.entries.get(id);
    if (!old || (owner !== undefined && old.owner !== owner)) return;
    this.entries.delete(id);
    this.stale += old.names.length * 3;
  }

  clear(): void {
    this.entries.clear();
    this.keys = [];
    this.pending = [];
    this.stale = 0;
  }

  /** Sorts in the keys added since the last search now (in idle time), rather than in the next search. */
  prepare(): void {
    this.settle();
  }

  private settle(): void {
    if (this.stale > 1000 && this.stale > this.keys.length / 2) {
      this.keys = this.keys.filter((k) => this.entries.get(k.id)?.gen === k.gen);
      this.pending = this.pending.filter((k) => this.entries.get(k.id)?.gen === k.gen);
      this.stale = 0;
    }
    const add = this.pending;
    if (add.length === 0) return;
    this.pending = [];
    if (add.length <= 8) {
      for (const k of add) this.keys.splice(lowerBoundKey(this.keys, k), 0, k);
    } else if (add.length * 4 > this.keys.length) {
      this.keys = this.keys.concat(add).sort(keyOrder);
    } else {
      // A few hundred keys (typing changes names on every keystroke) into tens of thousands: sorting them alone and
      // merging costs a binary search each and one copy; sorting everything again cost ~50 ms at 10 MB, in front of
      // whatever request came next.
      add.sort(keyOrder);
      const keys = this.keys;
      const merged: SearchKey[] = [];
      let from = 0;
      for (const k of add) {
        const at = from + prefixLength(keys.length - from, (i) => keyOrder(keys[from + i], k) < 0);
        for (let i = from; i < at; i++) merged.push(keys[i]);
        merged.push(k);
        from = at;
      }
      for (let i = from; i < keys.length; i++) merged.push(keys[i]);
      this.keys = merged;
    }
  }

  search(query: string, limit = 100): Entity[] {
    const q = fold(query).replace(/[^\p{L}\p{N}@]+/gu, '');
    if (limit <= 0) return [];
    this.settle();
    const best = new Map<string, { e: Entity; kind: number; gaps: number }>();
    const offer = (e: Entity, kind: number, gaps: number) => {
      const b = best.get(e.id);
      if (!b || kind < b.kind || (kind === b.kind && gaps < b.gaps)) best.set(e.id, { e, kind, gaps });
    };
    if (!q) {
      for (const { e } of this.entries.values()) offer(e, MatchKind.Subsequence, 0);
    } else {
      const probe: SearchKey = { s: q, id: '', gen: 0, kind: MatchKind.Prefix, gaps: 0 };
      // A short query can match most names: rank a bounded sample of them (editors filter what they show anyway).
      const cap = Math.max(limit * 20, 2000);
      for (let i = lowerBoundKey(this.keys, probe); i < this.keys.length && this.keys[i].s.startsWith(q) && best.size < cap; i++) {
        const k = this.keys[i];
        const entry = this.entries.get(k.id);
        if (!entry || entry.gen !== k.gen) continue;
        offer(entry.e, k.kind === MatchKind.Prefix && k.s === q ? MatchKind.Exact : k.kind, k.gaps);
      }
      if (best.size < limit) {
        const qmask = charMask(q);
        // Every other kind of match was found through the keys: only subsequences are left to look for.
        for (const entry of this.entries.values()) {
          if (best.size >= cap) break;
          if ((entry.mask & qmask) !== qmask || best.has(entry.e.id)) continue;
          let gaps = -1;
          for (const n of entry.names) {
            const g = subsequenceGaps(q, n.compact);
            if (g >= 0 && (gaps < 0 || g < gaps)) gaps = g;
          }
          if (gaps >= 0) offer(entry.e, MatchKind.Subsequence, gaps);
        }
      }
    }
    const scored = [...best.values()];
    scored.sort(
      (a, b) =>
        a.kind - b.kind ||
        a.gaps - b.gaps ||
        b.e.mentionCount - a.e.mentionCount ||
        a.e.name.length - b.e.name.length ||
        (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0),
    );
    return scored.slice(0, limit).map((x) => x.e);
  }
}

function keysOf(id: string, gen: number, names: PreparedName[]): SearchKey[] {
  const out = new Map<string, SearchKey>();
  const add = (k: SearchKey) => {
    const tag = `${k.s}\u0000${k.kind}\u0000${k.gaps}`;
    if (!out.has(tag)) out.set(tag, k);
  };
  for (const n of names) {
    if (n.compact) add({ s: n.compact, id, gen, kind: MatchKind.Prefix, gaps: 0 });
    n.tails.forEach((t, i) => add({ s: t, id, gen, kind: MatchKind.WordPrefix, gaps: i + 1 }));
    if (n.initials) add({ s: n.initials, id, gen, kind: MatchKind.Initials, gaps: 0 });
  }
  return [...out.values()];
}

const lowerBoundKey = (keys: SearchKey[], k: SearchKey): number => prefixLength(keys.length, (i) => keyOrder(keys[i], k) < 0);

/** The entities any of whose names (canonical or alias) match the query, best first. */
export function searchEntities(entities: readonly Entity[], query: string, limit = 100): Entity[] {
  const ix = new SearchIndex();
  for (const e of entities) ix.set(e);
  return ix.search(query, limit);
}
