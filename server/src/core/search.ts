// Finding entities by any of their names, the way an editor's "go to symbol" box does: "corb" and "jcorb" both find
// Jeremy Corbyn, "jlm" finds the Jewish Labour Movement (its alias JLM, or the initials of its words).
//
// Ranking: an exact name, then a prefix of a name, then a prefix of a word inside it, then word initials, then any
// subsequence; within a rank, tighter matches, then the most-mentioned entity, then the shorter name.

import type { Entity } from './model';

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
  // Subsequence, counting the gaps between matched characters.
  const compact = p.compact;
  let qi = 0;
  let gaps = 0;
  let last = -1;
  for (let i = 0; i < compact.length && qi < query.length; i++) {
    if (compact.charCodeAt(i) === query.charCodeAt(qi)) {
      if (last >= 0) gaps += i - last - 1;
      last = i;
      qi++;
    }
  }
  return qi === query.length ? { kind: MatchKind.Subsequence, gaps } : undefined;
}

/** Prepared names per entity object: the index reuses an entity object until the entity changes. */
const prepared = new WeakMap<Entity, PreparedName[]>();
function preparedNames(e: Entity): PreparedName[] {
  let names = prepared.get(e);
  if (!names) {
    names = [...new Set([e.name, ...e.aliases])].map(prepareName);
    prepared.set(e, names);
  }
  return names;
}

/** The entities any of whose names (canonical or alias) match the query, best first. */
export function searchEntities(entities: readonly Entity[], query: string, limit = 100): Entity[] {
  const q = fold(query).replace(/[^\p{L}\p{N}@]+/gu, '');
  if (!q) return entities.slice(0, Math.max(0, limit));
  const scored: Array<{ e: Entity; kind: number; gaps: number }> = [];
  const first = q.charAt(0);
  for (const e of entities) {
    let best: Match | undefined;
    for (const name of preparedNames(e)) {
      // Every kind of match needs the query's first character somewhere in the name: a cheap filter.
      if (!name.compact.includes(first)) continue;
      const m = matchName(q, name);
      if (m && (!best || m.kind < best.kind || (m.kind === best.kind && m.gaps < best.gaps))) best = m;
      if (best && best.kind === MatchKind.Exact) break;
    }
    if (best) scored.push({ e, kind: best.kind, gaps: best.gaps });
  }
  scored.sort(
    (a, b) =>
      a.kind - b.kind ||
      a.gaps - b.gaps ||
      b.e.mentionCount - a.e.mentionCount ||
      a.e.name.length - b.e.name.length ||
      (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0),
  );
  return scored.slice(0, Math.max(0, limit)).map((s) => s.e);
}
