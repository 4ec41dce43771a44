// A compact, columnar form of DocAnalysis, for worker messages and the on-disk cache.
//
// Structured clone of millions of small mention objects costs more than the analysis itself, and JSON of them is
// larger than the corpus. Here every analysis of a batch becomes rows of int32s, one float64 per mention, and a
// table of distinct strings (names, rules, titles, descriptors): typed arrays transfer between threads without a
// copy and write to disk as they are. Text that is a slice of the document (Mention.text, Quote.text) is not stored
// at all: decoding slices it again from the document, which the caller has anyway.
//
// Each analysis may carry its alias claims (aliases.ts documentClaims, a pure function of the analysis): computed in
// the worker and kept in the cache, so the main thread only inserts. Their group and lookup keys go into the same
// string table, so each distinct key is one string, hashed once, however many mentions use it. A worker keeps its
// table across batches (StringList): each string crosses to the main thread once per worker, and the main thread
// maps it to the index's string table once (core/analysisStore.ts batchIds), not once per batch or per mention.

import { attachClaims, type DocClaims } from '../core/aliases';
import { attachEncoded } from '../core/analysisStore';
import type { DocAnalysis, EntityType, Mention, NameForm, Problem, Quote, Role } from '../core/model';
import { unshared } from '../core/text';

export interface EncodedAnalyses {
  /** Per document: mention, quote, role and problem counts, then the rows (see the writers below). */
  ints: Int32Array;
  /** Mention confidences, in mention order across the batch. */
  floats: Float64Array;
  strings: string[];
  /**
   * Set when `strings` continues a list the sender keeps (StringList): the id of `strings[0]` in it; ids in the rows
   * index that whole list. The receiver appends `strings` to its copy of the list (0: a new list) and decodes against
   * the copy (see joinStrings), so that each distinct string crosses once per worker, not once per batch.
   */
  base?: number;
}

/** The strings a sender has encoded so far, each once: batches then carry only the strings new to the receiver. */
export class StringList {
  readonly ids = new Map<string, number>();
  size = 0;
  /** A worker that has seen this many distinct strings starts a new list (its receiver then does too). */
  static readonly LIMIT = 1 << 20;
}

/**
 * The receiving side of a StringList: appends a batch's strings to `list` and points the batch at it. Returns the
 * list the batch now refers to (a new one when the sender started a new list: batches decoded lazily may still read
 * the old one), or undefined when the batch does not continue `list` (its rows would index the wrong strings). A batch
 * without a base is left as it is.
 */
export function joinStrings(enc: EncodedAnalyses, list: string[]): string[] | undefined {
  if (enc.base === undefined) return list;
  if (enc.base === 0) list = [];
  else if (enc.base !== list.length) return undefined;
  for (const s of enc.strings) list.push(s);
  enc.strings = list;
  enc.base = undefined;
  return list;
}

const TYPES: EntityType[] = ['person', 'organisation'];
const FORMS: NameForm[] = ['full', 'titled', 'family', 'given', 'handle', 'acronym', 'name'];
const NONE = -1;

/**
 * The string ids of one batch. With a sender's list, the list's map is the one map of the varied strings (names,
 * keys): a string is looked up there once however often the batch uses it, and one new to the list costs one probe
 * and one insert. A batch map in front of it for every string cost a second probe per string new to the batch:
 * measured on 10 MB of articles, the encoder spent ~25 % less CPU without it, also with 340k strings already in the
 * list. Fields of a few distinct values (rules, titles) do keep a map of the batch (see `few`).
 */
class BatchStrings {
  private readonly ids: Map<string, number>;
  /** Not kept past the batch: its keys may be slices of a document. */
  private readonly fewIds = new Map<string, number>();
  readonly strings: string[] = [];
  constructor(
    private readonly list: StringList | undefined,
    private readonly base: number,
  ) {
    this.ids = list ? list.ids : new Map<string, number>();
  }

  id(s: string | undefined): number {
    if (s === undefined) return NONE;
    const id = this.ids.get(s);
    return id === undefined ? this.add(s) : id;
  }

  /**
   * id() for fields of a few distinct values (rules, titles): they make up a quarter of the lookups, and a map of a
   * few dozen entries stays in the cache where a probe of the list's large map mostly misses it (encoder CPU a
   * further ~10-15 % lower, measured).
   */
  few(s: string | undefined): number {
    if (s === undefined) return NONE;
    let id = this.fewIds.get(s);
    if (id === undefined) {
      id = this.id(s);
      this.fewIds.set(s, id);
    }
    return id;
  }

