// The corpus index: every document's analysis, the mentions grouped into entities across documents, and the
// queries the language server and the CLI answer from memory.
//
// Incremental by construction. Each document keeps what it contributes (its analysis and its alias claims, see
// aliases.ts); corpus-wide alias questions ("which full names have the family name Corbyn?") are answered from
// tables of counts, and an edit re-answers only the questions whose tables it changed, moving only the mentions
// that depend on an answer that actually changed. Entity summaries (canonical name, aliases, id) are recomputed
// lazily, only for groups whose membership changed. Nothing depends on the order documents arrive in, so the index
// after any sequence of edits equals a fresh index of the same documents.

import { analyzeDocument } from './analyze';
import {
  chooseCanonical,
  comesBefore,
  documentClaims,
  isFullForm,
  normaliseName,
  resolveLookup,
  slugOf,
  takeClaims,
  typeOfGroupKey,
  type DocClaims,
  type NameTally,
} from './aliases';
import type { AnalyzeOptions, DocAnalysis, Entity, EntityType, Mention, MentionRef, Quote, QuoteRef } from './model';
import { AnalysisStore, StringTable, takeEncoded, type ClaimIds } from './analysisStore';
import { DocLists, DocSet } from './docLists';
import { SmallMap } from './smallMap';
import { DocText } from './docText';
import { LineIndex } from './positions';
import { SearchIndex } from './search';
import { prefixLength } from './sorted';
import { decodeIndex, type IndexState, type SnapshotSections } from './indexSnapshot';

export type Analyze = (text: string, options?: AnalyzeOptions) => DocAnalysis;

/** One document's mentions of an entity: their indices (ascending) and [start, end) offsets, pair by pair. */
export interface MentionSpans {
  readonly doc: string;
  readonly indices: readonly number[];
  readonly spans: readonly number[];
}

export interface CorpusIndexOptions {
  analyze?: Analyze;
  /**
   * Gives a document's current text back (the host's open-document overlay, else the file). With it, the index
   * keeps no text, only line tables (a corpus's size less in memory): quotation texts, `text()` and `analysis()`
   * read through it. A text whose length differs from the indexed one is not used (the document is being indexed
   * again). Without it, texts are kept as UTF-8.
   */
  textSource?: (doc: string) => string | undefined;
}

export interface CorpusStats {
  documents: number;
  skipped: number;
  people: number;
  organisations: number;
  quotes: number;
  mentions: number;
}

export interface DocEntry {
  /** The text as UTF-8 bytes, and the analysis as rows of numbers: as a string and objects, a corpus took about four
   *  times its size in memory. Texts, analyses and Mention/Quote objects are rebuilt on demand. */
  body: DocText;
  store: AnalysisStore;
  /** The contributions to the lookup tables are recomputed from the analysis on removal (documentClaims is pure);
   *  when grouping failed on this document, there are none. */
  claimsFailed?: boolean;
  /** A restored document's group of every mention, by mention index, as the snapshot listed it (indexSnapshot.ts
   *  RestoredDoc). A document set in this session has none: its mentions' groups follow from their rows (see
   *  `groupOf`), since an array of 708,000 keys at 100 MB of articles held 6.7 MB of the heap at the scan's peak. */
  group?: string[];
  /** The lookup keys this document depends on, each once; `store.lookup(i)` is the position there of mention i's
   *  key (a Map of index lists per document cost about 2 KB), else what `localKey` says. See `lookupMentions`. */
  lookupKeys: string[];
  lines?: LineIndex;
}

/** How often a group uses one name, how full a form it is, and where it first appears. */
export interface NameStat {
  count: number;
  /** The form rank (aliases.ts formRank, at most 6) of every mention of the name while they all have one, which is
   *  what almost every name has; -1 once they differ, and then `byRank` counts them. (An array of seven counts per
   *  name and expansion was ~50,000 arrays, 2.6 MB of the server's heap at the end of a cold 100 MB scan.) */
  rank: number;
  /** Mentions per form rank, once the name's mentions have more than one; the name's rank is the lowest one in use. */
  byRank: number[] | undefined;
  firstDoc: string;
  firstAt: number;
  /** The recorded first occurrence was removed; the true first is at or after it (fixed lazily in flush). */
  stale: boolean;
  /** Mentions of the name with a peer's title, by title ("Lord" → 2): a territorial name keeps it when canonical. */
  peerTitles?: Map<string, number>;
}

/** A group with no members and no summary yet (its summary is computed when it is flushed: `rev` ≠ `summaryRev`). */
export function newGroup(key: string, type: EntityType, restored?: RestoredGroup): Group {
  return new GroupRecord(key, type, restored);
}

/** What a snapshot restores of a group up front (indexSnapshot.ts): its tallies, and its lists left in the snapshot. */
export interface RestoredGroup {
  names: Map<string, NameStat>;
  expansions: Map<string, NameStat>;
  pending: PendingDocs;
}

/** A restored group's lists until they are read in (never handed out: the accessors read the lists in first). A
 *  restore makes 13,000 groups at 100 MB; lists of their own that the first read replaces only added to the garbage
 *  collector's work then. */
const UNREAD_DOCS = new DocLists();

/** The expansions of a group whose acronyms carry none, which is most groups (an empty Map costs ~190 bytes): shared,
 *  never written to (joinMany gives the group a map of its own first). */
const NO_EXPANSIONS = new Map<string, NameStat>();

/**
 * A restored group's per-document lists while they are still in the snapshot (indexSnapshot.ts reads them on first
 * use): a 100 MB corpus has 13,000 groups and 330,000 such lists, and building them all before the first answer took
 * about 0.3 s and 45 MB, while a session asks for few entities' documents.
 */
export interface PendingDocs {
  /** The number of documents (what `docs.size` will be). */
  readonly count: number;
  load(): { docs: Map<string, number[]>; sortedDocs: string[]; quoteDocs?: Map<string, number[]> };
}

/** How many documents a group has, without reading a restored group's lists in. */
export function docCount(g: Group): number {
  const pending = g instanceof GroupRecord ? g.pending : undefined;
  return pending ? pending.count : g.docs.size;
}

/** Every Group is one of these (one shape for every group); the accessors only read pending lists in. */
class GroupRecord implements Group {
  size = 0;
  rev = 1;
  summaryRev = 0;
  name = '';
  aliases: string[] = [];
  slug = '';
  id = '';
  searchedId = '';
  names: Map<string, NameStat>;
  expansions: Map<string, NameStat>;
  entity?: Entity = undefined;
  listed?: Entity = undefined;
  refs?: Group['refs'] = undefined;
  memo?: Group['memo'] = undefined;
  quoteCount?: number = undefined;
  roleTally?: Map<string, RoleStat> = undefined;
  pending: PendingDocs | undefined;
  /** Lists by document as sorted parallel arrays (docLists.ts), which also give `sortedDocs`. */
  private docsMap: DocLists;
  private quotes: DocLists | undefined = undefined;

  constructor(
    public key: string,
    public type: EntityType,
    restored?: RestoredGroup,
  ) {
    this.names = restored ? restored.names : new SmallMap<NameStat>();
    this.expansions = restored && restored.expansions.size ? restored.expansions : NO_EXPANSIONS;
    this.pending = restored?.pending;
    this.docsMap = restored ? UNREAD_DOCS : new DocLists();
  }

  get docs(): DocLists {
    if (this.pending) this.load();
    return this.docsMap;
  }
  /** The keys of `docs`, sorted: the same array, kept by it. */
  get sortedDocs(): string[] {
    if (this.pending) this.load();
    return this.docsMap.sortedKeys;
  }
  get quoteDocs(): DocLists | undefined {
    if (this.pending) this.load();
    return this.quotes;
  }
  set quoteDocs(v: Map<string, number[]> | undefined) {
    if (this.pending) this.load();
    this.quotes = v && DocLists.from(v);
  }

  private load(): void {
    const p = this.pending!;
    this.pending = undefined;
    // Never left with the shared placeholder, whatever happens below.
    this.docsMap = new DocLists();
    const r = p.load();
    this.docsMap = DocLists.from(r.docs);
    this.quotes = r.quoteDocs && DocLists.from(r.quoteDocs);
  }
}

/** Titles of peers, whose name "Falconer of Thoroton" is incomplete without the title. */
const PEER_TITLES = new Set(['lord', 'lady', 'baroness', 'baron', 'viscount', 'viscountess', 'earl', 'countess', 'duke', 'duchess', 'marquess']);

export interface Group {
  key: string;
  type: EntityType;
  /** Member mention indices per document, ascending (iterated in document order). */
  readonly docs: Map<string, number[]>;
  /** The keys of `docs`, sorted, maintained by it: never changed directly. */
  readonly sortedDocs: string[];
  /** The group's names (`Mention.name`) and the expansions its acronyms carry, tallied incrementally. */
  names: Map<string, NameStat>;
  expansions: Map<string, NameStat>;
  size: number;
  /** Bumped whenever membership changes; caches compare against it. */
  rev: number;
  // Summary, valid when `summaryRev === rev`.
  summaryRev: number;
  name: string;
  aliases: string[];
  slug: string;
  id: string;
  entity?: Entity;
  /** The id under which the search index holds this group's entity ('' if none): the search index follows the
   *  groups lazily (see `searchStale`). */
  searchedId: string;
  /** The entity object this group has in the sorted entity list (see `sortedEntities`), if any. */
  listed?: Entity;
  refs?: { rev: number; refs: MentionRef[] };
  /** Per-entity answers (hover cards ask for them on every request), valid while `rev` and `id` are unchanged. */
  memo?: { rev: number; id: string; quotes?: QuoteRef[]; roles?: string[]; intro?: MentionRef | null; spans?: MentionSpans[] };
  // What the group's mentions say and are called, kept up to date on every join and leave (attach), so that a
  // hover card never walks the entity's documents: with thousands of them that took tens of milliseconds.
  /** Quotations whose speaker is one of the group's mentions: quote indices per document, ascending. */
  quoteDocs?: Map<string, number[]>;
  quoteCount?: number;
  /** Role descriptors beside the group's mentions, by lower-case text. */
  roleTally?: Map<string, RoleStat>;
}

