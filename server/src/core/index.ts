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
  typeOfGroupKey,
  type DocClaims,
  type NameTally,
} from './aliases';
import type { AnalyzeOptions, DocAnalysis, Entity, EntityType, Mention, MentionRef, Quote, QuoteRef } from './model';
import { LineIndex } from './positions';
import { SearchIndex } from './search';
import { lastWhere } from './sorted';

export type Analyze = (text: string, options?: AnalyzeOptions) => DocAnalysis;

export interface CorpusIndexOptions {
  analyze?: Analyze;
}

export interface CorpusStats {
  documents: number;
  skipped: number;
  people: number;
  organisations: number;
  quotes: number;
  mentions: number;
}

interface DocEntry {
  text: string;
  analysis: DocAnalysis;
  /** The contributions to the lookup tables are recomputed from the analysis on removal (documentClaims is pure);
   *  when grouping failed on this document, there are none. */
  claimsFailed?: boolean;
  /** The group of every mention, parallel to `analysis.mentions`. */
  group: string[];
  /** How full a form every mention is (aliases.ts formRank), for canonical names. */
  ranks: Uint8Array;
  /** Mention indices per lookup key this document depends on. */
  byLookup: Map<string, number[]>;
  lines?: LineIndex;
  /** quoteMaxEnd[i] = max end of quotes[0..i]: lets quoteAt stop early when scanning back. */
  quoteMaxEnd: number[];
}

/** How often a group uses one name, how full a form it is, and where it first appears. */
interface NameStat {
  count: number;
  /** Mentions per form rank (aliases.ts formRank); the name's rank is the lowest one in use. */
  byRank: number[];
  firstDoc: string;
  firstAt: number;
  /** The recorded first occurrence was removed; the true first is at or after it (fixed lazily in flush). */
  stale: boolean;
  /** Mentions of the name with a peer's title, by title ("Lord" → 2): a territorial name keeps it when canonical. */
  peerTitles?: Map<string, number>;
}

/** Titles of peers, whose name "Falconer of Thoroton" is incomplete without the title. */
const PEER_TITLES = new Set(['lord', 'lady', 'baroness', 'baron', 'viscount', 'viscountess', 'earl', 'countess', 'duke', 'duchess', 'marquess']);

