// The whole corpus index as flat arrays, and back: what lets a reopened workspace skip putting 20,000 documents into
// the index one by one (about 0.4 ms of map lookups each on the main thread) when nothing changed on disk.
//
// Why a copy of the state rather than a replay: the index is a pure function of its documents ("incremental after any
// edits == fresh index"), so a state saved once and restored exactly, then brought up to date through the ordinary
// setAnalysed/deleteDocument path for the files that changed, answers every query as a fresh scan would. Replaying
// the documents would cost what a warm scan costs today.
//
// Why this layout: a 100 MB corpus is about 22,500 documents, 13,000 groups, 330,000 group × document entries and
// 45,000 lookup-table entries. Restored object by object from JSON that took seconds; here every number is in one
// Int32Array read with a cursor, every string in one UTF-8 blob decoded once and sliced, and the biggest parts (the
// documents' UTF-8 texts, their analysis rows, line tables) are views onto the buffer read from disk, never copied.
// Entity summaries (canonical names, aliases, ids) are saved when every one of them was up to date at the save: they
// are derived, but computing them for 13,000 groups took ~0.25 s of the first request after a warm reopen of 100 MB,
// which asks for ids at once (symbols, semantic tokens, hovers). Otherwise they are left out and the index computes
// them lazily (`prepare`), as after any scan; the search index is always rebuilt lazily. What only an edit needs (the
// lookup tables, the dependents of each lookup key, the groups' tallies of names and roles, the string table's map from
// string to id) is checked at restore but read in when an edit first asks.
//
// No I/O here (core may not use node: modules): node/snapshot.ts frames, checksums, writes and reads the sections.
// Encoding is a generator, so the host can spread it over idle slices; it must restart if the index changes between
// slices (the caller compares `CorpusIndex.version`).

import { mentionGroup, newGroup, ranksOf, type DocEntry, type Group, type NameStat, type PendingDocs, type RoleStat } from './index';
import type { EntityType, Problem } from './model';
import { AnalysisStore, StringTable } from './analysisStore';
import { DocText } from './docText';
import { SmallMap } from './smallMap';
import { ReadOnUse } from './readOnUse';
import type { LineIndex } from './positions';

/** Bumped whenever the layout below or the meaning of the index's state changes. 2: groups' summaries. 3: packed
 *  analysis rows (analysisStore.ts), which the snapshot carries as they are. */
export const SNAPSHOT_LAYOUT = 3;

// The index's own types (index.ts): it hands its live maps over as they are, so that a change of shape there fails
// the typecheck here instead of silently writing something else.
/** The index's live state (CorpusIndex.snapshotState): read to save; filled, when empty, to restore. */
export interface IndexState {
  docs: Map<string, DocEntry>;
  sortedDocs: string[];
  strings: StringTable;
  skips: Map<string, string>;
  groups: Map<string, Group>;
  tables: Map<string, Map<string, number>>;
  answers: Map<string, string>;
  dependents: Map<string, Set<string>>;
  counts: { mentions: number; quotes: number; person: number; organisation: number };
  /** Groups whose summary is to be computed before the next query. */
  dirty: Set<Group>;
  /** Whether every group's summary and id are up to date (nothing dirty, no ids waiting to be reassigned). */
  summarised: boolean;
  textSource?: (doc: string) => string | undefined;
}

/** The snapshot's binary sections, each to be stored 8-byte aligned; `odd` holds the few strings UTF-8 cannot. */
export interface SnapshotSections {
  /** Per string its length in UTF-16 code units, or -1 - k for odd[k]. */
  lengths: Int32Array;
  /** Every string but the odd ones, joined, as UTF-8. */
  text: Uint8Array;
  odd: string[];
  /** The structure, read in order with a cursor. */
  ints: Int32Array;
  /** The documents' analysis rows, one after another. */
  rows: Int32Array;
  /** The documents' texts as UTF-8, one after another (texts the index holds). */
  bytes: Uint8Array;
  /** Line tables (starts, then ends) of the documents whose text the index does not hold. */
  lines: Uint32Array;
  /** The string table's numbers (confidences). */
  numbers: Float64Array;
}

/** What an encoding yields between slices (nothing) and returns: the sections, as pieces to write one after another
 *  (rows, bytes and lines as the index's own arrays, not copied). */
export interface EncodedSnapshot {
  lengths: Int32Array;
  text: Uint8Array;
  odd: string[];
  ints: Int32Array;
  rows: Int32Array[];
  bytes: Uint8Array[];
  lines: Uint32Array[];
  numbers: Float64Array;
  /** Documents in the snapshot, in its order. */
  docs: string[];
}

const KIND_BYTES = 0;
const KIND_RAW = 1;
const KIND_FETCHED = 2;

/** How many units of work (documents, groups, table entries) go between two yields of the encoder. */
const STEP = 256;
/** About a millisecond of encoding: how many integers a slice writes before it yields. */
const SLICE_INTS = 1 << 15;
/** Strings UTF-8-encoded per slice. */
const STRINGS_PER_SLICE = 8192;

class IntWriter {
  buf = new Int32Array(1 << 16);
  n = 0;
  push(x: number): void {
    if (this.n === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = x;
  }
  done(): Int32Array {
    return this.buf.subarray(0, this.n);
  }
}

// The private parts of the classes whose instances are saved as they are. Reached by element access, which
// TypeScript still type-checks, so a rename there fails the typecheck here.
type DocTextParts = { bytes?: Uint8Array; raw?: string; print: number; lineTable?: { starts: Uint32Array; ends: Uint32Array } };
const docTextParts = (d: DocText): DocTextParts => ({ bytes: d['bytes'], raw: d['raw'], print: d['print'], lineTable: d['lineTable'] });
const rowsOf = (s: AnalysisStore): Int32Array => s['rows'];
const stringsOf = (t: StringTable): { list: readonly string[]; numbers: readonly number[] } => ({ list: t['list'], numbers: t['numbers'] });

/** The index's state as sections, a slice at a time: each `next()` does a bounded amount of work. */
export function* encodeIndex(state: IndexState): Generator<void, EncodedSnapshot> {
  const ids = new Map<string, number>();
  const list: string[] = [];
  const sid = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let id = ids.get(s);
    if (id === undefined) {
      id = list.length;
      list.push(s);
      ids.set(s, id);
    }
    return id;
  };
  const w = new IntWriter();
  // Slices are measured in work done (integers written), not in items: a group of the most mentioned entity lists
  // thousands of documents, and 256 such groups in one slice held requests up for hundreds of milliseconds.
  let mark = 0;
  const due = (): boolean => {
    if (w.n - mark < SLICE_INTS) return false;
    mark = w.n;
    return true;
  };
  const rows: Int32Array[] = [];
  const bytes: Uint8Array[] = [];
  const lines: Uint32Array[] = [];