  /**
   * id() for a string that is already a copy of its own, never a slice of a document (the strings of alias claims:
   * aliases.ts DocClaims): the list keeps it as it is. Two thirds of a worker's list are such keys; held once instead
   * of twice (the memo's and the list's copy), a worker's live heap after 50 MB of articles is 3.4 MB smaller.
   */
  own(s: string | undefined): number {
    if (s === undefined) return NONE;
    const id = this.ids.get(s);
    return id === undefined ? this.add(s, true) : id;
  }

  private add(s: string, owned = false): number {
    const id = this.base + this.strings.length;
    // A string kept in the list for the session must not be a slice of a document (or a concatenation holding one),
    // which would keep the whole text alive in the worker. The copies cost the encoder ~20 % (each distinct string
    // once per worker); with them the server's cold peak on 100 MB of articles fell by ~150 MB.
    const kept = this.list && !owned ? unshared(s) : s;
    this.strings.push(kept);
    this.ids.set(kept, id);
    return id;
  }
}

/** Encodes analyses (with their claims where given, parallel to `analyses`). Mentions and quotes must hold the
 *  invariant `text === document.slice(start, end)`; claims' strings must be copies of their own (DocClaims), since a
 *  list keeps them as they are. */
export function encodeAnalyses(analyses: readonly DocAnalysis[], claims?: ReadonlyArray<DocClaims | undefined>, list?: StringList): EncodedAnalyses {
  const encoder = new AnalysisEncoder(list);
  try {
    for (let d = 0; d < analyses.length; d++) encoder.add(analyses[d], claims?.[d]);
  } catch (e) {
    encoder.abandon();
    throw e;
  }
  return encoder.finish();
}

/**
 * encodeAnalyses a document at a time: a worker encodes each analysis as soon as it is made, so that its objects die
 * young instead of surviving the scavenges of a whole batch (measured: scavenge pauses halved, ~2.5 % of a worker's
 * time). `finish` gives the batch; `abandon` when a batch will not be sent after all (its new strings leave the list).
 */
export class AnalysisEncoder {
  private readonly table: BatchStrings;
  private readonly base: number;
  private ints = new Int32Array(4096);
  private floats = new Float64Array(512);
  private i = 0;
  private f = 0;

  constructor(private readonly list?: StringList) {
    if (list && list.size >= StringList.LIMIT) {
      list.ids.clear();
      list.size = 0;
    }
    this.base = list ? list.size : 0;
    this.table = new BatchStrings(list, this.base);
  }