interface Group {
  key: string;
  type: EntityType;
  /** Member mention indices per document, ascending. */
  docs: Map<string, number[]>;
  /** The keys of `docs`, sorted, maintained on insertion and removal. */
  sortedDocs: string[];
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
  refs?: { rev: number; refs: MentionRef[] };
  /** Per-entity answers (hover cards ask for them on every request), valid while `rev` and `id` are unchanged. */
  memo?: { rev: number; id: string; quotes?: QuoteRef[]; roles?: string[]; intro?: MentionRef | null };
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class CorpusIndex {
  private readonly analyze: Analyze;
  private readonly docs = new Map<string, DocEntry>();
  private readonly skips = new Map<string, string>();
  private readonly groups = new Map<string, Group>();
  /** Corpus-wide lookup tables: lookup key → value → count. */
  private readonly tables = new Map<string, Map<string, number>>();
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
  private counts = { mentions: 0, quotes: 0, person: 0, organisation: 0 };
  private _version = 0;
  private readonly sortedDocs: string[] = [];
  private entityList?: { version: number; all: Entity[]; sorted?: Entity[] };

  constructor(options: CorpusIndexOptions = {}) {
    this.analyze = options.analyze ?? analyzeDocument;
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
    const clean = sanitise(text, analysis);
    const touched = new Set<string>();
    this.skips.delete(doc);
    if (this.docs.has(doc)) this.remove(doc, touched);
    else insertSorted(this.sortedDocs, doc);

    let claims: DocClaims;
    let claimsFailed = false;
    try {
      claims = documentClaims(clean);
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
    for (const [lk, value, n] of claims.contributions) {
      this.bump(lk, value, n);
      touched.add(lk);
    }
    const entry: DocEntry = {
      text,
      analysis: clean,
      claimsFailed,
      ranks: claims.ranks,
      group: new Array(clean.mentions.length),
      byLookup: new Map(),
      quoteMaxEnd: maxEnds(clean.quotes),
    };
    this.docs.set(doc, entry);
    this.reanswer(touched, doc);

    for (let i = 0; i < clean.mentions.length; i++) {
      let key = claims.local[i];
      const lk = claims.lookup[i];
      if (key === undefined && lk !== undefined) {
        let list = entry.byLookup.get(lk);
        if (!list) entry.byLookup.set(lk, (list = []));
        list.push(i);
        key = this.answer(lk);
      }
      entry.group[i] = key ?? `${clean.mentions[i].type}|s:${i}`;
    }
    for (const [key, idxs] of byGroup(entry.group)) this.joinMany(key, doc, idxs);
    for (const lk of entry.byLookup.keys()) {
      let set = this.dependents.get(lk);
      if (!set) this.dependents.set(lk, (set = new Set()));
      set.add(doc);
    }
    this.counts.mentions += clean.mentions.length;
    this.counts.quotes += clean.quotes.length;
    this._version++;
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
    this.skips.clear();
    this._version++;
  }

  private remove(doc: string, touched: Set<string>): void {
    const entry = this.docs.get(doc)!;
    for (const [key, idxs] of byGroup(entry.group)) this.leaveMany(key, doc, idxs);
    const contributions = entry.claimsFailed ? [] : documentClaims(entry.analysis).contributions;
    for (const [lk, value, n] of contributions) {
      this.bump(lk, value, -n);
      touched.add(lk);
    }
    for (const lk of entry.byLookup.keys()) {
      const set = this.dependents.get(lk);
      if (set) {
        set.delete(doc);
        if (set.size === 0) {
          this.dependents.delete(lk);
          this.answers.delete(lk);
        }
      }
    }
    this.counts.mentions -= entry.analysis.mentions.length;
    this.counts.quotes -= entry.analysis.quotes.length;
    this.docs.delete(doc);
  }

  private bump(lk: string, value: string, n: number): void {
    let table = this.tables.get(lk);
    if (!table) this.tables.set(lk, (table = new Map()));
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
      const before = this.answers.get(lk);
      const after = resolveLookup(lk, this.tables.get(lk));
      if (before === after) continue;
      this.answers.set(lk, after);
      for (const doc of deps) {
        if (doc === except) continue;
        const entry = this.docs.get(doc)!;
        const idxs = entry.byLookup.get(lk);
        if (!idxs || idxs.length === 0) continue;
        // Every mention of one lookup key in a document is in the group of its answer: move them together.
        this.leaveMany(entry.group[idxs[0]], doc, idxs);
        for (const i of idxs) entry.group[i] = after;
        this.joinMany(after, doc, idxs);
      }
    }
  }

  /** Adds mentions (indices ascending) of one document to a group. Linear in the document's part of the group. */
  private joinMany(key: string, doc: string, idxs: number[]): void {
    let g = this.groups.get(key);
    if (!g) {
      g = {
        key,
        type: typeOfGroupKey(key),
        docs: new Map(),
        sortedDocs: [],
        names: new Map(),
        expansions: new Map(),
        size: 0,
        rev: 1,
        summaryRev: 0,
        name: '',
        aliases: [],
        slug: '',
        id: '',
      };
      this.groups.set(key, g);
      this.counts[g.type]++;
    }
    const list = g.docs.get(doc);
    if (!list) {
      g.docs.set(doc, idxs.slice());
      insertSorted(g.sortedDocs, doc);
    } else {
      g.docs.set(doc, mergeSorted(list, idxs));
    }
    const entry = this.docs.get(doc)!;
    const ms = entry.analysis.mentions;
    for (const i of idxs) {
      const m = ms[i];
      tallyAdd(g.names, m.name, entry.ranks[i], doc, m.start, peerTitle(m));
      if (m.form === 'acronym' && m.expansion) tallyAdd(g.expansions, m.expansion, 0, doc, m.start);
    }
    g.size += idxs.length;
    g.rev++;
    this.dirty.add(g);
  }

  /** Removes mentions (indices ascending) of one document from a group. Linear in the document's part of it. */
  private leaveMany(key: string, doc: string, idxs: number[]): void {
    const g = this.groups.get(key);
    const list = g?.docs.get(doc);
    if (!g || !list) return;
    const entry = this.docs.get(doc)!;
    const ms = entry.analysis.mentions;
    const keep: number[] = [];
    let j = 0;
    let removed = 0;
    for (const x of list) {
      while (j < idxs.length && idxs[j] < x) j++;
      if (j < idxs.length && idxs[j] === x) {
        const m = ms[x];
        tallyRemove(g.names, m.name, entry.ranks[x], doc, m.start, peerTitle(m));
        if (m.form === 'acronym' && m.expansion) tallyRemove(g.expansions, m.expansion, 0, doc, m.start);
        removed++;
      } else keep.push(x);
    }
    if (keep.length) g.docs.set(doc, keep);
    else {
      g.docs.delete(doc);
      removeSorted(g.sortedDocs, doc);
    }
    g.size -= removed;
    g.rev++;
    if (g.size <= 0) {
      this.groups.delete(key);
      this.counts[g.type]--;
      this.dropId(g);
      this.dirty.delete(g);
    } else {
      this.dirty.add(g);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Summaries (lazy)

  /** Brings every changed group's canonical name, aliases and id up to date. */
  private flush(): void {
    if (this.dirty.size === 0) return;
    const reslug = new Set<string>();
    for (const g of this.dirty) {
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
        this.searchIndex.set(g.entity, g.key);
      }
    }
    this.dirty.clear();
    for (const slug of reslug) this.assignIds(slug);
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
      if (g.id && g.id !== id) this.searchIndex.delete(g.id, g.key);
      g.id = id;
      g.entity = this.toEntity(g);
      this.searchIndex.set(g.entity, g.key);
    });
    for (const g of owners) this.byId.set(g.id, g);
  }