  // Documents, in key order.
  const docs = state.sortedDocs.slice();
  w.push(docs.length);
  for (let d = 0; d < docs.length; d++) {
    const key = docs[d];
    const e = state.docs.get(key);
    if (!e) throw new Error(`document ${key} is listed but not indexed`);
    // A restored document nobody read is written from the snapshot's parts, without building it.
    const unread = e instanceof RestoredDoc ? e : undefined;
    const body = unread ? unread.textParts() : docTextParts(e.body);
    const r = unread ? unread.rows() : rowsOf(e.store);
    const problems = unread ? unread.problemList() : e.store.problems;
    let kind: number;
    let extra: number;
    if (body.bytes) {
      kind = KIND_BYTES;
      extra = body.bytes.length;
      bytes.push(body.bytes);
    } else if (body.raw !== undefined) {
      kind = KIND_RAW;
      extra = sid(body.raw);
    } else {
      kind = KIND_FETCHED;
      const t = body.lineTable ?? { starts: e.body.starts, ends: e.body.ends };
      extra = t.starts.length;
      lines.push(t.starts, t.ends);
    }
    w.push(sid(key));
    // The fingerprint a fetched text is checked against (docText.ts) is a uint32 or an int32: bit 3 says which.
    w.push((e.claimsFailed ? 1 : 0) | (kind << 1) | (body.print !== (body.print | 0) ? 8 : 0));
    w.push(body.print | 0);
    w.push(unread ? unread.length : e.body.length);
    w.push(extra);
    w.push(r.length);
    w.push(problems.length ? sid(JSON.stringify(problems)) : -1);
    const nm = r[0];
    if (unread) unread.writeLists(w, sid, nm);
    else {
      w.push(e.lookupKeys.length);
      for (const lk of e.lookupKeys) w.push(sid(lk));
      if (e.group !== undefined && e.group.length !== nm) throw new Error(`document ${key}: ${e.group.length} groups for ${nm} mentions`);
      for (let i = 0; i < nm; i++) w.push(sid(mentionGroup(e, i, state.answers, state.strings)));
    }
    rows.push(r);
    if ((d + 1) % STEP === 0 || due()) yield;
  }

  // The string table: ids are positions, so it is saved in order.
  const table = stringsOf(state.strings);
  w.push(table.list.length);
  for (const s of table.list) w.push(sid(s));
  const numbers = Float64Array.from(table.numbers);

  w.push(state.skips.size);
  for (const [doc, reason] of state.skips) {
    w.push(sid(doc));
    w.push(sid(reason));
  }
  yield;

  const tally = (map: Map<string, NameStat>) => {
    if (map instanceof RestoredTally && map.copy(w, sid)) return;
    w.push(map.size);
    for (const [name, t] of map) {
      w.push(sid(name));
      w.push(t.count);
      const byRank = ranksOf(t);
      w.push(byRank.length);
      for (const n of byRank) w.push(n);
      w.push(sid(t.firstDoc));
      w.push(t.firstAt);
      w.push(t.stale ? 1 : 0);
      const titles = t.peerTitles;
      w.push(titles ? titles.size : -1);
      if (titles) {
        for (const [title, n] of titles) {
          w.push(sid(title));
          w.push(n);
        }
      }
    }
  };
  const perDoc = (map: Map<string, number[]>, order: Iterable<string>, size: number) => {
    w.push(size);
    for (const doc of order) {
      const idxs = map.get(doc);
      if (!idxs) continue;
      w.push(sid(doc));
      w.push(idxs.length);
      for (const x of idxs) w.push(x);
    }
  };

  w.push(state.groups.size);
  // All or none: ids are only consistent with one another when every group's summary is current.
  let summaries = state.summarised;
  if (summaries) for (const g of state.groups.values()) if (!g.id || g.summaryRev !== g.rev) summaries = false;
  w.push(summaries ? 1 : 0);
  let n = 0;
  for (const g of state.groups.values()) {
    w.push(sid(g.key));
    w.push(g.type === 'organisation' ? 1 : 0);
    w.push(g.size);
    // A group restored and never asked for still has its lists in the last snapshot: copied from there as they are.
    const pending = (g as { pending?: PendingDocs }).pending;
    const lists = pending instanceof PendingLists ? pending : undefined;
    if (lists) lists.write(w, sid, false);
    else {
      if (g.sortedDocs.length !== g.docs.size) throw new Error(`group ${g.key}: ${g.sortedDocs.length} sorted of ${g.docs.size} documents`);
      perDoc(g.docs, g.sortedDocs, g.docs.size);
    }
    tally(g.names);
    tally(g.expansions);
    w.push(g.quoteCount ?? -1);
    if (lists) lists.write(w, sid, true);
    else if (g.quoteDocs) perDoc(g.quoteDocs, g.quoteDocs.keys(), g.quoteDocs.size);
    else w.push(-1);
    const roles = g.roleTally;
    if (roles instanceof RestoredTally && roles.copy(w, sid)) {
      // copied unread
    } else if (!roles) w.push(-1);
    else {
      w.push(roles.size);
      for (const [key, t] of roles) {
        w.push(sid(key));
        w.push(t.count);
        w.push(sid(t.text));
        w.push(sid(t.firstDoc));
        w.push(t.firstAt);
        w.push(t.stale ? 1 : 0);
      }
    }
    if (summaries) {
      w.push(sid(g.name));
      w.push(sid(g.slug));
      w.push(sid(g.id));
      w.push(g.aliases.length);
      for (const a of g.aliases) w.push(sid(a));
    }
    if (++n % STEP === 0 || due()) yield;
  }