  /** Adds one document's rows; its claims are kept only when they fit the analysis. */
  add(a: DocAnalysis, claims?: DocClaims): void {
    const { mentions, quotes, roles, problems } = a;
    const nm = mentions.length;
    const c = claims && claims.local.length === nm && claims.lookup.length === nm && claims.ranks.length === nm ? claims : undefined;
    const size = 5 + nm * 8 + quotes.length * 6 + roles.length * 3 + problems.length * 4 + (c ? nm * 3 + c.contributions.length * 3 : 0);
    if (this.i + size > this.ints.length) {
      const next = new Int32Array(Math.max(this.i + size, this.ints.length * 2));
      next.set(this.ints);
      this.ints = next;
    }
    if (this.f + nm > this.floats.length) {
      const next = new Float64Array(Math.max(this.f + nm, this.floats.length * 2));
      next.set(this.floats);
      this.floats = next;
    }
    const { ints, floats, table } = this;
    let i = this.i;
    let f = this.f;
    ints[i++] = nm;
    ints[i++] = quotes.length;
    ints[i++] = roles.length;
    ints[i++] = problems.length;
    for (let k = 0; k < nm; k++) {
      const m = mentions[k];
      ints[i] = m.start;
      ints[i + 1] = m.end;
      ints[i + 2] = m.type === 'organisation' ? 1 : 0;
      const form = FORMS.indexOf(m.form);
      ints[i + 3] = form < 0 ? table.id(m.form) + FORMS.length : form;
      ints[i + 4] = table.id(m.name);
      ints[i + 5] = table.few(m.title);
      ints[i + 6] = table.id(m.expansion);
      ints[i + 7] = table.few(m.rule);
      floats[f++] = m.confidence;
      i += 8;
    }
    for (let k = 0; k < quotes.length; k++) {
      const q = quotes[k];
      const speaker = q.speaker;
      ints[i] = q.start;
      ints[i + 1] = q.end;
      ints[i + 2] = (speaker ? 1 : 0) | (q.continued !== undefined ? 2 : 0) | (q.continued ? 4 : 0);
      ints[i + 3] = speaker?.mention ?? NONE;
      ints[i + 4] = table.id(speaker?.descriptor);
      ints[i + 5] = table.few(speaker?.rule);
      i += 6;
    }
    for (let k = 0; k < roles.length; k++) {
      const r = roles[k];
      ints[i] = r.mention;
      ints[i + 1] = table.id(r.text);
      ints[i + 2] = table.few(r.rule);
      i += 3;
    }
    for (let k = 0; k < problems.length; k++) {
      const p = problems[k];
      ints[i] = table.id(p.message);
      ints[i + 1] = (p.start !== undefined ? 1 : 0) | (p.end !== undefined ? 2 : 0);
      ints[i + 2] = p.start ?? 0;
      ints[i + 3] = p.end ?? 0;
      i += 4;
    }
    if (c) {
      const { local, lookup, ranks, contributions } = c;
      ints[i++] = contributions.length;
      for (let k = 0; k < nm; k++) {
        ints[i] = table.own(local[k]);
        ints[i + 1] = table.own(lookup[k]);
        ints[i + 2] = ranks[k];
        i += 3;
      }
      for (let k = 0; k < contributions.length; k++) {
        const [lk, value, n] = contributions[k];
        ints[i] = table.own(lk);
        ints[i + 1] = table.own(value);
        ints[i + 2] = n;
        i += 3;
      }
    } else {
      ints[i++] = NONE;
    }
    if (i !== this.i + size) throw new Error(`analysis rows miscounted: ${i - this.i} of ${size}`);
    this.i = i;
    this.f = f;
  }

  /** The batch: rows at their exact length (copied once), its new strings, and where they continue the list. */
  finish(): EncodedAnalyses {
    const out: EncodedAnalyses = { ints: this.ints.slice(0, this.i), floats: this.floats.slice(0, this.f), strings: this.table.strings };
    if (this.list) {
      this.list.size += this.table.strings.length;
      out.base = this.base;
    }
    return out;
  }

  /** The batch will not be sent: the receiver never sees its strings, so the list must not claim it has them. */
  abandon(): void {
    if (this.list) for (const s of this.table.strings) this.list.ids.delete(s);
  }
}

/** A reader over one encoded batch: call `next(text)` once per document, in the order they were encoded. */
export class AnalysisReader {
  private i = 0;
  private f = 0;
  constructor(private readonly enc: EncodedAnalyses) {}

  /** Skips one document without building it (the cache uses this to index documents lazily). */
  skip(): void {
    const { ints } = this.enc;
    const nm = ints[this.i], nq = ints[this.i + 1], nr = ints[this.i + 2], np = ints[this.i + 3];
    this.i += 4 + nm * 8 + nq * 6 + nr * 3 + np * 4;
    const nc = ints[this.i++];
    if (nc !== NONE) this.i += nm * 3 + nc * 3;
    this.f += nm;
  }

  /** The position of the next document, for `at`. */
  get position(): [number, number] {
    return [this.i, this.f];
  }

  at(position: [number, number]): this {
    [this.i, this.f] = position;
    return this;
  }