  private dropId(g: Group): void {
    if (g.id && this.byId.get(g.id) === g) this.byId.delete(g.id);
    if (g.id) this.searchIndex.delete(g.id, g.key);
    if (g.slug) {
      const set = this.slugs.get(g.slug);
      set?.delete(g);
      // Remaining owners of the slug may move up ("-2" → plain); recompute them now, while we know which.
      if (set) this.assignIdsLater.add(g.slug);
    }
  }
  private readonly assignIdsLater = new Set<string>();

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
      const ms = this.docs.get(doc)!.analysis.mentions;
      for (const i of g.docs.get(doc)!) {
        const m = ms[i];
        if (expansion ? m.form === 'acronym' && m.expansion === name : m.name === name) {
          t.firstDoc = doc;
          t.firstAt = m.start;
          t.stale = false;
          return;
        }
      }
    }
    t.stale = false; // not reached while the name has a mention in the group
  }

  private toEntity(g: Group): Entity {
    return { id: g.id, type: g.type, name: g.name, aliases: g.aliases, mentionCount: g.size, fileCount: g.docs.size };
  }

  private ready(): void {
    this.flush();
    if (this.assignIdsLater.size) {
      const slugs = [...this.assignIdsLater];
      this.assignIdsLater.clear();
      for (const s of slugs) this.assignIds(s);
    }
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

  text(doc: string): string | undefined {
    return this.docs.get(doc)?.text;
  }

  analysis(doc: string): DocAnalysis | undefined {
    return this.docs.get(doc)?.analysis;
  }

  lines(doc: string): LineIndex | undefined {
    const e = this.docs.get(doc);
    if (!e) return undefined;
    return (e.lines ??= new LineIndex(e.text));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Entities

  /** Every entity (or every entity of one type), most mentioned first; ties by name, then id. */
  entities(type?: EntityType): Entity[] {
    const list = this.entityLists();
    if (!list.sorted) list.sorted = list.all.slice().sort((a, b) => b.mentionCount - a.mentionCount || byKey(a.name, b.name) || byKey(a.id, b.id));
    return type ? list.sorted.filter((e) => e.type === type) : list.sorted.slice();
  }

  private entityLists(): { version: number; all: Entity[]; sorted?: Entity[] } {
    this.ready();
    if (!this.entityList || this.entityList.version !== this._version) {
      const all: Entity[] = [];
      for (const g of this.groups.values()) all.push(g.entity ?? this.toEntity(g));
      this.entityList = { version: this._version, all };
    }
    return this.entityList;
  }

  entity(id: string): Entity | undefined {
    const g = this.groupOfId(id);
    return g && (g.entity ?? this.toEntity(g));
  }

  entityIdOf(doc: string, mentionIndex: number): string | undefined {
    const e = this.docs.get(doc);
    const key = e?.group[mentionIndex];
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
    for (const key of new Set(e.group)) {
      const g = this.groups.get(key);
      if (g) out.push(g.entity ?? this.toEntity(g));
    }
    return out.sort((a, b) => b.mentionCount - a.mentionCount || byKey(a.name, b.name) || byKey(a.id, b.id));
  }

  /** The mention whose span contains the offset (its end included, so a cursor just after a name still finds it). */
  mentionAt(doc: string, offset: number): MentionRef | undefined {
    const e = this.docs.get(doc);
    if (!e) return undefined;
    const ms = e.analysis.mentions;
    const found = lastWhere(ms, (m) => m.start <= offset);
    if (found >= 0 && offset <= ms[found].end) return { doc, index: found, mention: ms[found] };
    return undefined;
  }

  /** The innermost quotation containing the offset (marks excluded, end included). */
  quoteAt(doc: string, offset: number): QuoteRef | undefined {
    const e = this.docs.get(doc);
    if (!e) return undefined;
    const qs = e.analysis.quotes;
    const last = lastWhere(qs, (q) => q.start <= offset);
    let best = -1;
    for (let j = last; j >= 0 && e.quoteMaxEnd[j] >= offset; j--) {
      const q = qs[j];
      if (q.end >= offset && (best < 0 || q.end - q.start < qs[best].end - qs[best].start)) best = j;
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
        const ms = this.docs.get(doc)!.analysis.mentions;
        for (const i of g.docs.get(doc)!) refs.push({ doc, index: i, mention: ms[i] });
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
    const ms = this.docs.get(doc)!.analysis.mentions;
    return list.map((i) => ({ doc, index: i, mention: ms[i] }));
  }

  mentionsIn(doc: string): MentionRef[] {
    const e = this.docs.get(doc);
    if (!e) return [];
    return e.analysis.mentions.map((mention, index) => ({ doc, index, mention }));
  }

  /** Quotations of one document, or of the whole corpus (by document, then offset). */
  quotes(doc?: string): QuoteRef[] {
    const docs = doc === undefined ? this.documents() : this.docs.has(doc) ? [doc] : [];
    const out: QuoteRef[] = [];
    for (const d of docs) {
      const e = this.docs.get(d)!;
      for (let i = 0; i < e.analysis.quotes.length; i++) out.push(this.quoteRef(d, e, i));
    }
    return out;
  }

  /** Quotations attributed to the entity, by document, then offset. */
  quotesBy(id: string): QuoteRef[] {
    const g = this.groupOfId(id);
    if (!g) return [];
    const memo = this.memoOf(g);
    if (!memo.quotes) {
      const out: QuoteRef[] = [];
      for (const doc of g.sortedDocs) {
        const e = this.docs.get(doc)!;
        const qs = e.analysis.quotes;
        for (let i = 0; i < qs.length; i++) {
          const m = qs[i].speaker?.mention;
          if (m !== undefined && e.group[m] === g.key) out.push({ doc, index: i, quote: qs[i], speakerId: g.id });
        }
      }
      memo.quotes = out;
    }
    return memo.quotes.slice();
  }

  /** Role descriptors found beside the entity's mentions, most frequent first (ties: first seen). */
  roles(id: string): string[] {
    const g = this.groupOfId(id);
    if (!g) return [];
    const memo = this.memoOf(g);
    if (!memo.roles) {
      const tally = new Map<string, { text: string; count: number; order: number }>();
      let order = 0;
      for (const doc of g.sortedDocs) {
        const e = this.docs.get(doc)!;
        for (const r of e.analysis.roles) {
          if (e.group[r.mention] !== g.key) continue;
          const text = r.text.replace(/\s+/g, ' ').trim();
          if (!text) continue;
          const k = text.toLowerCase();
          const t = tally.get(k);
          if (t) t.count++;
          else tally.set(k, { text, count: 1, order: order++ });
        }
      }
      memo.roles = [...tally.values()].sort((a, b) => b.count - a.count || a.order - b.order).map((t) => t.text);
    }
    return memo.roles.slice();
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
    let byName: MentionRef | undefined;
    let first: MentionRef | undefined;
    for (const doc of g.sortedDocs) {
      const ms = this.docs.get(doc)!.analysis.mentions;
      for (const i of g.docs.get(doc)!) {
        const ref = { doc, index: i, mention: ms[i] };
        if (isFullForm(ms[i])) return ref;
        if (!byName && ms[i].name === g.name) byName = ref;
        if (!first) first = ref;
      }
    }
    return byName ?? first;
  }

  /** The group's memo, emptied when its membership (rev) or its id changed since it was filled. */
  private memoOf(g: Group): NonNullable<Group['memo']> {
    if (!g.memo || g.memo.rev !== g.rev || g.memo.id !== g.id) g.memo = { rev: g.rev, id: g.id };
    return g.memo;
  }

  search(query: string, limit = 100): Entity[] {
    // With nothing to match, the most mentioned entities (the sorted list is cached per version).
    if (!/[\p{L}\p{N}@]/u.test(query)) return this.entities().slice(0, Math.max(0, limit));
    this.ready();
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
    const quote = e.analysis.quotes[i];
    const m = quote.speaker?.mention;
    const ref: QuoteRef = { doc, index: i, quote };
    if (m !== undefined && e.group[m] !== undefined) {
      this.ready();
      const id = this.groups.get(e.group[m])?.id;
      if (id) ref.speakerId = id;
    }
    return ref;
  }
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

function peerTitle(m: Mention): string | undefined {
  return m.title && m.type === 'person' && PEER_TITLES.has(m.title.toLowerCase()) && / of /.test(m.name) ? m.title : undefined;
}

function tallyAdd(map: Map<string, NameStat>, name: string, rank: number, doc: string, at: number, title?: string): void {
  let t = map.get(name);
  if (!t) {
    t = { count: 0, byRank: [0, 0, 0, 0, 0, 0, 0], firstDoc: doc, firstAt: at, stale: false };
    map.set(name, t);
  } else if (comesBefore(doc, at, t.firstDoc, t.firstAt)) {
    // Before the recorded first, so certainly the first now, stale or not.
    t.firstDoc = doc;
    t.firstAt = at;
    t.stale = false;
  }
  t.count++;
  t.byRank[Math.min(rank, 6)]++;
  if (title) {
    t.peerTitles ??= new Map();
    t.peerTitles.set(title, (t.peerTitles.get(title) ?? 0) + 1);
  }
}

function tallyRemove(map: Map<string, NameStat>, name: string, rank: number, doc: string, at: number, title?: string): void {
  const t = map.get(name);
  if (!t) return;
  t.count--;
  t.byRank[Math.min(rank, 6)]--;
  if (title && t.peerTitles) {
    const n = (t.peerTitles.get(title) ?? 0) - 1;
    if (n > 0) t.peerTitles.set(title, n);
    else t.peerTitles.delete(title);
  }
  if (t.count <= 0) map.delete(name);
  else if (t.firstDoc === doc && t.firstAt === at) t.stale = true;
}

const rankOf = (t: NameStat) => {
  const r = t.byRank.findIndex((n) => n > 0);
  return r < 0 ? 6 : r;
};

/** Mention indices per group, each list ascending. */
function byGroup(group: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < group.length; i++) {
    const list = out.get(group[i]);
    if (list) list.push(i);
    else out.set(group[i], [i]);
  }
  return out;
}

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

function maxEnds(quotes: Quote[]): number[] {
  const out = new Array<number>(quotes.length);
  let max = -1;
  for (let i = 0; i < quotes.length; i++) out[i] = max = Math.max(max, quotes[i].end);
  return out;
}

const validSpan = (text: string, s: { start: number; end: number; text: string }) =>
  Number.isInteger(s.start) &&
  Number.isInteger(s.end) &&
  s.start >= 0 &&
  s.start < s.end &&
  s.end <= text.length &&
  typeof s.text === 'string' &&
  s.text.length === s.end - s.start &&
  text.startsWith(s.text, s.start);

/**
 * Keeps the invariants the queries rely on whatever an analysis (from a worker, a stale cache, a bug) contains:
 * spans in bounds and matching the text, mentions sorted and not overlapping, quotes sorted, indices valid.
 * Returns the analysis itself when it is already clean (the common case), otherwise a repaired copy.
 */
function sanitise(text: string, a: DocAnalysis): DocAnalysis {
  const mentions: Mention[] = Array.isArray(a?.mentions) ? a.mentions : [];
  const quotes: Quote[] = Array.isArray(a?.quotes) ? a.quotes : [];
  const roles = Array.isArray(a?.roles) ? a.roles : [];
  const problems = Array.isArray(a?.problems) ? a.problems : [];
  let ok = mentions === a?.mentions && quotes === a?.quotes && roles === a?.roles && problems === a?.problems;
  let prevEnd = 0;
  for (const m of mentions) {
    if (!m || !validSpan(text, m) || m.start < prevEnd || typeof m.name !== 'string') {
      ok = false;
      break;
    }
    prevEnd = m.end;
  }
  for (let i = 0; ok && i < quotes.length; i++) {
    const q = quotes[i];
    const sm = q?.speaker?.mention;
    if (!q || !validSpan(text, q) || (i > 0 && q.start < quotes[i - 1].start) || (sm !== undefined && !(sm >= 0 && sm < mentions.length))) ok = false;
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