/** How often a group's mentions carry one role descriptor, and where it is first seen (document, role index). */
export interface RoleStat {
  count: number;
  /** The descriptor as first seen (whitespace normalised). */
  text: string;
  firstDoc: string;
  firstAt: number;
  /** The recorded first occurrence left the group; the true first is at or after it (found again lazily). */
  stale: boolean;
}

/** A document's contributions to the lookup tables: as DocClaims has them, or as string-id triples (ClaimIds). */
type Contributions = DocClaims['contributions'] | Int32Array;
const NO_ID = -1;

/** The list, at least `n` long: grown with holes filled, so that it never turns into a sparse (hashed) one by a
 *  store far past its end. */
function dense<T>(list: Array<T | undefined>, n: number): Array<T | undefined> {
  while (list.length < n) list.push(undefined);
  return list;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class CorpusIndex {
  private readonly analyze: Analyze;
  private readonly docs = new Map<string, DocEntry>();
  /** Names, rules, mention and role texts of every document's store, each once. */
  private strings = new StringTable();
  /** The last few analyses rebuilt for `analysis()`: a feature asks for the same open document again and again. */
  private readonly rebuilt = new Map<string, { entry: DocEntry; analysis: DocAnalysis }>();
  /** The lookup-table contributions of the last few documents set (see setAnalysed), by their entry. */
  private readonly recentContributions = new Map<DocEntry, Contributions>();
  private readonly skips = new Map<string, string>();
  private readonly groups = new Map<string, Group>();
  /** Corpus-wide lookup tables: lookup key → value → count. A restored index's are read from the snapshot as each is
   *  asked for (indexSnapshot.ts RestoredTables). */
  private tables = new Map<string, Map<string, number>>();
  /** The current answer of each lookup key some document depends on. */
  private readonly answers = new Map<string, string>();
  /** Which documents depend on each lookup key. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Groups whose summary must be recomputed before the next query. */
  private readonly dirty = new Set<Group>();
  /** Groups wanting each id slug ("person:jeremy-corbyn"); more than one gets "-2", "-3" by group key. */
  private readonly slugs = new Map<string, Set<Group>>();
  private readonly byId = new Map<string, Group>();
  /** Names → entities for `search`, updated entity by entity as summaries change. */
  private readonly searchIndex = new SearchIndex();
  /**
   * Groups whose entry in the search index may be out of date (a new id or entity, or gone), brought up to date on the
   * next search or in idle time (syncSearch): after a warm reopen every group gets its id at the first request of any
   * kind, and putting all 13,000 entities of a 100 MB corpus into the search index then took ~0.2 s of that request.
   */
  private readonly searchStale = new Set<Group>();
  /** Whether the stale groups' old entries were taken out since the last one was added (syncSearch's first pass). */
  private searchDropped = true;
  private counts = { mentions: 0, quotes: 0, person: 0, organisation: 0 };
  private _version = 0;
  private readonly sortedDocs: string[] = [];
  /** Every entity in `entityOrder`, kept up to date group by group: re-sorting them all after each keystroke took
   *  tens of milliseconds on a large corpus, and every index change makes the client ask for the list again. */
  private sortedEntities?: Entity[];
  /** Groups whose entity changed (or that went away) since `sortedEntities` was brought up to date. */
  private readonly relist = new Set<Group>();

  private readonly textSource?: (doc: string) => string | undefined;

  constructor(options: CorpusIndexOptions = {}) {
    this.analyze = options.analyze ?? analyzeDocument;
    this.textSource = options.textSource;
  }

  get version(): number {
    return this._version;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Changes

  /** Analyses the text and replaces the document. A failing analysis skips the document with the reason. */
  setDocument(doc: string, text: string): void {
    let analysis: DocAnalysis;
    try {
      analysis = this.analyze(text);
    } catch (e) {
      this.setSkipped(doc, `analysis failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.setAnalysed(doc, text, analysis);
  }

  /** Replaces the document with an analysis made elsewhere (a worker, the cache). Invalid spans are dropped. */
  setAnalysed(doc: string, text: string, analysis: DocAnalysis): void {
    // Rows from a worker's batch or the cache (analysisCodec.ts lazy): the store and the claims' ids come straight
    // from them, each distinct string of the batch looked up once; no Mention object is made. Rows that are not
    // clean as they are take the repairing way below.
    const encoded = analysis ? takeEncoded(analysis) : undefined;
    const built = encoded ? AnalysisStore.fromRows(encoded, text, this.strings) : undefined;
    if (built) {
      this.insert(doc, text, built.store, built.claims, false);
      return;
    }
    // Claims computed where the analysis was made (a worker, the cache) hold only for the analysis as it came.
    const given = analysis ? takeClaims(analysis) : undefined;
    const clean = sanitise(text, analysis, given?.slicedFrom === text);

    let claims: DocClaims;
    let claimsFailed = false;
    try {
      claims = given && clean === analysis ? given.claims : documentClaims(clean);
    } catch (e) {
      // Alias grouping must never take a document down: each mention becomes its own entity.
      claimsFailed = true;
      claims = {
        local: clean.mentions.map((m, i) => `${m.type === 'organisation' ? 'organisation' : 'person'}|s:${doc}#${i}`),
        lookup: clean.mentions.map(() => undefined),
        contributions: [],
        ranks: new Uint8Array(clean.mentions.length).fill(6),
      };
      clean.problems.push({ message: `alias grouping failed: ${e instanceof Error ? e.message : String(e)}` });
    }
    // With each mention, how full a form it is (aliases.ts formRank), for canonical names.
    // Decoded by analysisCodec.ts against this text: its names and rules come from a table, not from the text.
    const store = AnalysisStore.from(clean, this.strings, claims.ranks, clean === analysis && given?.slicedFrom === text);
    if (!claimsFailed && this.replaceEdited(doc, text, store, claims)) return;
    this.insert(doc, text, store, claims, claimsFailed);
  }

  /**
   * An edit that left the document's mentions, quotations and roles where they were, one for one (a keystroke in
   * lower-case words, inside a quotation or a role, or inside a name: 270 of the bench's 279 keystrokes), without
   * taking the document out and putting it back (remove + insert: every group it touches left and joined, ~2 ms at
   * 100 MB, and each of them summarised again at the next query). Only the lookup tables' net change is applied; only
   * the groups of mentions whose group, name, rank, form, title or expansion changed (and of roles reworded) are left
   * and joined; every other group keeps its lists and its summary (a shift within one document keeps the order of
   * first occurrences), with the first occurrences recorded in the document moved and its `rev` moved (positions
   * changed). Returns false, having changed nothing, for any other edit (a mention, quotation or role more or less, a
   * lookup key more or less, a quotation's speaker changed).
   */
  private replaceEdited(doc: string, text: string, store: AnalysisStore, claims: DocClaims): boolean {
    const old = this.docs.get(doc);
    // A restored document (its own group list) or one whose contributions are not at hand takes the full way.
    if (old === undefined || old.claimsFailed || old.group !== undefined) return false;
    const before = this.recentContributions.get(old);
    if (before === undefined || before instanceof Int32Array) return false;
    const os = old.store;
    const n = store.mentionCount;
    const nq = store.quoteCount;
    const nr = store.roleCount;
    if (os.mentionCount !== n || os.quoteCount !== nq || os.roleCount !== nr) return false;
    for (let q = 0; q < nq; q++) if (store.speakerOf(q) !== os.speakerOf(q)) return false;
    for (let r = 0; r < nr; r++) if (store.roleMention(r) !== os.roleMention(r)) return false;
    // The same lookup key (or none) at every mention: the same keys in the same order, the same dependents.
    for (let i = 0; i < n; i++) {
      const lk = claims.local[i] === undefined ? claims.lookup[i] : undefined;
      const at = os.lookup(i);
      if (lk !== undefined ? at < 0 || old.lookupKeys[at] !== lk : at >= 0) return false;
    }

    // Committed from here. The lookup tables' net change, and the answers it changes elsewhere (as insert does).
    const oldGroups = this.groupsOf(old);
    const touched = this.bumpDifference(before, claims.contributions);
    if (touched.size) this.reanswer(touched, doc);
    const groups: string[] = new Array(n);
    const affected = new Set<string>();
    for (let i = 0; i < n; i++) {
      const local = claims.local[i];
      const lk = local === undefined ? claims.lookup[i] : undefined;
      groups[i] = lk !== undefined ? this.answer(lk) : (local ?? `${store.type(i)}|s:${i}`);
      if (
        groups[i] !== oldGroups[i] ||
        store.name(i) !== os.name(i) ||
        store.rank(i) !== os.rank(i) ||
        store.type(i) !== os.type(i) ||
        store.form(i) !== os.form(i) ||
        store.title(i) !== os.title(i) ||
        store.expansion(i) !== os.expansion(i)
      ) {
        affected.add(oldGroups[i]).add(groups[i]);
      }
    }
    // A reworded role goes out of its group's tally and back in: its group is left and joined like a changed one.
    for (let r = 0; r < nr; r++) {
      const m = os.roleMention(r);
      if (m >= 0 && m < n && store.roleText(r) !== os.roleText(r)) affected.add(oldGroups[m]).add(groups[m]);
    }
    const oldByGroup = byGroup(oldGroups);
    for (const key of affected) {
      const idxs = oldByGroup.get(key);
      if (idxs) this.leaveMany(key, doc, idxs);
    }

    const entry: DocEntry = {
      body: DocText.of(text, this.textSource, doc),
      store,
      claimsFailed: false,
      group: undefined,
      lookupKeys: old.lookupKeys,
      lines: undefined,
    };
    for (let i = 0; i < n; i++) {
      const at = os.lookup(i);
      store.setLookup(i, at >= 0 || groups[i] === oldGroups[i] ? at : localKey(this.strings.id(groups[i])));
    }
    this.docs.set(doc, entry);
    this.rebuilt.delete(doc);
    this.recentContributions.delete(old);
    this.recentContributions.set(entry, claims.contributions);

    // First occurrences recorded in this document move with their mentions in the groups kept (matched on the old
    // offsets, all of them before any moves: a mention's new offset may be another one's old one).
    const moves: Array<[NameStat, number]> = [];
    for (const [key, idxs] of oldByGroup) {
      if (affected.has(key)) continue;
      const g = this.groups.get(key);
      if (!g) continue;
      for (const i of idxs) {
        const from = os.start(i);
        const t = g.names.get(os.name(i));
        if (t !== undefined && !t.stale && t.firstDoc === doc && t.firstAt === from) moves.push([t, store.start(i)]);
        const expansion = os.form(i) === 'acronym' ? os.expansion(i) : undefined;
        const x = expansion ? g.expansions.get(expansion) : undefined;
        if (x !== undefined && !x.stale && x.firstDoc === doc && x.firstAt === from) moves.push([x, store.start(i)]);
      }
      const current = g.summaryRev === g.rev;
      g.rev++;
      if (current) g.summaryRev = g.rev;
    }
    for (const [t, at] of moves) t.firstAt = at;
    if (affected.size) {
      const newByGroup = byGroup(groups);
      for (const key of affected) {
        const idxs = newByGroup.get(key);
        if (idxs) this.joinMany(key, doc, idxs);
      }
    }
    this._version++;
    return true;
  }

  /** Applies the difference between a document's old and new contributions to the lookup tables; returns the keys
   *  whose tables changed. The same tables as taking the old ones out and putting the new ones in (bumpAll). */
  private bumpDifference(before: DocClaims['contributions'], after: DocClaims['contributions']): Set<string> {
    const touched = new Set<string>();
    let k = 0;
    while (k < before.length && k < after.length && before[k][0] === after[k][0] && before[k][1] === after[k][1] && before[k][2] === after[k][2]) k++;
    if (k === before.length && k === after.length) return touched;
    const net = new Map<string, [string, string, number]>();
    for (let j = k; j < before.length; j++) {
      const [lk, value, c] = before[j];
      const key = `${lk}\u0000${value}`;
      const x = net.get(key);
      if (x) x[2] -= c;
      else net.set(key, [lk, value, -c]);
    }
    for (let j = k; j < after.length; j++) {
      const [lk, value, c] = after[j];
      const key = `${lk}\u0000${value}`;
      const x = net.get(key);
      if (x) x[2] += c;
      else net.set(key, [lk, value, c]);
    }
    for (const [lk, value, c] of net.values()) {
      if (c === 0) continue;
      this.bump(lk, value, c);
      touched.add(lk);
    }
    return touched;
  }

  /** Puts a document in, its analysis stored and its claims made (setAnalysed): as strings (DocClaims), or as the
   *  string ids the rows gave (ClaimIds), whose lookup keys are then found by id rather than by hashing. */
  private insert(doc: string, text: string, store: AnalysisStore, claims: DocClaims | ClaimIds, claimsFailed: boolean): void {
    const ids = claims.contributions instanceof Int32Array ? (claims as ClaimIds) : undefined;
    const named = ids ? undefined : (claims as DocClaims);
    const contributions = claims.contributions;
    const touched = new Set<string>();
    this.skips.delete(doc);
    if (this.docs.has(doc)) this.remove(doc, touched);
    else insertSorted(this.sortedDocs, doc);
    // The lookup keys of id contributions are re-answered by id (reanswerIds), not through `touched`.
    this.bumpAll(contributions, 1, ids ? undefined : touched);
    const n = store.mentionCount;
    const entry: DocEntry = {
      body: DocText.of(text, this.textSource, doc),
      store,
      claimsFailed,
      group: undefined,
      lookupKeys: [],
      // Present from the start (set on first use), so that an entry keeps one shape: index loops over entries see
      // at most this and RestoredDoc.
      lines: undefined,
    };
    this.docs.set(doc, entry);
    if (!claimsFailed) {
      // An edited document is replaced again at the next keystroke: keep what it added, so that taking it out does
      // not rebuild its mentions and claims (a few recent documents only: for all, the memory a corpus's analyses took).
      this.recentContributions.set(entry, contributions);
      if (this.recentContributions.size > 8) this.recentContributions.delete(this.recentContributions.keys().next().value!);
    }
    this.reanswer(touched, doc);
    if (ids) this.reanswerIds(ids.contributions, doc);

    const strings = this.strings;
    // Each mention's group while the document goes in (the entry keeps none: see groupOf).
    const group: string[] = new Array(n);
    // Where each lookup key is in entry.lookupKeys, and its string id: a handful per document, so searched in a list.
    const keyIds: number[] = [];
    let keyAt: Map<string | number, number> | undefined; // past a few dozen keys, a list would be searched too long
    for (let i = 0; i < n; i++) {
      let key: string | undefined;
      let lk: string | undefined;
      let lkId = NO_ID;
      let keyId = NO_ID;
      if (ids) {
        if (ids.local[i] >= 0) key = strings.get((keyId = ids.local[i]));
        else if (ids.lookup[i] >= 0) lk = strings.get((lkId = ids.lookup[i]));
      } else {
        key = named!.local[i];
        lk = named!.lookup[i];
      }
      if (key === undefined && lk !== undefined) {
        const at = ids ? lkId : lk;
        let k = keyAt ? (keyAt.get(at) ?? -1) : ids ? keyIds.indexOf(lkId) : entry.lookupKeys.indexOf(lk);
        if (k < 0) {
          k = entry.lookupKeys.length;
          entry.lookupKeys.push(lk);
          // A string the table may not have yet (an in-thread analysis): then it is added, to find the key by id.
          keyIds.push(ids ? lkId : strings.id(lk));
          if (keyAt) keyAt.set(at, k);
          else if (k === 32) {
            keyAt = new Map();
            for (let j = 0; j <= k; j++) keyAt.set(ids ? keyIds[j] : entry.lookupKeys[j], j);
          }
        }
        store.setLookup(i, k);
        group[i] = this.answer(lk);
        continue;
      }
      if (key === undefined) key = `${store.type(i)}|s:${i}`;
      group[i] = key;
      store.setLookup(i, localKey(keyId === NO_ID ? strings.id(key) : keyId));
    }
    entry.lookupKeys = exact(entry.lookupKeys);
    const groups = byGroup(group);
    const found = attachedByGroup(store, group, groups);
    let ord = 0;
    for (const [key, idxs] of groups) this.joinMany(key, doc, idxs, true, found[ord++]);
    const depsAt = this.dependentsById();
    for (let k = 0; k < entry.lookupKeys.length; k++) {
      const lk = entry.lookupKeys[k];
      let set = depsAt[keyIds[k]];
      if (set === undefined || set.size === 0) {
        set = this.dependents.get(lk);
        if (!set) {
          this.dependents.set(lk, (set = new DocSet()));
          this.dependentsKnown++;
        }
        depsAt[keyIds[k]] = set;
      }
      set.add(doc);
    }
    this.counts.mentions += n;
    this.counts.quotes += store.quoteCount;
    this._version++;
  }

  /** The group of a document's mention i (0 ≤ i < mentionCount). */
  private groupOf(e: DocEntry, i: number): string {
    return mentionGroup(e, i, this.answers, this.strings);
  }

  /** The group of each of a document's mentions, by mention index (a restored document's own list: not to change). */
  private groupsOf(e: DocEntry): string[] {
    if (e.group !== undefined) return e.group;
    const n = e.store.mentionCount;
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = mentionGroup(e, i, this.answers, this.strings);
    return out;
  }

  /** `tables` by the string-table id of the lookup key, where known: a table here is the one `tables` has, or an
   *  empty one that left it (a table leaves when emptied, so `size === 0` says not to trust it). */
  private tableAt: Array<Map<string, number> | undefined> = [];

  /**
   * `dependents` by the string-table id of the lookup key: every key with dependents is here, so that a key with
   * none (most of those a document contributes to) costs no hashing. A set here is the one `dependents` has, or an
   * empty one that left it. `dependentsKnown` counts the keys of `dependents` this class added and did not delete:
   * when another count shows (a restored snapshot filled the map), the array is built again from the map.
   */
  private depsAt: Array<Set<string> | undefined> = [];
  private dependentsKnown = 0;

  private dependentsById(): Array<Set<string> | undefined> {
    if (this.dependents.size !== this.dependentsKnown) {
      this.depsAt = [];
      for (const [lk, set] of this.dependents) dense(this.depsAt, this.strings.size)[this.strings.id(lk)] = set;
      this.dependentsKnown = this.dependents.size;
    }
    return dense(this.depsAt, this.strings.size);
  }

  /** reanswer, for the lookup keys of id contributions (triples: key, value, count). */
  private reanswerIds(contributions: Int32Array, except: string | undefined): void {
    const depsAt = this.dependentsById();
    for (let k = 0; k < contributions.length; k += 3) {
      const deps = depsAt[contributions[k]];
      // No dependents: no answer is kept either (answers are dropped with the last dependent).
      if (deps === undefined || deps.size === 0) continue;
      this.reanswerKey(this.strings.get(contributions[k]), deps, except);
    }
  }

  /** Adds (sign 1) or takes back (-1) a document's contributions to the lookup tables, noting the keys touched. */
  private bumpAll(contributions: Contributions, sign: 1 | -1, touched: Set<string> | undefined): void {
    if (contributions instanceof Int32Array) {
      const strings = this.strings;
      const at = dense(this.tableAt, strings.size);
      for (let k = 0; k < contributions.length; k += 3) {
        const id = contributions[k];
        const lk = strings.get(id);
        // The table by the key's id, not by hashing the key: a table that went (emptied) is found again by key.
        let table = at[id];
        if (table === undefined || table.size === 0) {
          table = this.tables.get(lk);
          if (!table) this.tables.set(lk, (table = new SmallMap<number>()));
          at[id] = table;
        }
        const value = strings.get(contributions[k + 1]);
        const c = (table.get(value) ?? 0) + sign * contributions[k + 2];
        if (c > 0) table.set(value, c);
        else table.delete(value);
        if (table.size === 0) {
          this.tables.delete(lk);
          at[id] = undefined;
        }
        touched?.add(lk);
      }
      return;
    }
    for (const [lk, value, n] of contributions) {
      this.bump(lk, value, sign * n);
      touched?.add(lk);
    }
  }

  deleteDocument(doc: string): void {
    const hadSkip = this.skips.delete(doc);
    if (!this.docs.has(doc)) {
      if (hadSkip) this._version++;
      return;
    }
    const touched = new Set<string>();
    this.remove(doc, touched);
    removeSorted(this.sortedDocs, doc);
    this.reanswer(touched, undefined);
    this._version++;
  }

  /** Records a file that was not indexed, and why; removes any indexed version of it. */
  setSkipped(doc: string, reason: string): void {
    if (this.docs.has(doc)) this.deleteDocument(doc);
    this.skips.set(doc, reason);
    this._version++;
  }

  skipped(): { doc: string; reason: string }[] {
    return [...this.skips].sort((a, b) => byKey(a[0], b[0])).map(([doc, reason]) => ({ doc, reason }));
  }

  /** Removes everything (a re-index from scratch). */
  clear(): void {
    for (const doc of [...this.docs.keys()]) this.deleteDocument(doc);
    // No store refers to the string table any more: let go of strings only removed documents used.
    this.strings = new StringTable();
    this.tableAt = [];
    this.depsAt = [];
    this.dependentsKnown = this.dependents.size;
    this.skips.clear();
    this._version++;
  }

  private remove(doc: string, touched: Set<string>): void {
    const entry = this.docs.get(doc)!;
    for (const [key, idxs] of byGroup(this.groupsOf(entry))) this.leaveMany(key, doc, idxs);
    const contributions = entry.claimsFailed
      ? []
      : (this.recentContributions.get(entry) ?? documentClaims({ mentions: entry.store.mentions(), quotes: [], roles: [], problems: [] }).contributions);
    this.recentContributions.delete(entry);
    this.bumpAll(contributions, -1, touched);
    for (const lk of entry.lookupKeys) {
      const set = this.dependents.get(lk);
      if (set) {
        set.delete(doc);
        if (set.size === 0) {
          this.dependents.delete(lk);
          this.dependentsKnown--;
          this.answers.delete(lk);
        }
      }
    }
    this.counts.mentions -= entry.store.mentionCount;
    this.counts.quotes -= entry.store.quoteCount;
    this.docs.delete(doc);
    this.rebuilt.delete(doc);
  }

  private bump(lk: string, value: string, n: number): void {
    let table = this.tables.get(lk);
    if (!table) this.tables.set(lk, (table = new SmallMap<number>()));
    const c = (table.get(value) ?? 0) + n;
    if (c > 0) table.set(value, c);
    else table.delete(value);
    if (table.size === 0) this.tables.delete(lk);
  }

  private answer(lk: string): string {
    let a = this.answers.get(lk);
    if (a === undefined) {
      a = resolveLookup(lk, this.tables.get(lk));
      this.answers.set(lk, a);
    }
    return a;
  }

  /** Re-answers the lookup keys whose tables changed and moves the mentions whose answer changed. */
  private reanswer(touched: Set<string>, except: string | undefined): void {
    for (const lk of touched) {
      const deps = this.dependents.get(lk);
      if (!deps) {
        this.answers.delete(lk);
        continue;
      }
      this.reanswerKey(lk, deps, except);
    }
  }

  private reanswerKey(lk: string, deps: Set<string>, except: string | undefined): void {
    const before = this.answers.get(lk);
    const after = resolveLookup(lk, this.tables.get(lk));
    if (before === after) return;
    this.answers.set(lk, after);
    for (const doc of deps) {
      if (doc === except) continue;
      const entry = this.docs.get(doc)!;
      const idxs = lookupMentions(entry, lk);
      if (!idxs || idxs.length === 0) continue;
      // Every mention of one lookup key in a document is in the group of its answer: move them together. (A
      // document set in this session follows `answers`, which says `after` already: it was in `before`'s group.)
      const group = entry.group;
      this.leaveMany(group ? group[idxs[0]] : before!, doc, idxs);
      if (group) for (const i of idxs) group[i] = after;
      this.joinMany(after, doc, idxs);
    }
  }

  /** Adds mentions (indices ascending) of one document to a group. Linear in the document's part of the group.
   *  `owned`: the list is the caller's to give away, so the group keeps it instead of a copy; and the document is
   *  being inserted (setAnalysed), so the group has none of its mentions yet. */
  private joinMany(key: string, doc: string, idxs: number[], owned = false, found?: Attached): void {
    let g = this.groups.get(key);
    if (!g) {
      g = newGroup(key, typeOfGroupKey(key));
      this.groups.set(key, g);
      this.counts[g.type]++;
    }
    const list = owned ? undefined : g.docs.get(doc);
    // The group's sorted documents follow (docLists.ts).
    g.docs.set(doc, !list ? (owned ? idxs : keptList(idxs)) : mergeSorted(list, idxs));
    const entry = this.docs.get(doc)!;
    const st = entry.store;
    for (const i of idxs) {
      tallyAdd(g.names, st.name(i), st.rank(i), doc, st.start(i), peerTitleAt(st, i));
      const expansion = st.form(i) === 'acronym' ? st.expansion(i) : undefined;
      if (expansion) tallyAdd(g.expansions === NO_EXPANSIONS ? (g.expansions = new SmallMap<NameStat>()) : g.expansions, expansion, 0, doc, st.start(i));
    }
    g.size += idxs.length;
    this.attach(g, doc, entry, idxs, 1, found);
    g.rev++;
    this.dirty.add(g);
  }

  /** Removes mentions (indices ascending) of one document from a group. Linear in the document's part of it. */
  private leaveMany(key: string, doc: string, idxs: number[]): void {
    const g = this.groups.get(key);
    const list = g?.docs.get(doc);
    if (!g || !list) return;
    const entry = this.docs.get(doc)!;
    const st = entry.store;
    const keep: number[] = [];
    let j = 0;
    let removed = 0;
    for (const x of list) {
      while (j < idxs.length && idxs[j] < x) j++;
      if (j < idxs.length && idxs[j] === x) {
        tallyRemove(g.names, st.name(x), st.rank(x), doc, st.start(x), peerTitleAt(st, x));
        const expansion = st.form(x) === 'acronym' ? st.expansion(x) : undefined;
        if (expansion) tallyRemove(g.expansions, expansion, 0, doc, st.start(x));
        removed++;
      } else keep.push(x);
    }
    this.attach(g, doc, entry, idxs, -1);
    if (keep.length) g.docs.set(doc, keptList(keep));
    else g.docs.delete(doc);
    g.size -= removed;
    g.rev++;
    if (g.size <= 0) {
      this.groups.delete(key);
      this.counts[g.type]--;
      this.dropId(g);
      this.dirty.delete(g);
      this.relist.add(g);
    } else {
      this.dirty.add(g);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Summaries (lazy)

  /** Brings every changed group's canonical name, aliases and id up to date. With `stop`, may end part way (false; every group done: true), for idle work that must not hold requests up;
   *  a query's flush (without) finishes what is left. Groups leave `dirty` as they are done, so a flush goes on where
   *  the last one stopped; ids are assigned per slug as its owners come in, which ends with the ids one pass gives. */
  private flush(stop?: () => boolean): boolean {
    if (this.dirty.size === 0) return true;
    const reslug = new Set<string>();
    let n = 0;
    for (const g of this.dirty) {
      if (stop && (++n & 15) === 0 && stop()) break;
      this.dirty.delete(g);
      if (g.summaryRev === g.rev) continue;
      this.summarise(g);
      const slug = `${g.type}:${slugOf(g.name)}`;
      if (slug !== g.slug) {
        if (g.slug) {
          this.slugs.get(g.slug)?.delete(g);
          reslug.add(g.slug);
        }
        g.slug = slug;
        let set = this.slugs.get(slug);
        if (!set) this.slugs.set(slug, (set = new Set()));
        set.add(g);
        reslug.add(slug);
      }
      if (!reslug.has(g.slug) && g.id) {
        g.entity = this.toEntity(g);
        this.staleSearch(g);
        this.relist.add(g);
      }
    }
    for (const slug of reslug) this.assignIds(slug);
    return this.dirty.size === 0;
  }

  private assignIds(slug: string): void {
    const set = this.slugs.get(slug);
    if (!set || set.size === 0) {
      this.slugs.delete(slug);
      return;
    }
    const owners = [...set].sort((a, b) => byKey(a.key, b.key));
    owners.forEach((g, n) => {
      const id = n === 0 ? slug : `${slug}-${n + 1}`;
      if (g.id && this.byId.get(g.id) === g) this.byId.delete(g.id);
      g.id = id;
      g.entity = this.toEntity(g);
      this.staleSearch(g);
      this.relist.add(g);
    });
    for (const g of owners) this.byId.set(g.id, g);
  }

  private dropId(g: Group): void {
    if (g.id && this.byId.get(g.id) === g) this.byId.delete(g.id);
    this.staleSearch(g);
    if (g.slug) {
      const set = this.slugs.get(g.slug);
      set?.delete(g);
      // Remaining owners of the slug may move up ("-2" → plain); recompute them now, while we know which.
      if (set) this.assignIdsLater.add(g.slug);
    }
  }
  private readonly assignIdsLater = new Set<string>();

  private staleSearch(g: Group): void {
    this.searchStale.add(g);
    this.searchDropped = false;
  }

  /**
   * Brings the search index in step with the groups' ids and entities (after `ready`): with `stop`, may end part way
   * (false). First every stale group's old entry is taken out (an id that moved to another group is not taken from
   * it: entries are deleted by owner key, and a group gone is dropped before a group of the same key is put in), then
   * the current entities are put in, in the order they went stale, as the eager updates did.
   */
  private syncSearch(stop?: () => boolean): boolean {
    if (this.searchStale.size === 0) return true;
    if (!this.searchDropped) {
      for (const g of this.searchStale) {
        const live = this.groups.get(g.key) === g;
        if (g.searchedId && (!live || g.searchedId !== g.id)) {
          this.searchIndex.delete(g.searchedId, g.key);
          g.searchedId = '';
        }
        if (!live) this.searchStale.delete(g);
      }
      this.searchDropped = true;
    }
    let n = 0;
    for (const g of this.searchStale) {
      if (stop && (++n & 63) === 0 && stop()) return false;
      this.searchStale.delete(g);
      if (this.groups.get(g.key) !== g || !g.id) continue;
      this.searchIndex.set(g.entity ?? this.toEntity(g), g.key);
      g.searchedId = g.id;
    }
    return true;
  }

  private summarise(g: Group): void {
    for (const [name, t] of g.names) if (t.stale) this.refreshFirst(g, name, t, false);
    for (const [name, t] of g.expansions) if (t.stale) this.refreshFirst(g, name, t, true);
    const candidates = new Map<string, NameTally>();
    for (const [name, t] of g.names) candidates.set(name, { rank: rankOf(t), count: t.count, firstDoc: t.firstDoc, firstAt: t.firstAt });
    // An acronym's expansion can name the entity even where the long form itself never occurs as a mention.
    for (const [name, t] of g.expansions) if (!candidates.has(name)) candidates.set(name, { rank: 0, count: 0, firstDoc: t.firstDoc, firstAt: t.firstAt });
    if (g.type === 'organisation' && candidates.size > 1) demoteShortNames(candidates);
    g.name = chooseCanonical(candidates) || g.key.slice(g.key.indexOf(':') + 1);
    const titles = g.names.get(g.name)?.peerTitles;
    if (titles && titles.size) {
      // "Lord Falconer of Thoroton": the most used title, ties to the alphabetically first, for a stable id.
      const [title] = [...titles].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      g.name = `${title} ${g.name}`;
    }
    g.aliases = [...g.names]
      .sort((a, b) => (comesBefore(a[1].firstDoc, a[1].firstAt, b[1].firstDoc, b[1].firstAt) ? -1 : 1))
      .map(([name]) => name);
    g.summaryRev = g.rev;
  }

  /** Finds a name's first occurrence again after the recorded one was removed: it is at or after the old one, so
   *  the search starts in that document (usually still there: an edit removes and re-adds its mentions). */
  private refreshFirst(g: Group, name: string, t: NameStat, expansion: boolean): void {
    const from = lowerBoundStr(g.sortedDocs, t.firstDoc);
    for (let d = from; d < g.sortedDocs.length; d++) {
      const doc = g.sortedDocs[d];
      const st = this.docs.get(doc)!.store;
      for (const i of g.docs.get(doc)!) {
        if (expansion ? st.form(i) === 'acronym' && st.expansion(i) === name : st.name(i) === name) {
          t.firstDoc = doc;
          t.firstAt = st.start(i);
          t.stale = false;
          return;
        }
      }
    }
    t.stale = false; // not reached while the name has a mention in the group
  }

  private toEntity(g: Group): Entity {
    return { id: g.id, type: g.type, name: g.name, aliases: g.aliases, mentionCount: g.size, fileCount: docCount(g) };
  }

  private ready(stop?: () => boolean): boolean {
    if (!this.flush(stop)) return false;
    if (this.assignIdsLater.size) {
      const slugs = [...this.assignIdsLater];
      this.assignIdsLater.clear();
      for (const s of slugs) this.assignIds(s);
    }
    return true;
  }

  private groupOfId(id: string): Group | undefined {
    this.ready();
    return this.byId.get(id);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Documents

  /** Document keys, sorted. */
  documents(): string[] {
    return this.sortedDocs.slice();
  }

  has(doc: string): boolean {
    return this.docs.has(doc);
  }

  /** The document's text (decoded anew on every call: hold on to it rather than ask again). */
  text(doc: string): string | undefined {
    return this.docs.get(doc)?.body.text();
  }

  /** The document's analysis, rebuilt from the index's compact form (the last few are kept). */
  analysis(doc: string): DocAnalysis | undefined {
    const e = this.docs.get(doc);
    if (!e) return undefined;
    const hit = this.rebuilt.get(doc);
    if (hit && hit.entry === e) return hit.analysis;
    const analysis = e.store.toAnalysis(e.body);
    this.rebuilt.delete(doc);
    this.rebuilt.set(doc, { entry: e, analysis });
    if (this.rebuilt.size > 8) this.rebuilt.delete(this.rebuilt.keys().next().value!);
    return analysis;
  }

  lines(doc: string): LineIndex | undefined {
    const e = this.docs.get(doc);
    if (!e) return undefined;
    return (e.lines ??= new LineIndex(e.body));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Entities

  /** Every entity (or every entity of one type), most mentioned first; ties by name, then id. */
  entities(type?: EntityType): Entity[] {
    const list = this.entityList();
    return type ? list.filter((e) => e.type === type) : list.slice();
  }

  /** `sortedEntities`, brought up to date: only the entities of groups that changed are taken out and put back. */
  private entityList(): Entity[] {
    this.ready();
    let list = this.sortedEntities;
    const changed = this.relist;
    if (!list || (changed.size > 256 && (changed.size * 4 > list.length || changed.size > 8192))) {
      // Many of the entities changed (a scan): sorting anew is cheaper than placing each (and replaceEntities
      // passes its pieces as arguments: a bounded number).
      list = [];
      for (const g of this.groups.values()) list.push((g.listed = g.entity ?? this.toEntity(g)));
      list.sort(entityOrder);
    } else if (changed.size) {
      // Places found by binary search, then one copy: a splice each (tens of microseconds on thousands of entries)
      // or a merge comparing every entry (names compare slowly) cost milliseconds per keystroke.
      const drop: number[] = [];
      const fresh: Entity[] = [];
      for (const g of changed) {
        if (g.listed) {
          const at = indexOfEntity(list, g.listed);
          if (at >= 0) drop.push(at);
        }
        g.listed = undefined;
        if (this.groups.get(g.key) === g) fresh.push((g.listed = g.entity ?? this.toEntity(g)));
      }
      list = replaceEntities(list, drop.sort((a, b) => a - b), fresh.sort(entityOrder));
    }
    changed.clear();
    return (this.sortedEntities = list);
  }

  entity(id: string): Entity | undefined {
    const g = this.groupOfId(id);
    return g && (g.entity ?? this.toEntity(g));
  }

  entityIdOf(doc: string, mentionIndex: number): string | undefined {
    const e = this.docs.get(doc);
    const key = e && mentionIndex >= 0 && mentionIndex < e.store.mentionCount ? this.groupOf(e, mentionIndex) : undefined;
    if (key === undefined) return undefined;
    this.ready();
    return this.groups.get(key)?.id;
  }

  /** The entities mentioned in one document, most mentioned (corpus-wide) first. */
  entitiesIn(doc: string): Entity[] {
    const e = this.docs.get(doc);
    if (!e) return [];
    this.ready();
    const out: Entity[] = [];
    for (const key of new Set(this.groupsOf(e))) {
      const g = this.groups.get(key);
      if (g) out.push(g.entity ?? this.toEntity(g));
    }
    return out.sort(entityOrder);
  }

  /** The mention whose span contains the offset (its end included, so a cursor just after a name still finds it). */
  mentionAt(doc: string, offset: number): MentionRef | undefined {
    const e = this.docs.get(doc);
    if (!e) return undefined;
    const st = e.store;
    const found = st.lastMentionFrom(offset);
    if (found >= 0 && offset <= st.end(found)) return { doc, index: found, mention: st.mention(found) };
    return undefined;
  }

  /** The innermost quotation containing the offset (marks excluded, end included). */
  quoteAt(doc: string, offset: number): QuoteRef | undefined {
    const e = this.docs.get(doc);
    if (!e) return undefined;
    const st = e.store;
    const last = st.lastQuoteFrom(offset);
    let best = -1;
    for (let j = last; j >= 0 && st.quoteMaxEnd(j) >= offset; j--) {
      const end = st.quoteEnd(j);
      if (end >= offset && (best < 0 || end - st.quoteStart(j) < st.quoteEnd(best) - st.quoteStart(best))) best = j;
    }
    return best >= 0 ? this.quoteRef(doc, e, best) : undefined;
  }

  /** Every mention of the entity, ordered by document, then offset. */
  mentionsOf(id: string): MentionRef[] {
    const g = this.groupOfId(id);
    if (!g) return [];
    if (!g.refs || g.refs.rev !== g.rev) {
      const refs: MentionRef[] = [];
      for (const doc of g.sortedDocs) {
        const st = this.docs.get(doc)!.store;
        for (const i of g.docs.get(doc)!) refs.push({ doc, index: i, mention: st.mention(i) });
      }
      g.refs = { rev: g.rev, refs };
    }
    return g.refs.refs.slice();
  }

  /** The entity's mentions in one document, by offset. */
  mentionsOfIn(id: string, doc: string): MentionRef[] {
    const g = this.groupOfId(id);
    const list = g?.docs.get(doc);
    if (!list) return [];
    const st = this.docs.get(doc)!.store;
    return list.map((i) => ({ doc, index: i, mention: st.mention(i) }));
  }

  mentionsIn(doc: string): MentionRef[] {
    const e = this.docs.get(doc);
    if (!e) return [];
    return e.store.mentions().map((mention, index) => ({ doc, index, mention }));
  }

  /** Quotations of one document, or of the whole corpus (by document, then offset). */
  quotes(doc?: string): QuoteRef[] {
    return [...this.eachQuote(doc)];
  }

  /**
   * The quotations of one document or of the corpus (by document, then offset), made one at a time as they are
   * consumed. `unattributedOnly`: only those without a speaker entity, the others passed over before their text is
   * sliced (where the index keeps no texts, slicing reads the file back). Valid until the index changes.
   */
  *eachQuote(doc?: string, unattributedOnly = false): IterableIterator<QuoteRef> {
    const docs = doc === undefined ? this.documents() : this.docs.has(doc) ? [doc] : [];
    for (const d of docs) {
      const e = this.docs.get(d)!;
      for (let i = 0; i < e.store.quoteCount; i++) {
        if (unattributedOnly) {
          const m = e.store.speakerOf(i);
          if (m >= 0 && m < e.store.mentionCount) continue;
        }
        yield this.quoteRef(d, e, i);
      }
    }
  }

  /** Quotations attributed to the entity, by document, then offset. */
  quotesBy(id: string): QuoteRef[] {
    const g = this.groupOfId(id);
    if (!g) return [];
    const memo = this.memoOf(g);
    if (!memo.quotes) {
      const out: QuoteRef[] = [];
      const byDoc = g.quoteDocs;
      if (byDoc && byDoc.size) {
        // Few quoting documents among many: sort those rather than walk every document of the entity.
        const docs = byDoc.size * 16 < g.sortedDocs.length ? [...byDoc.keys()].sort(byKey) : g.sortedDocs;
        for (const doc of docs) {
          const list = byDoc.get(doc);
          if (!list) continue;
          const e = this.docs.get(doc)!;
          for (const i of list) out.push({ doc, index: i, quote: e.store.quote(i, e.body), speakerId: g.id });
        }
      }
      memo.quotes = out;
    }
    return memo.quotes.slice();
  }

  /** How many quotations are attributed to the entity (without listing them). */
  quoteCount(id: string): number {
    return this.groupOfId(id)?.quoteCount ?? 0;
  }

  /** The quotations attributed to the entity in corpus order, made one at a time as they are consumed: a hover card
   *  shows a few of what can be thousands. Valid until the index changes. */
  *eachQuoteBy(id: string): IterableIterator<QuoteRef> {
    const g = this.groupOfId(id);
    const byDoc = g?.quoteDocs;
    if (!g || !byDoc || byDoc.size === 0) return;
    const docs = byDoc.size * 16 < g.sortedDocs.length ? [...byDoc.keys()].sort(byKey) : g.sortedDocs;
    for (const doc of docs) {
      const list = byDoc.get(doc);
      if (!list) continue;
      const e = this.docs.get(doc)!;
      for (const i of list) yield { doc, index: i, quote: e.store.quote(i, e.body), speakerId: g.id };
    }
  }

  /**
   * Where the entity's mentions are, by document (documents by key): per document the mention indices and their
   * [start, end) offsets as pairs. References of an entity with tens of thousands of mentions need only this, not a
   * Mention object each. Shared until the entity changes: not to be modified.
   */
  mentionSpansOf(id: string): MentionSpans[] {
    const g = this.groupOfId(id);
    if (!g) return [];
    const memo = this.memoOf(g);
    if (!memo.spans) {
      const out: MentionSpans[] = new Array(g.sortedDocs.length);
      for (let d = 0; d < g.sortedDocs.length; d++) {
        const doc = g.sortedDocs[d];
        const st = this.docs.get(doc)!.store;
        const indices = g.docs.get(doc)!;
        const spans: number[] = new Array(indices.length * 2);
        for (let k = 0; k < indices.length; k++) {
          spans[2 * k] = st.start(indices[k]);
          spans[2 * k + 1] = st.end(indices[k]);
        }
        out[d] = { doc, indices: indices.slice(), spans };
      }
      memo.spans = out;
    }
    return memo.spans;
  }

  /** Role descriptors found beside the entity's mentions, most frequent first (ties: first seen). */
  roles(id: string): string[] {
    const g = this.groupOfId(id);
    if (!g) return [];
    const memo = this.memoOf(g);
    if (!memo.roles) {
      const stats: RoleStat[] = [];
      for (const [key, t] of g.roleTally ?? []) {
        if (t.stale) this.refreshRole(g, key, t);
        stats.push(t);
      }
      memo.roles = stats
        .sort((a, b) => b.count - a.count || (comesBefore(a.firstDoc, a.firstAt, b.firstDoc, b.firstAt) ? -1 : 1))
        .map((t) => t.text);
    }
    return memo.roles.slice();
  }

  /** Keeps the group's quotation and role summaries in step with a join (sign 1) or leave (sign -1) of some of a
   *  document's mentions. Linear in the document's quotations and roles. */
  private attach(g: Group, doc: string, entry: DocEntry, idxs: number[], sign: 1 | -1, found?: Attached): void {
    const st = entry.store;
    const nq = st.quoteCount;
    if (nq) {
      let hit: number[] | undefined = found?.quotes;
      if (!found) {
        for (let q = 0; q < nq; q++) {
          const m = st.speakerOf(q);
          if (m >= 0 && includesSorted(idxs, m)) (hit ??= []).push(q);
        }
        if (hit) hit = keptList(hit);
      }
      if (hit) {
        const byDoc = (g.quoteDocs ??= new DocLists());
        const list = byDoc.get(doc);
        if (sign > 0) byDoc.set(doc, list ? mergeSorted(list, hit) : hit);
        else if (list) {
          const gone = hit;
          const rest = list.filter((q) => !includesSorted(gone, q));
          if (rest.length) byDoc.set(doc, keptList(rest));
          else byDoc.delete(doc);
        }
        g.quoteCount = (g.quoteCount ?? 0) + sign * hit.length;
      }
    }
    const roles = found ? found.roles : undefined;
    for (let j = 0, nr = found ? (roles?.length ?? 0) : st.roleCount; j < nr; j++) {
      const r = roles ? roles[j] : j;
      if (!found && !includesSorted(idxs, st.roleMention(r))) continue;
      const text = roleText(st.roleText(r));
      if (!text) continue;
      const tally = (g.roleTally ??= new SmallMap<RoleStat>());
      const key = text.toLowerCase();
      const t = tally.get(key);
      if (sign > 0) {
        if (!t) tally.set(key, { count: 1, text, firstDoc: doc, firstAt: r, stale: false });
        else {
          t.count++;
          // At or before the recorded first (which may be stale): certainly the first now.
          if (!comesBefore(t.firstDoc, t.firstAt, doc, r)) Object.assign(t, { text, firstDoc: doc, firstAt: r, stale: false });
        }
      } else if (t) {
        if (--t.count <= 0) tally.delete(key);
        else if (t.firstDoc === doc && t.firstAt === r) t.stale = true;
      }
    }
  }

  /** Finds a role's first occurrence again after the recorded one left the group: it is at or after the old one. */
  private refreshRole(g: Group, key: string, t: RoleStat): void {
    for (let d = lowerBoundStr(g.sortedDocs, t.firstDoc); d < g.sortedDocs.length; d++) {
      const doc = g.sortedDocs[d];
      const e = this.docs.get(doc)!;
      const st = e.store;
      for (let r = doc === t.firstDoc ? t.firstAt : 0; r < st.roleCount; r++) {
        const rm = st.roleMention(r);
        if (!(rm >= 0 && rm < st.mentionCount) || this.groupOf(e, rm) !== g.key) continue;
        const text = roleText(st.roleText(r));
        if (text.toLowerCase() === key) {
          Object.assign(t, { text, firstDoc: doc, firstAt: r, stale: false });
          return;
        }
      }
    }
    t.stale = false; // not reached while the role has an occurrence in the group
  }

  /** The entity's first full-name mention in the corpus (documents by key, then offset); failing that, the first
   *  mention of its canonical name, or its first mention. */
  introduction(id: string): MentionRef | undefined {
    const g = this.groupOfId(id);
    if (!g) return undefined;
    const memo = this.memoOf(g);
    if (memo.intro === undefined) memo.intro = this.findIntroduction(g) ?? null;
    return memo.intro ?? undefined;
  }

  private findIntroduction(g: Group): MentionRef | undefined {
    // Read from the store's columns; a Mention object only for the answer: an entity known only by short forms
    // has every mention visited, and workspace/symbol asks for hundreds of entities at once.
    let byName: string | undefined;
    let byNameAt = -1;
    for (const doc of g.sortedDocs) {
      const e = this.docs.get(doc)!;
      const st = e.store;
      for (const i of g.docs.get(doc)!) {
        // The stored rank is formRank, except where grouping failed (every rank 6).
        if (e.claimsFailed ? isFullForm(st.mention(i)) : st.rank(i) === 0) return { doc, index: i, mention: st.mention(i) };
        if (byName === undefined && st.name(i) === g.name) {
          byName = doc;
          byNameAt = i;
        }
      }
    }
    if (byName !== undefined) return { doc: byName, index: byNameAt, mention: this.docs.get(byName)!.store.mention(byNameAt) };
    const doc = g.sortedDocs[0];
    if (doc === undefined) return undefined;
    const i = g.docs.get(doc)![0];
    return { doc, index: i, mention: this.docs.get(doc)!.store.mention(i) };
  }

  /**
   * Brings every lazily kept summary up to date (canonical names, ids, the search keys), so that the next request
   * does not pay for them: after a scan that is every entity, hundreds of milliseconds on a large corpus. Hosts call
   * it when idle; queries work without it. With `stop` (polled every few groups) it may end early, returning false:
   * call it again to go on. Returns true once everything is up to date.
   */
  prepare(stop?: () => boolean): boolean {
    if (!this.ready(stop) || !this.syncSearch(stop)) return false;
    this.searchIndex.prepare();
    return true;
  }

  /** Brings every group's canonical name, aliases and id up to date (what a snapshot saves; prepare without the search
   *  index). With `stop`, may end early (false): call it again to go on. */
  prepareSummaries(stop?: () => boolean): boolean {
    return this.ready(stop);
  }

  /**
   * Builds the line tables of documents that have none yet, until `stop()` says so; true when every document has
   * one. Tables are otherwise built on first use, and a request whose answer spans hundreds of documents (workspace
   * symbols, references) would pay for all of them; the server calls this in idle time after a scan.
   */
  buildLineTables(stop: () => boolean): boolean {
    // A call goes on where the last one stopped: restarting from the first document each time would walk the whole
    // corpus once per slice. Map iterators stay valid while documents are added or removed.
    const cursor = (this.lineCursor ??= this.docs.values());
    let n = 0;
    for (let next = cursor.next(); !next.done; next = cursor.next()) {
      const e = next.value;
      if (e.body.hasLines) continue;
      void e.body.starts;
      if ((++n & 15) === 0 && stop()) return false;
    }
    this.lineCursor = undefined;
    return true;
  }
  private lineCursor?: Iterator<DocEntry>;

  /** The group's memo, emptied when its membership (rev) or its id changed since it was filled. */
  private memoOf(g: Group): NonNullable<Group['memo']> {
    if (!g.memo || g.memo.rev !== g.rev || g.memo.id !== g.id) g.memo = { rev: g.rev, id: g.id };
    return g.memo;
  }

  search(query: string, limit = 100): Entity[] {
    // With nothing to match, the most mentioned entities (the sorted list is cached per version).
    if (!/[\p{L}\p{N}@]/u.test(query)) return this.entities().slice(0, Math.max(0, limit));
    this.ready();
    this.syncSearch();
    return this.searchIndex.search(query, limit);
  }

  stats(): CorpusStats {
    return {
      documents: this.docs.size,
      skipped: this.skips.size,
      people: this.counts.person,
      organisations: this.counts.organisation,
      quotes: this.counts.quotes,
      mentions: this.counts.mentions,
    };
  }

  private quoteRef(doc: string, e: DocEntry, i: number): QuoteRef {
    const quote = e.store.quote(i, e.body);
    const m = quote.speaker?.mention;
    const ref: QuoteRef = { doc, index: i, quote };
    if (m !== undefined && m >= 0 && m < e.store.mentionCount) {
      this.ready();
      const id = this.groups.get(this.groupOf(e, m))?.id;
      if (id) ref.speakerId = id;
    }
    return ref;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Snapshot (indexSnapshot.ts; helper S's region)

  /**
   * Takes in the groups a snapshot restored with their summaries (not dirty): their slugs, ids and entities, as the
   * flush after a restore without them would have made them. The search index gets them lazily, in the order that
   * flush put them in (slugs by first group, owners by key), so that a search answers as it did then.
   */
  private adoptSummaries(): void {
    const bySlug = new Map<string, Group[]>();
    for (const g of this.groups.values()) {
      if (this.dirty.has(g) || !g.id || g.summaryRev !== g.rev) continue;
      const owners = bySlug.get(g.slug);
      if (owners) owners.push(g);
      else bySlug.set(g.slug, [g]);
    }
    for (const [slug, owners] of bySlug) {
      let set = this.slugs.get(slug);
      if (!set) this.slugs.set(slug, (set = new Set()));
      if (owners.length > 1) owners.sort((a, b) => byKey(a.key, b.key));
      for (const g of owners) {
        set.add(g);
        g.entity = this.toEntity(g);
        this.byId.set(g.id, g);
        this.staleSearch(g);
      }
    }
  }

  /** The live state, not a copy: indexSnapshot.ts reads it to save it, or fills it when the index is empty. Typed
   *  structurally there, so a change of shape here fails the typecheck of the snapshot code. */
  snapshotState(): IndexState {
    return {
      docs: this.docs,
      sortedDocs: this.sortedDocs,
      strings: this.strings,
      skips: this.skips,
      groups: this.groups,
      tables: this.tables,
      answers: this.answers,
      dependents: this.dependents,
      counts: this.counts,
      dirty: this.dirty,
      summarised: this.dirty.size === 0 && this.assignIdsLater.size === 0,
      textSource: this.textSource,
    };
  }

  /** Fills this empty index from a snapshot's sections (see indexSnapshot.ts decodeIndex; throws, leaving the index
   *  as it was, when they are damaged). Summaries, ids and the search index follow lazily, as after a scan. */
  restoreSnapshot(sections: SnapshotSections): { docs: number } {
    // Documents taken out before (the editor's, put back after) leave their strings in the table, which only grows;
    // with no document left, none refers to it, and the snapshot's ids are positions in a table of its own.
    if (this.docs.size === 0 && this.skips.size === 0) this.strings = new StringTable();
    const state = this.snapshotState();
    const r = decodeIndex(state, sections);
    // The lookup tables come back as a map of their own that reads them from the snapshot on demand. The arrays by
    // string id may hold tables and sets of before, when ids meant other strings: made again on first use.
    this.tables = state.tables;
    this.adoptSummaries();
    this.tableAt = [];
    this.depsAt = [];
    this.dependentsKnown = -1;
    this.sortedEntities = undefined;
    this._version++;
    return r;
  }
}

/** The entity list's order: most mentioned first, then by name, then by id (ids are unique: a total order). */
const entityOrder = (a: Entity, b: Entity) => b.mentionCount - a.mentionCount || byKey(a.name, b.name) || byKey(a.id, b.id);

const lowerBoundEntity = (list: readonly Entity[], e: Entity): number => prefixLength(list.length, (i) => entityOrder(list[i], e) < 0);

/** Where this very entity object is in the sorted list, or -1. */
function indexOfEntity(list: readonly Entity[], e: Entity): number {
  const at = lowerBoundEntity(list, e);
  // Elsewhere than its order puts it is never expected: then the slow way, rather than leave it in.
  return list[at] === e ? at : list.indexOf(e);
}

/** The sorted list without the entries at `drop` (ascending) and with `add` (sorted, none equal to a kept entry)
 *  put in their places. */
function replaceEntities(list: readonly Entity[], drop: readonly number[], add: readonly Entity[]): Entity[] {
  // Copied in runs between the changed places (slice and concat copy natively; a loop pushing each entry ran at
  // interpreter speed on a call made once per keystroke).
  const pieces: Entity[][] = [];
  let from = 0;
  let d = 0;
  let j = 0;
  const at = add.map((e) => lowerBoundEntity(list, e));
  for (;;) {
    const nextDrop = d < drop.length ? drop[d] : list.length;
    const nextAdd = j < add.length ? at[j] : list.length;
    const to = Math.min(nextDrop, nextAdd);
    if (to > from) pieces.push(list.slice(from, to));
    from = to;
    if (j < add.length && at[j] === to) pieces.push([add[j++]]);
    else if (d < drop.length && drop[d] === to) {
      d++;
      from = to + 1;
    } else break;
  }
  return ([] as Entity[]).concat(...pieces);
}

/** A role descriptor as shown and tallied: white space normalised. */
function roleText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Whether an ascending list holds x. */
function includesSorted(list: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  if (hi < 0 || x < list[0] || x > list[hi]) return false;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === x) return true;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** "Board of Deputies" is not the fullest form when "Board of Deputies of British Jews" is in the same group, nor
 *  "Gorton CLP" beside "Manchester Gorton CLP". */
function demoteShortNames(candidates: Map<string, NameTally>): void {
  const norms = [...candidates.keys()].map((n) => [n, normaliseName(n).replace(/^the /, '')] as const);
  for (const [name, norm] of norms) {
    const t = candidates.get(name)!;
    if (t.rank === 0 && norms.some(([, other]) => other.startsWith(norm + ' of ') || other.endsWith(' ' + norm))) t.rank = 1;
  }
}

function peerTitleAt(st: AnalysisStore, i: number): string | undefined {
  const title = st.title(i);
  return title && st.type(i) === 'person' && PEER_TITLES.has(title.toLowerCase()) && / of /.test(st.name(i)) ? title : undefined;
}

function tallyAdd(map: Map<string, NameStat>, name: string, rank: number, doc: string, at: number, title?: string): void {
  let t = map.get(name);
  if (!t) {
    t = { count: 0, rank: Math.min(rank, 6), byRank: undefined, firstDoc: doc, firstAt: at, stale: false };
    map.set(name, t);
  } else if (comesBefore(doc, at, t.firstDoc, t.firstAt)) {
    // Before the recorded first, so certainly the first now, stale or not.
    t.firstDoc = doc;
    t.firstAt = at;
    t.stale = false;
  }
  t.count++;
  const r = Math.min(rank, 6);
  if (t.byRank !== undefined) t.byRank[r]++;
  else if (r !== t.rank) {
    // A second rank: counted per rank from now on (the mentions before all had t.rank).
    const byRank = [0, 0, 0, 0, 0, 0, 0];
    byRank[t.rank] = t.count - 1;
    byRank[r] = 1;
    t.byRank = byRank;
    t.rank = -1;
  }
  if (title) {
    t.peerTitles ??= new Map();
    t.peerTitles.set(title, (t.peerTitles.get(title) ?? 0) + 1);
  }
}

function tallyRemove(map: Map<string, NameStat>, name: string, rank: number, doc: string, at: number, title?: string): void {
  const t = map.get(name);
  if (!t) return;
  t.count--;
  // Without byRank, every mention of the name has t.rank.
  const byRank = t.byRank;
  if (byRank !== undefined) {
    byRank[Math.min(rank, 6)]--;
    // Back to one rank: the form a fresh tally of the same mentions has.
    const one = byRank.findIndex((n) => n > 0);
    if (one >= 0 && byRank[one] === t.count) {
      t.rank = one;
      t.byRank = undefined;
    }
  }
  if (title && t.peerTitles) {
    const n = (t.peerTitles.get(title) ?? 0) - 1;
    if (n > 0) t.peerTitles.set(title, n);
    else t.peerTitles.delete(title);
  }
  if (t.count <= 0) map.delete(name);
  else if (t.firstDoc === doc && t.firstAt === at) t.stale = true;
}

const rankOf = (t: NameStat) => {
  if (t.byRank === undefined) return t.rank;
  const r = t.byRank.findIndex((n) => n > 0);
  return r < 0 ? 6 : r;
};

/** Mentions per form rank, seven counts (as a snapshot lists them). */
export function ranksOf(t: NameStat): number[] {
  if (t.byRank !== undefined) return t.byRank;
  const byRank = [0, 0, 0, 0, 0, 0, 0];
  byRank[t.rank] = t.count;
  return byRank;
}

/** The quotations (by speaker mention) and roles (by mention) of each of a document's groups, in `groups` order,
 *  each list ascending: found in one pass over the document rather than once per group (attach). */
interface Attached {
  quotes?: number[];
  roles?: number[];
}

function attachedByGroup(st: AnalysisStore, group: string[], groups: Map<string, number[]>): Attached[] {
  const out: Attached[] = new Array(groups.size);
  const nq = st.quoteCount;
  const nr = st.roleCount;
  let ord: Int32Array | undefined;
  if (nq || nr) {
    ord = new Int32Array(group.length);
    let k = 0;
    for (const idxs of groups.values()) {
      for (const i of idxs) ord[i] = k;
      k++;
    }
  }
  for (let k = 0; k < out.length; k++) out[k] = {};
  for (let q = 0; q < nq; q++) {
    const m = st.speakerOf(q);
    if (m >= 0 && m < group.length) (out[ord![m]].quotes ??= []).push(q);
  }
  // The quotation lists go into the groups' quoteDocs as they are.
  if (nq) for (const a of out) if (a.quotes) a.quotes = keptList(a.quotes);
  for (let r = 0; r < nr; r++) {
    const m = st.roleMention(r);
    if (m >= 0 && m < group.length) (out[ord![m]].roles ??= []).push(r);
  }
  return out;
}

/**
 * What a document set in this session keeps of a mention's group, in its row's lookup column (AnalysisStore.lookup):
 * a lookup key's position in `lookupKeys` (≥ 0), whose current answer is the group, or a group key of the mention's
 * own (a local key, or its key as an entity of its own) as -2 - its string id.
 */
function localKey(stringId: number): number {
  return -2 - stringId;
}

/** The group of a document's mention i (0 ≤ i < mentionCount): a restored document's listed one, else as its row
 *  says (localKey). `answers` and `strings` are the index's. */
export function mentionGroup(e: DocEntry, i: number, answers: ReadonlyMap<string, string>, strings: StringTable): string {
  const group = e.group;
  if (group !== undefined) return group[i];
  const v = e.store.lookup(i);
  // A lookup key with a dependent (this document) always has an answer (`answers` drops it with the last one).
  return v >= 0 ? answers.get(e.lookupKeys[v])! : strings.get(-2 - v);
}

/** Mention indices per group, each list ascending. */
function byGroup(group: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < group.length; i++) {
    const list = out.get(group[i]);
    if (list) list.push(i);
    else out.set(group[i], [i]);
  }
  // The groups keep these lists.
  for (const [key, list] of out) out.set(key, keptList(list));
  return out;
}

/**
 * Lists of one index, shared: two in three of the groups' per-document lists hold a single mention (222,000 of 334,000
 * on the 100 MB bench corpus, 56 bytes each as arrays of their own). The index never changes a list in place (a change
 * makes a new one), so lists can be shared. Not frozen: a frozen array is of another elements kind, and loops over a
 * mix of the two ran ~4× slower in a micro-benchmark (330k lists), besides turning their call sites polymorphic.
 */
const SINGLES: number[][] = [];

/**
 * Short lists (two to four indices, each below 256), shared the same way, by their indices packed into a number: most
 * of the lists that are not of one index are short and recur ([0, 3] in many groups and documents). 10 MB of the bench
 * corpus has 10,900 such lists and 4,600 distinct ones; a list of its own costs 64–80 bytes. Bounded: past
 * SHORT_MAX distinct lists (a corpus unlike news), lists are kept as they are.
 */
const SHORT = new Map<number, number[]>();
const SHORT_MAX = 1 << 16;

/** A mention or quotation index list as a group keeps it: at its exact length, or a shared list of one or a few. */
function keptList(list: number[]): number[] {
  const n = list.length;
  if (n === 1) {
    const i = list[0];
    if (i < 0 || i > 0xffff || !Number.isInteger(i)) return list.slice();
    while (SINGLES.length <= i) SINGLES.push([SINGLES.length]);
    return SINGLES[i];
  }
  if (n < 2 || n > 4) return exact(list);
  // The length, then each index as a byte: distinct lists get distinct keys (below 2^35).
  let key = n;
  for (let k = 0; k < n; k++) {
    const i = list[k];
    if (!(i >= 0 && i < 256 && (i | 0) === i)) return exact(list);
    key = key * 256 + i;
  }
  let shared = SHORT.get(key);
  if (shared === undefined) {
    if (SHORT.size >= SHORT_MAX) return exact(list);
    SHORT.set(key, (shared = list.slice()));
  }
  return shared;
}

/**
 * The list at its exact length. An array grown by push keeps room for 16 more elements (152 bytes for a list of two),
 * and the groups keep one list per document and one per document quoted: at 50 MB of articles, 95,000 such lists
 * held 16 MB, about 13 MB of it room never used.
 */
const exact = <T>(list: T[]): T[] => (list.length > 0 ? list.slice() : list);

function mergeSorted(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

function insertSorted(list: string[], x: string): void {
  // A scan adds documents in key order: appending is the common case, and a binary search over keys with long
  // common prefixes (URIs) was 3 % of a warm reopen of 22,000 files.
  if (list.length === 0 || list[list.length - 1] < x) {
    list.push(x);
    return;
  }
  const at = lowerBoundStr(list, x);
  if (list[at] !== x) list.splice(at, 0, x);
}

function removeSorted(list: string[], x: string): void {
  const at = lowerBoundStr(list, x);
  if (list[at] === x) list.splice(at, 1);
}

function lowerBoundStr(list: string[], x: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The mentions (ascending) of a document whose group is the answer to the lookup key. */
function lookupMentions(e: DocEntry, lk: string): number[] | undefined {
  const k = e.lookupKeys.indexOf(lk);
  if (k < 0) return undefined;
  const out: number[] = [];
  for (let i = 0, n = e.store.mentionCount; i < n; i++) if (e.store.lookup(i) === k) out.push(i);
  return out;
}

/** `sliced`: the span's text is known to be text.slice(start, end) (decoded against this text: analysisCodec.ts), so
 *  only its bounds are checked. */
const validSpan = (text: string, s: { start: number; end: number; text: string }, sliced = false) =>
  Number.isInteger(s.start) &&
  Number.isInteger(s.end) &&
  s.start >= 0 &&
  s.start < s.end &&
  s.end <= text.length &&
  typeof s.text === 'string' &&
  s.text.length === s.end - s.start &&
  (sliced || sameChars(text, s.start, s.text));

/** text.startsWith(part, at), as a loop: three times faster on the short spans of mentions (measured in V8 11). */
function sameChars(text: string, at: number, part: string): boolean {
  for (let k = 0; k < part.length; k++) if (part.charCodeAt(k) !== text.charCodeAt(at + k)) return false;
  return true;
}

/**
 * Keeps the invariants the queries rely on whatever an analysis (from a worker, a stale cache, a bug) contains:
 * spans in bounds and matching the text, mentions sorted and not overlapping, quotes sorted, indices valid.
 * Returns the analysis itself when it is already clean (the common case), otherwise a repaired copy.
 */
function sanitise(text: string, a: DocAnalysis, sliced = false): DocAnalysis {
  const mentions: Mention[] = Array.isArray(a?.mentions) ? a.mentions : [];
  const quotes: Quote[] = Array.isArray(a?.quotes) ? a.quotes : [];
  const roles = Array.isArray(a?.roles) ? a.roles : [];
  const problems = Array.isArray(a?.problems) ? a.problems : [];
  let ok = mentions === a?.mentions && quotes === a?.quotes && roles === a?.roles && problems === a?.problems;
  let prevEnd = 0;
  for (const m of mentions) {
    if (!m || !validSpan(text, m, sliced) || m.start < prevEnd || typeof m.name !== 'string') {
      ok = false;
      break;
    }
    prevEnd = m.end;
  }
  for (let i = 0; ok && i < quotes.length; i++) {
    const q = quotes[i];
    const sm = q?.speaker?.mention;
    if (!q || !validSpan(text, q, sliced) || (i > 0 && q.start < quotes[i - 1].start) || (sm !== undefined && !(sm >= 0 && sm < mentions.length))) ok = false;
  }
  for (const r of roles) if (!r || !(r.mention >= 0 && r.mention < mentions.length) || typeof r.text !== 'string') ok = false;
  if (ok) return a;

  const keep: Mention[] = [];
  const remap = new Map<number, number>();
  const order = mentions
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m && validSpan(text, m))
    .sort((x, y) => x.m.start - y.m.start || x.m.end - y.m.end);
  let end = 0;
  for (const { m, i } of order) {
    if (m.start < end) continue;
    remap.set(i, keep.length);
    keep.push({ ...m, name: typeof m.name === 'string' ? m.name : m.text, type: m.type === 'organisation' ? 'organisation' : 'person' });
    end = m.end;
  }
  const qs = quotes
    .filter((q) => q && validSpan(text, q))
    .map((q) => {
      const sm = q.speaker?.mention;
      if (!q.speaker || sm === undefined) return { ...q };
      const to = remap.get(sm);
      return { ...q, speaker: { ...q.speaker, mention: to } };
    })
    .sort((x, y) => x.start - y.start || y.end - x.end);
  const rs = roles
    .filter((r) => r && remap.has(r.mention) && typeof r.text === 'string')
    .map((r) => ({ ...r, mention: remap.get(r.mention)! }));
  return {
    mentions: keep,
    quotes: qs,
    roles: rs,
    problems: [...problems, { message: 'the analysis had invalid spans or indices; they were dropped or repaired' }],
  };
}