  next(text: string): DocAnalysis {
    const { ints, floats, strings } = this.enc;
    let i = this.i;
    const nm = ints[i++], nq = ints[i++], nr = ints[i++], np = ints[i++];
    const mentions: Mention[] = new Array(nm);
    for (let k = 0; k < nm; k++) {
      const start = ints[i], end = ints[i + 1], form = ints[i + 3], title = ints[i + 5], expansion = ints[i + 6];
      const m: Mention = {
        start,
        end,
        text: text.slice(start, end),
        type: TYPES[ints[i + 2]],
        form: (form < FORMS.length ? FORMS[form] : strings[form - FORMS.length]) as NameForm,
        name: strings[ints[i + 4]],
        rule: strings[ints[i + 7]],
        confidence: floats[this.f++],
      };
      if (title !== NONE) m.title = strings[title];
      if (expansion !== NONE) m.expansion = strings[expansion];
      mentions[k] = m;
      i += 8;
    }
    const quotes: Quote[] = new Array(nq);
    for (let k = 0; k < nq; k++) {
      const start = ints[i], end = ints[i + 1], flags = ints[i + 2];
      const q: Quote = { start, end, text: text.slice(start, end) };
      if (flags & 1) {
        const speaker: Quote['speaker'] = { rule: strings[ints[i + 5]] };
        if (ints[i + 3] !== NONE) speaker.mention = ints[i + 3];
        if (ints[i + 4] !== NONE) speaker.descriptor = strings[ints[i + 4]];
        q.speaker = speaker;
      }
      if (flags & 2) q.continued = (flags & 4) !== 0;
      quotes[k] = q;
      i += 6;
    }
    const roles: Role[] = new Array(nr);
    for (let k = 0; k < nr; k++) {
      roles[k] = { mention: ints[i], text: strings[ints[i + 1]], rule: strings[ints[i + 2]] };
      i += 3;
    }
    const problems: Problem[] = new Array(np);
    for (let k = 0; k < np; k++) {
      const p: Problem = { message: strings[ints[i]] };
      if (ints[i + 1] & 1) p.start = ints[i + 2];
      if (ints[i + 1] & 2) p.end = ints[i + 3];
      problems[k] = p;
      i += 4;
    }
    const analysis: DocAnalysis = { mentions, quotes, roles, problems };
    const nc = ints[i++];
    if (nc !== NONE) {
      const local: (string | undefined)[] = new Array(nm);
      const lookup: (string | undefined)[] = new Array(nm);
      const ranks = new Uint8Array(nm);
      for (let k = 0; k < nm; k++) {
        const l = ints[i], lk = ints[i + 1];
        local[k] = l === NONE ? undefined : strings[l];
        lookup[k] = lk === NONE ? undefined : strings[lk];
        ranks[k] = ints[i + 2];
        i += 3;
      }
      const contributions: Array<[string, string, number]> = new Array(nc);
      for (let k = 0; k < nc; k++) {
        contributions[k] = [strings[ints[i]], strings[ints[i + 1]], ints[i + 2]];
        i += 3;
      }
      this.lastClaims = { local, lookup, contributions, ranks };
      attachClaims(analysis, this.lastClaims, text);
    } else {
      this.lastClaims = undefined;
    }
    this.i = i;
    return analysis;
  }

  /** The claims that came with the document `next` returned last (also attached to it: aliases.ts takeClaims). */
  lastClaims: DocClaims | undefined;

  /**
   * The next document as an analysis whose objects are made only if something reads them: the index builds its
   * store from the rows attached to it (core/analysisStore.ts attachEncoded), so that a scan never makes a Mention
   * object on the main thread. `own`: the batch's strings came in a message or from a file (see EncodedDoc).
   * Its claims are in the rows, not attached as objects; `lastClaims` is not set. `text` may be given as a function,
   * asked only if the objects are made (pool.ts decodes a worker's texts only when they are read).
   */
  lazy(text: string | (() => string), own = false): DocAnalysis {
    const { ints, floats, strings } = this.enc;
    const at: [number, number] = [this.i, this.f];
    this.skip();
    this.lastClaims = undefined;
    const enc = this.enc;
    let full: DocAnalysis | undefined;
    const get = () => (full ??= new AnalysisReader(enc).at(at).next(typeof text === 'string' ? text : text()));
    // Accessors in a literal: one shape for every such object, made as cheaply as a plain one.
    const analysis: DocAnalysis = {
      get mentions() {
        return get().mentions;
      },
      set mentions(v) {
        get().mentions = v;
      },
      get quotes() {
        return get().quotes;
      },
      set quotes(v) {
        get().quotes = v;
      },
      get roles() {
        return get().roles;
      },
      set roles(v) {
        get().roles = v;
      },
      get problems() {
        return get().problems;
      },
      set problems(v) {
        get().problems = v;
      },
    };
    attachEncoded(analysis, { ints, floats, strings, i: at[0], f: at[1], own });
    return analysis;
  }
}

/** Decodes a whole batch, given the documents' texts in encoding order. */
export function decodeAnalyses(enc: EncodedAnalyses, texts: readonly string[]): DocAnalysis[] {
  const reader = new AnalysisReader(enc);
  return texts.map((t) => reader.next(t));
}