  // A restored index's tables nobody asked for are still in the last snapshot: copied from there as they are.
  const restored = state.tables instanceof RestoredTables ? state.tables : undefined;
  w.push(state.tables.size);
  n = 0;
  for (const [lk, t] of restored ? restored.loaded() : state.tables) {
    w.push(sid(lk));
    w.push(t.size);
    for (const [value, count] of t) {
      w.push(sid(value));
      w.push(count);
    }
    if (++n % (STEP * 4) === 0 || due()) yield;
  }
  if (restored) {
    for (const at of restored.unread()) {
      restored.copy(at, w, sid);
      if (++n % (STEP * 4) === 0 || due()) yield;
    }
  }
  w.push(state.answers.size);
  for (const [lk, a] of state.answers) {
    w.push(sid(lk));
    w.push(sid(a));
  }
  yield;
  w.push(state.dependents.size);
  n = 0;
  for (const [lk, set] of state.dependents) {
    w.push(sid(lk));
    // A restored set nobody touched is copied from the last snapshot as it is.
    if (!(set instanceof RestoredSet && set.copy(w, sid))) {
      w.push(set.size);
      for (const doc of set) w.push(sid(doc));
    }
    if (++n % STEP === 0 || due()) yield;
  }
  const c = state.counts;
  w.push(c.mentions);
  w.push(c.quotes);
  w.push(c.person);
  w.push(c.organisation);
  yield;

  // The strings: one UTF-8 blob; those UTF-8 cannot carry (lone surrogates) go apart.
  // Encoded a run of strings at a time (all at once was one block of a tenth of a second on a large corpus).
  const lengths = new Int32Array(list.length);
  const odd: string[] = [];
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let textBytes = 0;
  for (let from = 0; from < list.length; from += STRINGS_PER_SLICE) {
    const plain: string[] = [];
    for (let k = from, to = Math.min(list.length, from + STRINGS_PER_SLICE); k < to; k++) {
      const s = list[k];
      if (!wellFormed(s)) {
        lengths[k] = -1 - odd.length;
        odd.push(s);
      } else {
        lengths[k] = s.length;
        plain.push(s);
      }
    }
    const piece = encoder.encode(plain.join(''));
    pieces.push(piece);
    textBytes += piece.length;
    yield;
  }
  const text = new Uint8Array(textBytes);
  for (let k = 0, at = 0; k < pieces.length; at += pieces[k].length, k++) text.set(pieces[k], at);
  return { lengths, text, odd, ints: w.done(), rows, bytes, lines, numbers, docs };
}

function wellFormed(s: string): boolean {
  const native = (s as { isWellFormed?: () => boolean }).isWellFormed;
  if (native) return native.call(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

class SnapshotError extends Error {}

const DocTextOf = DocText as unknown as new (length: number, bytes?: Uint8Array, raw?: string, fetch?: () => string | undefined) => DocText;
const StoreOf = AnalysisStore as unknown as new (rows: Int32Array, strings: StringTable, problems: Problem[] | undefined) => AnalysisStore;

/**
 * Fills an empty index's state from sections (all views may point into one buffer, which the index then keeps:
 * texts and rows are not copied). Throws on anything inconsistent, and then empties the state again, so that a
 * snapshot found damaged half-way leaves the index as it was (empty).
 *
 * Why straight into the live maps rather than decoding first and filling at the end: a 100 MB corpus restores about
 * 2.5 million objects, most of them long-lived, and the restore's time went a third to the garbage collector; the
 * staging arrays and the second pass over everything added to both, for a case (a damaged snapshot) that a cheap
 * rollback covers as well.
 */
export function decodeIndex(state: IndexState, s: SnapshotSections): { docs: number } {
  const table = state.strings;
  const tableList = table['list'];
  if (
    state.docs.size ||
    state.sortedDocs.length ||
    state.skips.size ||
    state.groups.size ||
    state.tables.size ||
    state.answers.size ||
    state.dependents.size ||
    table.size ||
    table['numbers'].length
  )
    throw new SnapshotError('the index is not empty');
  const counts0 = { ...state.counts };
  try {
    return decodeInto(state, s);
  } catch (e) {
    for (const g of state.groups.values()) state.dirty.delete(g);
    state.docs.clear();
    state.sortedDocs.length = 0;
    state.skips.clear();
    state.groups.clear();
    state.tables.clear();
    state.answers.clear();
    state.dependents.clear();
    table['ids'] = new Map();
    tableList.length = 0;
    table['numbers'].length = 0;
    table['numberIds'].clear();
    Object.assign(state.counts, counts0);
    throw e;
  }
}

function decodeInto(state: IndexState, s: SnapshotSections): { docs: number } {
  // Strings: decoded once, sliced.
  const joined = new TextDecoder().decode(s.text);
  const nstr = s.lengths.length;
  const strs: string[] = new Array(nstr);
  let pos = 0;
  for (let k = 0; k < nstr; k++) {
    const len = s.lengths[k];
    if (len < 0) {
      const o = s.odd[-1 - len];
      if (typeof o !== 'string') throw new SnapshotError('missing string');
      strs[k] = o;
    } else {
      strs[k] = joined.slice(pos, pos + len);
      pos += len;
    }
  }
  if (pos !== joined.length) throw new SnapshotError('string lengths do not add up');
  const ints = s.ints;
  const end = ints.length;
  let at = 0;
  const next = (): number => {
    if (at >= end) throw new SnapshotError('snapshot structure ends early');
    return ints[at++];
  };
  /** A count: never negative, never more than what is left. */
  const count = (): number => {
    const n = next();
    if (n < 0 || n > end - at) throw new SnapshotError(`bad count ${n}`);
    return n;
  };
  const str = (): string => {
    const id = next();
    if (id < 0 || id >= nstr) throw new SnapshotError(`bad string id ${id}`);
    return strs[id];
  };

  // Documents. The string table they refer to is the index's own, filled below. Each is checked here (ids, counts and
  // ranges) but built only when first read (RestoredDoc): a reopen answers from a few of them.
  const table = state.strings;
  const textSource = state.textSource;
  const liveDocs = state.docs;
  const sortedDocs = state.sortedDocs;
  const docSource: DocSource = { strs, ints, sections: s, table, textSource };
  const nd = count();
  const cursor: DocCursor = { at, rowAt: 0, byteAt: 0, lineAt: 0 };
  for (let d = 0; d < nd; d++) {
    const key = decodeDoc(docSource, cursor, liveDocs);
    sortedDocs.push(key);
  }
  at = cursor.at;
  if (cursor.rowAt !== s.rows.length || cursor.byteAt !== s.bytes.length || cursor.lineAt !== s.lines.length)
    throw new SnapshotError('sections of another size than the documents');
  if (liveDocs.size !== nd) throw new SnapshotError('a document listed twice');

  // The string table: saved in order (ids are positions), each string once. Filled directly, as StringTable.id
  // would (the strings are decoded, not slices of a document's text: no copies needed); its map from string to id
  // is left for the table to build the first time a string is looked up (an edit), as a reopen needs none.
  const tableList = table['list'];
  const nt = count();
  if (!idsInRange(ints, at, nt, nstr)) throw new SnapshotError('bad string id in the table');
  for (let k = 0; k < nt; k++) tableList.push(strs[ints[at + k]]);
  at += nt;
  table['ids'] = undefined;
  const numbers = table['numbers'];
  const numberIds = table['numberIds'];
  for (let k = 0; k < s.numbers.length; k++) {
    const x = s.numbers[k];
    numberIds.set(x, k);
    numbers.push(x);
  }
  if (numberIds.size !== numbers.length) throw new SnapshotError('a number twice in the table');

  const nskips = count();
  for (let k = 0; k < nskips; k++) state.skips.set(str(), str());

  /** A tally of names (or roles), checked and stepped over; read when first used (RestoredTally). */
  const tally = <V>(kind: typeof NAMES | typeof ROLES, n: number): Map<string, V> => {
    const from = at;
    const to = kind === NAMES ? skipNames(ints, at, n, nstr) : skipRoles(ints, at, n, nstr);
    if (to < 0) throw new SnapshotError(kind === NAMES ? 'bad name tally' : 'bad role tally');
    at = to;
    return n === 0 ? new Map<string, V>() : new RestoredTally<V>(source, from, n, kind);
  };

  /** Checks a run of per-document lists (string ids, counts) and steps over it; they are read on first use. */
  const skipPerDoc = (n: number): void => {
    const to = skipLists(ints, at, n, nstr);
    if (to < 0) throw new SnapshotError('bad per-document list');
    at = to;
  };
  const source = { strs, ints };

  const ng = count();
  const summaries = next();
  if (summaries !== 0 && summaries !== 1) throw new SnapshotError('bad summaries flag');
  const ids = new Set<string>();
  let sharedId = false;
  for (let k = 0; k < ng; k++) {
    const key = str();
    const type: EntityType = next() === 1 ? 'organisation' : 'person';
    const size = next();
    const ngd = count();
    const docsAt = at;
    skipPerDoc(ngd);
    const names = tally<NameStat>(NAMES, count());
    const expansions = tally<NameStat>(NAMES, count());
    const quoteCount = next();
    const nq = next();
    const quotesAt = at;
    if (nq >= 0) skipPerDoc(nq);
    const g = newGroup(key, type, { names, expansions, pending: new PendingLists(source, ngd, docsAt, nq, quotesAt) });
    g.size = size;
    if (quoteCount >= 0) g.quoteCount = quoteCount;
    const nr = next();
    if (nr >= 0) {
      if (nr > end - at) throw new SnapshotError(`bad count ${nr}`);
      g.roleTally = tally<RoleStat>(ROLES, nr);
    }
    if (summaries) {
      // The index takes these as they are (CorpusIndex.restoreSnapshot): what it relies on is checked here.
      g.name = str();
      g.slug = str();
      g.id = str();
      const na = count();
      const aliases: string[] = new Array(na);
      for (let j = 0; j < na; j++) aliases[j] = str();
      g.aliases = aliases;
      const prefix = `${type}:`;
      if (!g.slug.startsWith(prefix) || (g.id !== g.slug && !(g.id.startsWith(`${g.slug}-`) && /^[2-9]\d*$|^1\d+$/.test(g.id.slice(g.slug.length + 1)))))
        throw new SnapshotError(`group ${key}: id ${g.id} does not go with its slug`);
      if (ids.has(g.id)) sharedId = true;
      ids.add(g.id);
      g.summaryRev = g.rev;
    } else {
      // Summaries are derived: left for the index to compute.
      state.dirty.add(g);
    }
    state.groups.set(key, g);
  }
  if (state.groups.size !== ng) throw new SnapshotError('a group listed twice');
  if (sharedId) {
    // Two groups with one id ("x-2" as the second "x" and as the slug of "X 2"): which one the id finds depends on
    // the order ids were assigned in, so the index assigns them again, as it does without saved summaries.
    for (const g of state.groups.values()) {
      Object.assign(g, { name: '', slug: '', id: '', aliases: [], summaryRev: 0 });
      state.dirty.add(g);
    }
  }

  // Lookup tables and dependents only matter to an edit: checked here (ids and counts in range), read when asked for.
  const ntables = count();
  const tablesAt = at;
  for (let k = 0; k < ntables; k++) {
    str();
    const n = count();
    for (let j = 0; j < n; j++) {
      str();
      next();
    }
  }
  state.tables = new RestoredTables(source, tablesAt, ntables);
  const nanswers = count();
  for (let k = 0; k < nanswers; k++) state.answers.set(str(), str());
  const ndeps = count();
  for (let k = 0; k < ndeps; k++) {
    const lk = str();
    const n = count();
    const from = at;
    for (let j = 0; j < n; j++) str();
    state.dependents.set(lk, new RestoredSet(source, from, n));
  }
  const counts = { mentions: next(), quotes: next(), person: next(), organisation: next() };
  if (at !== end) throw new SnapshotError('snapshot structure longer than expected');
  Object.assign(state.counts, counts);
  return { docs: nd };
}

/** Where decodeDoc reads: in the integers, and in the sections the documents take their parts from, in order. */
interface DocCursor {
  at: number;
  rowAt: number;
  byteAt: number;
  lineAt: number;
}

/**
 * Checks one document's record at the cursor, steps over it and puts the document (a RestoredDoc) into `docs`; returns
 * its key. The record's fixed fields are read at once and checked together, instead of integer by integer through
 * decodeInto's cursor closures (22,500 documents at 100 MB).
 */
function decodeDoc(source: DocSource, c: DocCursor, docs: Map<string, DocEntry>): string {
  const { strs, ints, sections: s, textSource } = source;
  const nstr = strs.length;
  const end = ints.length;
  const from = c.at;
  let at = from;
  if (at + 8 > end) throw new SnapshotError('snapshot structure ends early');
  const keyId = ints[at];
  const flags = ints[at + 1];
  // at + 2: the fingerprint
  const length = ints[at + 3];
  const extra = ints[at + 4];
  const rowLength = ints[at + 5];
  const problemsId = ints[at + 6];
  const nk = ints[at + 7];
  at += 8;
  if (keyId < 0 || keyId >= nstr || problemsId < -1 || problemsId >= nstr) throw new SnapshotError('bad string id');
  if (nk < 0 || nk > end - at) throw new SnapshotError(`bad count ${nk}`);
  if (!idsInRange(ints, at, nk, nstr)) throw new SnapshotError('bad string id');
  at += nk;
  const rowAt = c.rowAt;
  if (rowLength < 3 || rowAt + rowLength > s.rows.length) throw new SnapshotError('rows out of range');
  const nm = s.rows[rowAt];
  if (nm < 0 || nm > rowLength) throw new SnapshotError('bad mention count');
  if (nm > end - at || !idsInRange(ints, at, nm, nstr)) throw new SnapshotError('bad mention groups');
  at += nm;
  const kind = (flags >> 1) & 3;
  let textAt: number;
  if (kind === KIND_BYTES) {
    if (textSource) throw new SnapshotError('the snapshot holds texts; this index fetches them');
    if (extra < 0 || c.byteAt + extra > s.bytes.length || extra > length * 3 || extra < length) throw new SnapshotError('text out of range');
    textAt = c.byteAt;
    c.byteAt += extra;
  } else if (kind === KIND_RAW) {
    if (textSource) throw new SnapshotError('the snapshot holds texts; this index fetches them');
    if (extra < 0 || extra >= nstr || strs[extra].length !== length) throw new SnapshotError('bad raw text');
    textAt = 0;
  } else if (kind === KIND_FETCHED) {
    if (!textSource) throw new SnapshotError('the snapshot holds no texts; this index keeps them');
    if (extra < 1 || c.lineAt + 2 * extra > s.lines.length) throw new SnapshotError('line table out of range');
    textAt = c.lineAt;
    c.lineAt += 2 * extra;
  } else throw new SnapshotError(`unknown text kind ${kind}`);
  // Parsed now: a damaged list must fail the restore, not a query later.
  let problems: Problem[] | undefined;
  if (problemsId !== -1) {
    try {
      problems = JSON.parse(strs[problemsId]) as Problem[];
    } catch {
      throw new SnapshotError('unreadable problems');
    }
    if (!Array.isArray(problems)) throw new SnapshotError('unreadable problems');
  }
  const key = strs[keyId];
  docs.set(key, new RestoredDoc(source, from, rowAt, textAt, (flags & 1) === 1, problems));
  c.rowAt = rowAt + rowLength;
  c.at = at;
  return key;
}

// The checks of long runs of integers, as functions of their own: decodeInto runs once, and its loops would run
// unoptimised for a large part of a restore; small functions called thousands of times are optimised early.
/** Whether the `n` integers from `at` are all string ids (0 ≤ id < nstr). */
function idsInRange(ints: Int32Array, at: number, n: number, nstr: number): boolean {
  for (let i = at, to = at + n; i < to; i++) if (ints[i] < 0 || ints[i] >= nstr) return false;
  return true;
}

/** Steps over `n` per-document lists (string id, count, that many integers) from `at`: where they end, or -1 when one
 *  is out of range. */
function skipLists(ints: Int32Array, at: number, n: number, nstr: number): number {
  const end = ints.length;
  for (let k = 0; k < n; k++) {
    if (at + 2 > end) return -1;
    const id = ints[at];
    const ni = ints[at + 1];
    at += 2;
    if (id < 0 || id >= nstr || ni < 0 || ni > end - at) return -1;
    at += ni;
  }
  return at;
}

/** What a restored document reads its parts from: the snapshot's strings, integers and sections, and the index's. */
interface DocSource {
  strs: readonly string[];
  ints: Int32Array;
  sections: SnapshotSections;
  table: StringTable;
  textSource?: (doc: string) => string | undefined;
}

/**
 * A restored document, its parts left in the snapshot (checked when restored: ids, counts and ranges) until first
 * read. Making all 22,500 entries of a 100 MB corpus at restore (a text, a store, three typed-array views, the lists
 * of lookup keys and of 700,000 mention groups) was the largest part of a warm reopen's restore and of the garbage
 * it left, while a reopened workspace reads few documents before an edit or a corpus-wide request comes. Each part is
 * made on its own (the line-table pass after a scan reads only `body`); assigning a part replaces it.
 */
class RestoredDoc implements DocEntry {
  private text: DocText | undefined = undefined;
  private rowStore: AnalysisStore | undefined = undefined;
  private groups: string[] | undefined = undefined;
  private keys: string[] | undefined = undefined;
  /** The index sets it on first use (DocEntry.lines); a field from the start, so the object keeps its shape. */
  lines: LineIndex | undefined = undefined;

  constructor(
    private readonly source: DocSource,
    /** Where the document's record starts in the integers (its key). */
    private readonly at: number,
    private readonly rowAt: number,
    /** Where its text (bytes) or line table (lines) starts in that section. */
    private readonly textAt: number,
    readonly claimsFailed: boolean,
    private readonly problems: Problem[] | undefined,
  ) {}

  get body(): DocText {
    return (this.text ??= this.readBody());
  }
  set body(v: DocText) {
    this.text = v;
  }

  get store(): AnalysisStore {
    if (this.rowStore === undefined) {
      const { ints, sections, table } = this.source;
      const rows = sections.rows;
      this.rowStore = new StoreOf(new Int32Array(rows.buffer, rows.byteOffset + 4 * this.rowAt, ints[this.at + 5]), table, this.problems);
    }
    return this.rowStore;
  }
  set store(v: AnalysisStore) {
    this.rowStore = v;
  }

  get lookupKeys(): string[] {
    if (this.keys === undefined) {
      const { strs, ints } = this.source;
      const from = this.at + 8;
      const nk = ints[from - 1];
      const keys: string[] = new Array(nk);
      for (let k = 0; k < nk; k++) keys[k] = strs[ints[from + k]];
      this.keys = keys;
    }
    return this.keys;
  }
  set lookupKeys(v: string[]) {
    this.keys = v;
  }

  get group(): string[] {
    if (this.groups === undefined) {
      const { strs, ints, sections } = this.source;
      const from = this.at + 8 + ints[this.at + 7];
      const nm = sections.rows[this.rowAt];
      const group: string[] = new Array(nm);
      for (let i = 0; i < nm; i++) group[i] = strs[ints[from + i]];
      this.groups = group;
    }
    return this.groups;
  }
  set group(v: string[]) {
    this.groups = v;
  }

  /** The text's length (as `body.length`). */
  get length(): number {
    return this.text ? this.text.length : this.source.ints[this.at + 3];
  }

  /** For the encoder: the text's parts as docTextParts gives them, without building the text. */
  textParts(): DocTextParts {
    if (this.text) return docTextParts(this.text);
    const { strs, ints, sections: s } = this.source;
    const flags = ints[this.at + 1];
    const extra = ints[this.at + 4];
    const kind = (flags >> 1) & 3;
    const print = flags & 8 ? ints[this.at + 2] >>> 0 : ints[this.at + 2];
    if (kind === KIND_BYTES) return { bytes: new Uint8Array(s.bytes.buffer, s.bytes.byteOffset + this.textAt, extra), print };
    if (kind === KIND_RAW) return { raw: strs[extra], print };
    const lines = s.lines;
    return {
      print,
      lineTable: {
        starts: new Uint32Array(lines.buffer, lines.byteOffset + 4 * this.textAt, extra),
        ends: new Uint32Array(lines.buffer, lines.byteOffset + 4 * (this.textAt + extra), extra),
      },
    };
  }

  /** For the encoder: the analysis rows, without building the store. */
  rows(): Int32Array {
    if (this.rowStore) return rowsOf(this.rowStore);
    const rows = this.source.sections.rows;
    return new Int32Array(rows.buffer, rows.byteOffset + 4 * this.rowAt, this.source.ints[this.at + 5]);
  }

  /** As `store.problems`, without building the store. */
  problemList(): Problem[] {
    return this.rowStore ? this.rowStore.problems : this.problems ? this.problems.slice() : [];
  }

  /** Writes the lookup keys (count, then ids) and the groups of the `nm` mentions (ids) as encodeIndex writes them. */
  writeLists(w: IntWriter, sid: (s: string) => number, nm: number): void {
    const { strs, ints, sections } = this.source;
    const nk = ints[this.at + 7];
    const keysAt = this.at + 8;
    const keys = this.keys;
    if (keys) {
      w.push(keys.length);
      for (const lk of keys) w.push(sid(lk));
    } else {
      w.push(nk);
      for (let k = 0; k < nk; k++) w.push(sid(strs[ints[keysAt + k]]));
    }
    const groups = this.groups;
    if (groups) {
      if (groups.length !== nm) throw new Error(`a restored document: ${groups.length} groups for ${nm} mentions`);
      for (let i = 0; i < nm; i++) w.push(sid(groups[i]));
    } else {
      if (sections.rows[this.rowAt] !== nm) throw new Error(`a restored document: ${sections.rows[this.rowAt]} groups for ${nm} mentions`);
      const from = keysAt + nk;
      for (let i = 0; i < nm; i++) w.push(sid(strs[ints[from + i]]));
    }
  }

  private readBody(): DocText {
    const { strs, ints, sections: s, textSource } = this.source;
    const at = this.at;
    const flags = ints[at + 1];
    const length = ints[at + 3];
    const extra = ints[at + 4];
    const kind = (flags >> 1) & 3;
    if (kind === KIND_BYTES) return new DocTextOf(length, new Uint8Array(s.bytes.buffer, s.bytes.byteOffset + this.textAt, extra));
    if (kind === KIND_RAW) return new DocTextOf(length, undefined, strs[extra]);
    const key = strs[ints[at]];
    const lines = s.lines;
    const body = new DocTextOf(length, undefined, undefined, () => textSource!(key));
    body['lineTable'] = {
      starts: new Uint32Array(lines.buffer, lines.byteOffset + 4 * this.textAt, extra),
      ends: new Uint32Array(lines.buffer, lines.byteOffset + 4 * (this.textAt + extra), extra),
    };
    body['print'] = flags & 8 ? ints[at + 2] >>> 0 : ints[at + 2];
    return body;
  }
}

/**
 * A restored group's document lists, left in the snapshot's integers (checked when restored: ids and counts in range)
 * until the group's `docs`, `sortedDocs` or `quoteDocs` is first read. The integers are a view onto the buffer read
 * from disk, which the documents' rows keep alive anyway.
 */
class PendingLists implements PendingDocs {
  constructor(
    private readonly source: { strs: readonly string[]; ints: Int32Array },
    readonly count: number,
    private readonly docsAt: number,
    /** -1: the group had no quotation map. */
    private readonly quoteCount: number,
    private readonly quotesAt: number,
  ) {}

  load(): { docs: Map<string, number[]>; sortedDocs: string[]; quoteDocs?: Map<string, number[]> } {
    const sortedDocs: string[] = new Array(this.count);
    const docs = this.read(this.docsAt, this.count, sortedDocs);
    return this.quoteCount >= 0 ? { docs, sortedDocs, quoteDocs: this.read(this.quotesAt, this.quoteCount) } : { docs, sortedDocs };
  }

  /** Writes the documents' (or the quotations') run as encodeIndex's perDoc would from the loaded maps. */
  write(w: IntWriter, sid: (s: string) => number, quotes: boolean): void {
    const { strs, ints } = this.source;
    const n = quotes ? this.quoteCount : this.count;
    w.push(n);
    let at = quotes ? this.quotesAt : this.docsAt;
    for (let k = 0; k < n; k++) {
      w.push(sid(strs[ints[at++]]));
      const ni = ints[at++];
      w.push(ni);
      for (let j = 0; j < ni; j++) w.push(ints[at++]);
    }
  }

  private read(from: number, n: number, sorted?: string[]): Map<string, number[]> {
    const { strs, ints } = this.source;
    const map = new Map<string, number[]>();
    let at = from;
    for (let k = 0; k < n; k++) {
      const doc = strs[ints[at++]];
      const ni = ints[at++];
      const idxs: number[] = new Array(ni);
      for (let j = 0; j < ni; j++) idxs[j] = ints[at++];
      map.set(doc, idxs);
      if (sorted) sorted[k] = doc;
    }
    return map;
  }
}

/** The snapshot's strings and integers, which restored parts read on demand. */
interface Source {
  strs: readonly string[];
  ints: Int32Array;
}

/**
 * A restored index's lookup tables (lookup key → value → count), each read from the snapshot's integers the first time
 * it is asked for. Only an edit asks (queries never read the tables), and a 100 MB corpus has 32,600 of them: as maps
 * made at restore they took about a sixth of it, garbage collection included. Behaves as the Map it stands for (the index uses get, set, delete, size); iterating reads every table in,
 * except through `loaded`/`unread`/`copy`, by which the encoder copies the unread ones as they are.
 */
export class RestoredTables extends Map<string, Map<string, number>> {
  /** Where each table not read yet starts (at its entry count), by lookup key: made on first use, from the walk of
   *  `count` tables starting at `from`. Undefined with `source` once every table is read or replaced. */
  private where: Map<string, number> | undefined = undefined;

  constructor(
    private source: Source | undefined,
    private readonly from: number,
    private readonly count: number,
  ) {
    super();
    if (count === 0) this.source = undefined;
  }

  override get(key: string): Map<string, number> | undefined {
    const t = super.get(key);
    if (t !== undefined || this.source === undefined) return t;
    const where = this.unreadAt();
    const at = where.get(key);
    if (at === undefined) return undefined;
    where.delete(key);
    const table = this.read(at);
    super.set(key, table);
    this.settle();
    return table;
  }

  override has(key: string): boolean {
    return super.has(key) || (this.source !== undefined && this.unreadAt().has(key));
  }

  override set(key: string, table: Map<string, number>): this {
    if (this.source !== undefined) {
      this.unreadAt().delete(key);
      this.settle();
    }
    return super.set(key, table);
  }

  override delete(key: string): boolean {
    let unread = false;
    if (this.source !== undefined) {
      unread = this.unreadAt().delete(key);
      this.settle();
    }
    return super.delete(key) || unread;
  }

  override clear(): void {
    this.where = undefined;
    this.source = undefined;
    super.clear();
  }

  override get size(): number {
    return super.size + (this.source === undefined ? 0 : this.unreadAt().size);
  }

  override forEach(visit: (table: Map<string, number>, key: string, map: Map<string, Map<string, number>>) => void, self?: unknown): void {
    this.readAll();
    super.forEach(visit, self);
  }

  override entries(): MapIterator<[string, Map<string, number>]> {
    this.readAll();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.readAll();
    return super.keys();
  }

  override values(): MapIterator<Map<string, number>> {
    this.readAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, Map<string, number>]> {
    return this.entries();
  }

  /** The tables read so far (or set since), without reading the others. */
  loaded(): MapIterator<[string, Map<string, number>]> {
    return super.entries();
  }

  /** Where the tables not read yet are (for `copy`). */
  unread(): Iterable<number> {
    return this.source === undefined ? [] : [...this.unreadAt().values()];
  }

  /** Writes the table at `at` (see `unread`) as encodeIndex writes one: key, entry count, then values and counts. */
  copy(at: number, w: IntWriter, sid: (s: string) => number): void {
    const { strs, ints } = this.source!;
    const n = ints[at];
    w.push(sid(strs[ints[at - 1]]));
    w.push(n);
    for (let j = 0, k = at + 1; j < n; j++, k += 2) {
      w.push(sid(strs[ints[k]]));
      w.push(ints[k + 1]);
    }
  }

  private unreadAt(): Map<string, number> {
    if (this.where) return this.where;
    const { strs, ints } = this.source!;
    const where = new Map<string, number>();
    for (let k = 0, at = this.from; k < this.count; k++) {
      // A key listed twice (never written so) keeps its last table, as filling a map in order would.
      where.set(strs[ints[at]], at + 1);
      at += 2 + 2 * ints[at + 1];
    }
    return (this.where = where);
  }

  private read(at: number): Map<string, number> {
    const { strs, ints } = this.source!;
    // As the index makes them (one shape at its call sites).
    const table = new SmallMap<number>();
    for (let j = 0, n = ints[at], k = at + 1; j < n; j++, k += 2) table.set(strs[ints[k]], ints[k + 1]);
    return table;
  }

  /** Lets go of the snapshot once no table is left in it. */
  private settle(): void {
    if (this.where?.size === 0) {
      this.where = undefined;
      this.source = undefined;
    }
  }

  private readAll(): void {
    if (this.source === undefined) return;
    for (const [key, at] of this.unreadAt()) super.set(key, this.read(at));
    this.where = undefined;
    this.source = undefined;
  }
}

/**
 * The documents that depend on one lookup key, in a restored index: read from the snapshot's integers when first
 * used (an edit touching the key), not at restore. 194,000 entries in 5,400 sets at 100 MB, which only an edit needs.
 * Its size is known without reading it (encodeIndex writes each set's distinct members).
 */
export class RestoredSet extends Set<string> {
  constructor(
    private source: Source | undefined,
    private readonly at: number,
    private readonly count: number,
  ) {
    super();
  }

  override get size(): number {
    return this.source === undefined ? super.size : this.count;
  }

  override has(doc: string): boolean {
    this.read();
    return super.has(doc);
  }

  override add(doc: string): this {
    this.read();
    return super.add(doc);
  }

  override delete(doc: string): boolean {
    this.read();
    return super.delete(doc);
  }

  override clear(): void {
    this.source = undefined;
    super.clear();
  }

  override forEach(visit: (doc: string, again: string, set: Set<string>) => void, self?: unknown): void {
    this.read();
    super.forEach(visit, self);
  }

  override entries(): SetIterator<[string, string]> {
    this.read();
    return super.entries();
  }

  override keys(): SetIterator<string> {
    this.read();
    return super.keys();
  }

  override values(): SetIterator<string> {
    this.read();
    return super.values();
  }

  override [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  /** Writes the set as encodeIndex writes one (count, then members) while it is unread; false once it is read. */
  copy(w: IntWriter, sid: (s: string) => number): boolean {
    if (this.source === undefined) return false;
    const { strs, ints } = this.source;
    w.push(this.count);
    for (let k = this.at, end = this.at + this.count; k < end; k++) w.push(sid(strs[ints[k]]));
    return true;
  }

  private read(): void {
    if (this.source === undefined) return;
    const { strs, ints } = this.source;
    this.source = undefined;
    for (let k = this.at, end = this.at + this.count; k < end; k++) super.add(strs[ints[k]]);
  }
}

const NAMES = 0;
const ROLES = 1;

/**
 * A restored group's tally of names, of expansions or of roles (index.ts NameStat, RoleStat), read from the snapshot's
 * integers when first used: only an edit touching the group, or its summary computed again, reads it, and a 100 MB
 * corpus's 13,000 groups hold 25,000 names and 6,000 roles, which made at restore were 30,000 objects and their
 * arrays for the garbage collector to copy before the first answer. Its size is known unread (the encoder writes each
 * tally's distinct keys); any other use reads it in, after which it is the Map it stands for. An unread one is copied
 * into the next snapshot as it is (`copy`).
 */
export class RestoredTally<V> extends ReadOnUse<string, V> {
  constructor(
    private source: Source | undefined,
    /** Where its first entry starts. */
    private readonly at: number,
    private readonly count: number,
    private readonly kind: typeof NAMES | typeof ROLES,
  ) {
    super();
  }

  override get size(): number {
    return this.source === undefined ? super.size : this.count;
  }

  override get(key: string): V | undefined {
    this.readIn();
    return super.get(key);
  }

  override has(key: string): boolean {
    this.readIn();
    return super.has(key);
  }

  override clear(): void {
    this.source = undefined;
    super.clear();
  }

  /** Writes the tally as encodeIndex writes one (entry count, then entries) while it is unread; false once read. */
  copy(w: IntWriter, sid: (s: string) => number): boolean {
    if (this.source === undefined) return false;
    const { strs, ints } = this.source;
    w.push(this.count);
    let at = this.at;
    for (let k = 0; k < this.count; k++) {
      if (this.kind === NAMES) {
        // name, count, ranks and their counts, first document, first index, stale, peer titles (-1: none)
        w.push(sid(strs[ints[at]]));
        w.push(ints[at + 1]);
        const nr = ints[at + 2];
        w.push(nr);
        for (let j = 0; j < nr; j++) w.push(ints[at + 3 + j]);
        at += 3 + nr;
        w.push(sid(strs[ints[at]]));
        w.push(ints[at + 1]);
        w.push(ints[at + 2]);
        const np = ints[at + 3];
        w.push(np);
        at += 4;
        for (let j = 0; j < np; j++, at += 2) {
          w.push(sid(strs[ints[at]]));
          w.push(ints[at + 1]);
        }
      } else {
        // key, count, text, first document, first index, stale
        w.push(sid(strs[ints[at]]));
        w.push(ints[at + 1]);
        w.push(sid(strs[ints[at + 2]]));
        w.push(sid(strs[ints[at + 3]]));
        w.push(ints[at + 4]);
        w.push(ints[at + 5]);
        at += 6;
      }
    }
    return true;
  }

  protected readIn(): void {
    if (this.source === undefined) return;
    const { strs, ints } = this.source;
    this.source = undefined;
    let at = this.at;
    for (let k = 0; k < this.count; k++) {
      if (this.kind === NAMES) {
        const name = strs[ints[at]];
        const nr = ints[at + 2];
        const count = ints[at + 1];
        // Seven counts of which one is the count: the name's mentions all have that rank (index.ts NameStat.rank).
        let rank = -1;
        if (nr === 7 && count > 0) {
          let sum = 0;
          for (let j = 0; j < nr; j++) {
            sum += ints[at + 3 + j];
            if (ints[at + 3 + j] === count && rank < 0) rank = j;
          }
          if (sum !== count) rank = -1;
        }
        let byRank: number[] | undefined;
        if (rank < 0) {
          byRank = new Array(nr);
          for (let j = 0; j < nr; j++) byRank[j] = ints[at + 3 + j];
        }
        const t: NameStat = { count, rank, byRank, firstDoc: '', firstAt: 0, stale: false };
        at += 3 + nr;
        t.firstDoc = strs[ints[at]];
        t.firstAt = ints[at + 1];
        t.stale = ints[at + 2] === 1;
        const np = ints[at + 3];
        at += 4;
        if (np >= 0) {
          t.peerTitles = new Map();
          for (let j = 0; j < np; j++, at += 2) t.peerTitles.set(strs[ints[at]], ints[at + 1]);
        }
        super.set(name, t as V);
      } else {
        const t: RoleStat = { count: ints[at + 1], text: strs[ints[at + 2]], firstDoc: strs[ints[at + 3]], firstAt: ints[at + 4], stale: ints[at + 5] === 1 };
        super.set(strs[ints[at]], t as V);
        at += 6;
      }
    }
  }
}

/** Steps over `n` name tally entries from `at` (as RestoredTally reads them), checking string ids and counts: where
 *  they end, or -1. */
function skipNames(ints: Int32Array, at: number, n: number, nstr: number): number {
  const end = ints.length;
  for (let k = 0; k < n; k++) {
    if (at + 3 > end) return -1;
    const nr = ints[at + 2];
    if (ints[at] < 0 || ints[at] >= nstr || nr < 0 || nr > end - at - 3) return -1;
    at += 3 + nr;
    if (at + 4 > end) return -1;
    const np = ints[at + 3];
    if (ints[at] < 0 || ints[at] >= nstr) return -1;
    at += 4;
    if (np < 0) continue;
    if (np > (end - at) / 2) return -1;
    for (let j = 0; j < np; j++, at += 2) if (ints[at] < 0 || ints[at] >= nstr) return -1;
  }
  return at;
}

/** Steps over `n` role tally entries from `at`, checking string ids: where they end, or -1. */
function skipRoles(ints: Int32Array, at: number, n: number, nstr: number): number {
  if (n > (ints.length - at) / 6) return -1;
  for (let k = 0; k < n; k++, at += 6) {
    const key = ints[at];
    const text = ints[at + 2];
    const doc = ints[at + 3];
    if (key < 0 || key >= nstr || text < 0 || text >= nstr || doc < 0 || doc >= nstr) return -1;
  }
  return at;
}

/** Whether an error came from a damaged or mismatched snapshot (as opposed to a bug). */
export const isSnapshotError = (e: unknown): boolean => e instanceof SnapshotError;
