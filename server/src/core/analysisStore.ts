// A document's analysis as the index keeps it: one Int32Array of rows and a corpus-wide table of distinct strings.
//
// As objects, a mention costs about 180 bytes (the object, its text slice, a boxed confidence), and the text slices
// keep the whole document string alive; here it is seven integers (see MN). Names, rules, titles, mention texts and
// role texts repeat across the corpus and are stored once. Mention and Quote objects are built on demand (queries
// return a handful; the few that walk many mentions read the columns directly).

import type { DocAnalysis, Mention, NameForm, Problem, Quote, Role } from './model';
import { prefixLength } from './sorted';

const NONE = -1;
/** In a mention's text column: the text is the name (four mentions in five), which then needs no lookup. */
const SAME_AS_NAME = -2;
/**
 * A mention row: start, end, text, name, title | expansion, lookup, then `ATTRS`: its type, form, rank, confidence
 * and rule packed into one integer (type bit 0, form code bits 1–3, rank bits 4–6, confidence id bits 7–15, rule id
 * bits 16–31). 708,000 mentions at 100 MB of articles: 7 integers instead of 11 are 11 MB less of the server's rows.
 * A document with a value that does not fit (a form outside FORMS, a rank above 7, the 512th confidence or the
 * 65,536th string as a rule) keeps them in columns of their own (`WIDE`): type, form, rule, confidence, rank.
 */
const MN = 7;
const M = 11;
const ATTRS = 6;
/**
 * A quotation row: start, end, flags (bits 0–2) with its speaker mention + 1 above them, speaker descriptor, speaker
 * rule, max end so far (366,000 quotations at 100 MB of articles: 1.5 MB less than a column of its own). Wide rows
 * (a document with 2^27 mentions or more) keep the speaker mention in a seventh column.
 */
const QN = 6;
const Q = 7;
const R = 3; // role row: mention, text, rule
const HEAD = 3; // mention, quote and role counts; the role count's bit 30 says the rows are wide
const WIDE = 1 << 30;
/** Narrow rows hold mention indices below this (with room for the quotation's flags beside them). */
const NARROW_MENTIONS = 1 << 27;

/** The packed attributes (see MN), or -1 when a value does not fit them. `type` is 0 or 1. */
function packed(type: number, form: number, rank: number, confidence: number, rule: number): number {
  if (!(form >= 0 && form < 7 && rank >= 0 && rank < 8 && confidence >= 0 && confidence < 512 && rule >= 0 && rule < 65536)) return NONE;
  return (type | (form << 1) | (rank << 4) | (confidence << 7) | (rule << 16)) >>> 0;
}

/** Writes a mention's attributes at `o` (its row's start): packed, or in the wide row's columns. False: they do not
 *  fit a narrow row. */
function putAttrs(rows: Int32Array, o: number, wide: boolean, type: number, form: number, rank: number, confidence: number, rule: number): boolean {
  if (wide) {
    rows[o + ATTRS] = type;
    rows[o + 7] = form;
    rows[o + 8] = rule;
    rows[o + 9] = confidence;
    rows[o + 10] = rank;
    return true;
  }
  const x = packed(type, form, rank, confidence, rule);
  if (x === NONE) return false;
  rows[o + ATTRS] = x;
  return true;
}

/** Distinct strings of the corpus, each stored once, by number. Numbers are never reused: the table only grows,
 *  by the strings no document had before (a name typed while editing, say). */
export class StringTable {
  /** Each string's id; undefined until first needed when the list was filled without it (a restored snapshot: a
   *  reopened workspace that nobody edits never looks a string up, and the 46,000-entry map of a 100 MB corpus took
   *  a tenth of its restore). */
  private ids: Map<string, number> | undefined = new Map<string, number>();
  private readonly list: string[] = [];
  private readonly numbers: number[] = [];
  private readonly numberIds = new Map<number, number>();
  private lastNumber = NaN;
  private lastNumberId = NONE;

  /** `own`: the string is known not to be a slice of a longer one (decoded from a table of strings), so it needs
   *  no copy of its own. */
  id(s: string | undefined, own = false): number {
    if (s === undefined) return NONE;
    const ids = this.ids ?? this.indexList();
    let id = ids.get(s);
    if (id === undefined) {
      // A slice of a document would keep the whole document alive: store a copy of its own.
      const kept = own || s.length <= 12 ? s : flatCopy(s);
      id = this.list.length;
      this.list.push(kept);
      ids.set(kept, id);
    }
    return id;
  }

  /** The ids of a list filled directly (see `ids`). A string listed twice keeps its first id, as `id` gives it. */
  private indexList(): Map<string, number> {
    const ids = new Map<string, number>();
    const list = this.list;
    for (let k = 0; k < list.length; k++) if (!ids.has(list[k])) ids.set(list[k], k);
    this.ids = ids;
    return ids;
  }

  get(id: number): string {
    return this.list[id];
  }

  maybe(id: number): string | undefined {
    return id === NONE ? undefined : this.list[id];
  }

  numberId(x: number): number {
    // A handful of confidences recur: the last one asked for is usually asked for again.
    if (x === this.lastNumber) return this.lastNumberId;
    let id = this.numberIds.get(x);
    if (id === undefined) {
      id = this.numbers.length;
      this.numbers.push(x);
      this.numberIds.set(x, id);
    }
    this.lastNumber = x;
    this.lastNumberId = id;
    return id;
  }

  number(id: number): number {
    return this.numbers[id];
  }

  get size(): number {
    return this.list.length;
  }

  /** Ids of a batch's string list (analysisCodec.ts), filled as they are asked for: each distinct string of a batch is
   *  looked up in the table once, however many documents and rows use it. -1: not looked up yet. */
  batchIds(list: readonly string[]): Int32Array {
    let ids = this.batches.get(list);
    // A worker's list grows with every batch it sends (analysisCodec.ts StringList): so does its memo.
    if (!ids || ids.length < list.length) {
      const grown = new Int32Array(Math.max(list.length, (ids?.length ?? 0) * 2)).fill(NONE);
      if (ids) grown.set(ids);
      this.batches.set(list, (ids = grown));
    }
    return ids;
  }
  private batches = new WeakMap<readonly string[], Int32Array>();
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** A flat string of its own (one byte per character when it can be), never a slice of a longer one. */
const flatCopy = (s: string) => ((s as { isWellFormed?: () => boolean }).isWellFormed?.() === false ? [...s].join('') : decoder.decode(encoder.encode(s)));

const FORMS: readonly NameForm[] = ['full', 'titled', 'family', 'given', 'handle', 'acronym', 'name'];
const formOf = (x: number, strings: StringTable) => (x < FORMS.length ? FORMS[x] : (strings.get(x - FORMS.length) as NameForm));

/** Something that slices the document's text (a string or docText.ts DocText). */
export interface TextSlicer {
  slice(start: number, end: number): string;
}

/**
 * One document's analysis as rows of a batch in the layout of node/analysisCodec.ts (a worker's reply, the cache):
 * per document the mention, quote, role and problem counts; mentions (start, end, type, form, name, title, expansion,
 * rule; the confidence in `floats`), quotes (start, end, flags, speaker mention, descriptor, rule), roles (mention,
 * text, rule), problems (message, flags, start, end); then the claims' count of contributions, or -1 when there are
 * no claims; then per mention (local key, lookup key, rank) and the contributions (lookup key, value, count).
 * String columns index `strings`, -1 for none. test/server/core/analysisStore.test.ts checks it against the codec.
 */
export interface EncodedDoc {
  ints: Int32Array;
  floats: Float64Array;
  strings: readonly string[];
  /** Where the document starts in `ints` and in `floats`. */
  i: number;
  f: number;
  /** No string of `strings` is a slice of a longer one (they came in a message or from a file): none needs a copy. */
  own?: boolean;
}

/** A document's alias claims (aliases.ts DocClaims) with every string as its id in the index's string table. */
export interface ClaimIds {
  /** Per mention: the group key when the document alone decides it, else -1. */
  local: Int32Array;
  /** Per mention: the lookup key deciding it, else -1. */
  lookup: Int32Array;
  /** Contributions to the lookup tables as triples: lookup key, value, count. */
  contributions: Int32Array;
}

// The rows a DocAnalysis was decoded from lazily (analysisCodec.ts): the index builds its store from them and never
// makes the Mention objects. Weak, like the claims that travel with an analysis (aliases.ts attachClaims).
const encodedDocs = new WeakMap<object, EncodedDoc>();

export function attachEncoded(analysis: DocAnalysis, doc: EncodedDoc): void {
  encodedDocs.set(analysis, doc);
}

/** The rows attached to this very analysis object, if any; detached, so that they are not kept with it. */
export function takeEncoded(analysis: DocAnalysis): EncodedDoc | undefined {
  const d = encodedDocs.get(analysis);
  if (d) encodedDocs.delete(analysis);
  return d;
}

// Rows of documents stored from a batch are views into shared slabs: a typed array of its own per document cost
// about 500 bytes besides its rows and an allocation outside the heap each (which also hastens garbage collection).
// A slab lives while any of its documents does; documents replaced one by one (edits) leave holes until then.
const SLAB = 1 << 16;

interface Slab {
  ints?: Int32Array;
  at: number;
}
const kept: Slab = { at: 0 };
/** The claims' arrays, short-lived: apart from the rows, so that they do not keep a slab of rows alive. */
const passing: Slab = { at: 0 };

function slabRows(n: number, from = kept): Int32Array {
  if (n > SLAB >> 3) return new Int32Array(n);
  if (!from.ints || from.at + n > SLAB) {
    from.ints = new Int32Array(SLAB);
    from.at = 0;
  }
  const rows = from.ints.subarray(from.at, from.at + n);
  from.at += n;
  return rows;
}

/** Gives rows back to the slab they were just cut from (a document that is stored another way after all). */
function unslab(rows: Int32Array, from = kept): void {
  if (from.ints && rows.buffer === from.ints.buffer && rows.byteOffset + rows.byteLength === 4 * from.at) from.at -= rows.length;
}

/** text.startsWith(part, at) without the call: the common case of a mention whose text is its name. */
function sameChars(text: string, at: number, part: string): boolean {
  for (let k = 0; k < part.length; k++) if (part.charCodeAt(k) !== text.charCodeAt(at + k)) return false;
  return true;
}

/** fromRows' answer for rows whose mentions do not fit narrow rows: build them wide. */
const RETRY_WIDE = 0;

export class AnalysisStore {
  /** The mention row's length: MN, or M for wide rows. */
  private readonly m: number;

  /**
   * `data` holds the rows from `at`: a slab shared with other documents (their rows as a view each cost ~130 bytes
   * of the server's heap per document, 2.9 MB at 100 MB of articles), or the rows alone (at 0).
   */
  private constructor(
    private readonly data: Int32Array,
    private readonly strings: StringTable,
    private readonly problemList: Problem[] | undefined,
    private readonly at = 0,
  ) {
    this.m = data[at + 2] & WIDE ? M : MN;
  }

  /** The document's rows, exactly (indexSnapshot.ts writes them as they are): a view made for the caller. */
  private get rows(): Int32Array {
    const n = this.length;
    return this.at === 0 && this.data.length === n ? this.data : this.data.subarray(this.at, this.at + n);
  }

  private get length(): number {
    return HEAD + this.mentionCount * this.m + this.quoteCount * this.q + this.roleCount * R;
  }

  /** The quotation row's length: QN with narrow rows, Q with wide ones. */
  private get q(): number {
    return this.m === MN ? QN : Q;
  }

  /** `ranks`: how full a form each mention is (aliases.ts formRank), kept beside it for the index. */
  /** `tabled`: every string but the mentions' and quotations' texts comes from a table of strings, not from slicing
   *  the document (analyses decoded by analysisCodec.ts), so none needs a copy of its own. */
  static from(a: DocAnalysis, strings: StringTable, ranks?: ArrayLike<number>, tabled = false): AnalysisStore {
    return AnalysisStore.fromObjects(a, strings, ranks, tabled, false) ?? AnalysisStore.fromObjects(a, strings, ranks, tabled, true)!;
  }

  private static fromObjects(a: DocAnalysis, strings: StringTable, ranks: ArrayLike<number> | undefined, tabled: boolean, wide: boolean): AnalysisStore | undefined {
    const nm = a.mentions.length;
    const nq = a.quotes.length;
    const nr = a.roles.length;
    const m = wide ? M : MN;
    const q = wide ? Q : QN;
    if (!wide && nm >= NARROW_MENTIONS) return undefined;
    const rows = new Int32Array(HEAD + nm * m + nq * q + nr * R);
    rows[0] = nm;
    rows[1] = nq;
    rows[2] = nr | (wide ? WIDE : 0);
    let i = HEAD;
    for (let k = 0; k < nm; k++, i += m) {
      const x = a.mentions[k];
      rows[i] = x.start;
      rows[i + 1] = x.end;
      rows[i + 2] = x.text === x.name ? SAME_AS_NAME : strings.id(x.text);
      rows[i + 3] = strings.id(x.name, tabled);
      // Hardly any mention has both a title and an expansion; those that do keep them as a pair string.
      rows[i + 4] =
        x.expansion === undefined
          ? x.title === undefined
            ? NONE
            : strings.id(x.title, tabled) * 4 + 1
          : x.title === undefined
            ? strings.id(x.expansion, tabled) * 4 + 2
            : strings.id(JSON.stringify([x.title, x.expansion])) * 4 + 3;
      rows[i + 5] = NONE;
      const form = FORMS.indexOf(x.form);
      const formCode = form >= 0 ? form : FORMS.length + strings.id(x.form);
      const fits = putAttrs(rows, i, wide, x.type === 'organisation' ? 1 : 0, formCode, ranks ? ranks[k] : 6, strings.numberId(x.confidence), strings.id(x.rule, tabled));
      if (!fits) return undefined;
    }
    let maxEnd = -1;
    for (const x of a.quotes) {
      maxEnd = Math.max(maxEnd, x.end);
      const flags = (x.speaker ? 1 : 0) | (x.continued !== undefined ? 2 : 0) | (x.continued ? 4 : 0);
      const sm = x.speaker?.mention ?? NONE;
      rows[i] = x.start;
      rows[i + 1] = x.end;
      if (wide) {
        rows[i + 2] = flags;
        rows[i + 6] = sm;
      } else if (Number.isInteger(sm) && sm >= NONE && sm < NARROW_MENTIONS) rows[i + 2] = flags | ((sm + 1) << 3);
      else return undefined;
      rows[i + 3] = strings.id(x.speaker?.descriptor, tabled);
      rows[i + 4] = strings.id(x.speaker?.rule, tabled);
      rows[i + 5] = maxEnd;
      i += q;
    }
    for (const r of a.roles) {
      rows[i] = r.mention;
      rows[i + 1] = strings.id(r.text, tabled);
      rows[i + 2] = strings.id(r.rule, tabled);
      i += R;
    }
    return new AnalysisStore(rows, strings, a.problems.length ? a.problems : undefined);
  }

  /**
   * The store of an encoded document (see EncodedDoc) whose mention and quotation texts are slices of `text`, with
   * its claims as string ids, straight from the rows: no Mention objects, and each distinct string of the batch looked
   * up once (StringTable.batchIds). Undefined when the rows are not exactly what `from` would accept unchanged (a span
   * out of bounds or out of order, an index out of range, no claims): the caller then takes the slow, repairing way.
   */
  static fromRows(src: EncodedDoc, text: string, strings: StringTable): { store: AnalysisStore; claims: ClaimIds } | undefined {
    const narrow = AnalysisStore.fromRowsAs(src, text, strings, false);
    return narrow === RETRY_WIDE ? (AnalysisStore.fromRowsAs(src, text, strings, true) || undefined) : narrow;
  }

  private static fromRowsAs(src: EncodedDoc, text: string, strings: StringTable, wide: boolean): { store: AnalysisStore; claims: ClaimIds } | undefined | typeof RETRY_WIDE {
    const { ints, floats } = src;
    const list = src.strings;
    const ns = list.length;
    const ids = strings.batchIds(list);
    const own = src.own === true;
    let bad = false;
    const sid = (k: number): number => {
      if (k === NONE) return NONE;
      if (!(k >= 0 && k < ns)) {
        bad = true;
        return NONE;
      }
      let id = ids[k];
      if (!(id >= 0)) ids[k] = id = strings.id(list[k], own);
      return id;
    };
    let i = src.i;
    let f = src.f;
    const nm = ints[i], nq = ints[i + 1], nr = ints[i + 2], np = ints[i + 3];
    if (!(nm >= 0 && nq >= 0 && nr >= 0 && np >= 0) || i + 4 + nm * 8 + nq * 6 + nr * 3 + np * 4 >= ints.length || nr >= WIDE) return undefined;
    if (!wide && nm >= NARROW_MENTIONS) return RETRY_WIDE;
    i += 4;
    const len = text.length;
    const m = wide ? M : MN;
    const q = wide ? Q : QN;
    const rows = slabRows(HEAD + nm * m + nq * q + nr * R);
    rows[0] = nm;
    rows[1] = nq;
    rows[2] = nr | (wide ? WIDE : 0);
    let o = HEAD;
    let prevEnd = 0;
    for (let k = 0; k < nm; k++, i += 8, o += m) {
      const start = ints[i], end = ints[i + 1], name = ints[i + 4], title = ints[i + 5], expansion = ints[i + 6];
      if (!(start >= prevEnd && start < end && end <= len) || !(name >= 0 && name < ns)) return undefined;
      prevEnd = end;
      const nameText = list[name];
      rows[o] = start;
      rows[o + 1] = end;
      rows[o + 2] = nameText.length === end - start && sameChars(text, start, nameText) ? SAME_AS_NAME : strings.id(text.slice(start, end));
      rows[o + 3] = sid(name);
      rows[o + 4] =
        expansion === NONE
          ? title === NONE
            ? NONE
            : sid(title) * 4 + 1
          : title === NONE
            ? sid(expansion) * 4 + 2
            : strings.id(JSON.stringify([list[title], list[expansion]])) * 4 + 3;
      rows[o + 5] = NONE;
      const form = ints[i + 3];
      if (form < 0) return undefined;
      const formCode = form < FORMS.length ? form : FORMS.length + sid(form - FORMS.length);
      // The rank comes with the claims, below; 6 until then.
      if (!putAttrs(rows, o, wide, ints[i + 2] === 1 ? 1 : 0, formCode, 6, strings.numberId(floats[f++]), sid(ints[i + 7]))) {
        unslab(rows);
        return RETRY_WIDE;
      }
    }
    let maxEnd = -1;
    let prevStart = -1;
    for (let k = 0; k < nq; k++, i += 6, o += q) {
      const start = ints[i], end = ints[i + 1], flags = ints[i + 2] & 7;
      if (!(start >= 0 && start < end && end <= len && start >= prevStart)) return undefined;
      prevStart = start;
      maxEnd = Math.max(maxEnd, end);
      rows[o] = start;
      rows[o + 1] = end;
      rows[o + 5] = maxEnd;
      let sm = NONE;
      if (flags & 1) {
        sm = ints[i + 3];
        if (sm !== NONE && !(sm >= 0 && sm < nm)) return undefined;
        rows[o + 3] = sid(ints[i + 4]);
        rows[o + 4] = sid(ints[i + 5]);
      } else {
        rows[o + 3] = NONE;
        rows[o + 4] = NONE;
      }
      if (wide) {
        rows[o + 2] = flags;
        rows[o + 6] = sm;
      } else rows[o + 2] = flags | ((sm + 1) << 3);
    }
    for (let k = 0; k < nr; k++, i += 3, o += R) {
      const mi = ints[i];
      if (!(mi >= 0 && mi < nm) || ints[i + 1] === NONE) return undefined;
      rows[o] = mi;
      rows[o + 1] = sid(ints[i + 1]);
      rows[o + 2] = sid(ints[i + 2]);
    }
    let problems: Problem[] | undefined;
    for (let k = 0; k < np; k++, i += 4) {
      const message = ints[i];
      if (!(message >= 0 && message < ns)) return undefined;
      const p: Problem = { message: list[message] };
      if (ints[i + 1] & 1) p.start = ints[i + 2];
      if (ints[i + 1] & 2) p.end = ints[i + 3];
      (problems ??= []).push(p);
    }
    const nc = ints[i++];
    if (!(nc >= 0) || i + nm * 3 + nc * 3 > ints.length) return undefined;
    const local = slabRows(nm, passing);
    const lookup = slabRows(nm, passing);
    for (let k = 0, at = HEAD; k < nm; k++, i += 3, at += m) {
      local[k] = sid(ints[i]);
      lookup[k] = sid(ints[i + 1]);
      const rank = ints[i + 2] & 255;
      if (wide) rows[at + 10] = rank;
      else if (rank < 8) rows[at + ATTRS] = (rows[at + ATTRS] & ~(7 << 4)) | (rank << 4);
      else {
        unslab(rows);
        return RETRY_WIDE;
      }
    }
    const contributions = slabRows(nc * 3, passing);
    for (let k = 0; k < nc * 3; k += 3, i += 3) {
      contributions[k] = sid(ints[i]);
      contributions[k + 1] = sid(ints[i + 1]);
      contributions[k + 2] = ints[i + 2];
      if (contributions[k] === NONE || contributions[k + 1] === NONE) return undefined;
    }
    if (bad) return undefined;
    const slab = kept.ints;
    const store = slab && rows.buffer === slab.buffer ? new AnalysisStore(slab, strings, problems, rows.byteOffset >> 2) : new AnalysisStore(rows, strings, problems);
    return { store, claims: { local, lookup, contributions } };
  }

  get mentionCount(): number {
    return this.data[this.at];
  }

  get quoteCount(): number {
    return this.data[this.at + 1];
  }

  get roleCount(): number {
    return this.data[this.at + 2] & (WIDE - 1);
  }

  get problems(): Problem[] {
    return this.problemList ? this.problemList.slice() : [];
  }

  // Mentions ------------------------------------------------------------------------------------------------------

  /** Where mention i's row starts in `data`. */
  private row(i: number): number {
    return this.at + HEAD + i * this.m;
  }

  start(i: number): number {
    return this.data[this.row(i)];
  }

  end(i: number): number {
    return this.data[this.row(i) + 1];
  }

  type(i: number): Mention['type'] {
    return (this.data[this.row(i) + ATTRS] & 1) === 1 ? 'organisation' : 'person';
  }

  private formCode(at: number): number {
    return this.m === MN ? (this.data[at + ATTRS] >> 1) & 7 : this.data[at + 7];
  }

  private ruleId(at: number): number {
    return this.m === MN ? this.data[at + ATTRS] >>> 16 : this.data[at + 8];
  }

  private confidenceId(at: number): number {
    return this.m === MN ? (this.data[at + ATTRS] >> 7) & 511 : this.data[at + 9];
  }

  form(i: number): NameForm {
    return formOf(this.formCode(this.row(i)), this.strings);
  }

  name(i: number): string {
    return this.strings.get(this.data[this.row(i) + 3]);
  }

  title(i: number): string | undefined {
    const x = this.data[this.row(i) + 4];
    if (x === NONE || (x & 3) === 2) return undefined;
    const s = this.strings.get(x >> 2);
    return (x & 3) === 1 ? s : (JSON.parse(s) as [string, string])[0];
  }

  expansion(i: number): string | undefined {
    const x = this.data[this.row(i) + 4];
    if (x === NONE || (x & 3) === 1) return undefined;
    const s = this.strings.get(x >> 2);
    return (x & 3) === 2 ? s : (JSON.parse(s) as [string, string])[1];
  }

  /** How full a form the mention is (aliases.ts formRank), as given to `from`. */
  rank(i: number): number {
    const at = this.row(i);
    return this.m === MN ? (this.data[at + ATTRS] >> 4) & 7 : this.data[at + 10];
  }

  /** A number the index gives the mention (its lookup key's position in the document's list), or -1. */
  lookup(i: number): number {
    return this.data[this.row(i) + 5];
  }

  setLookup(i: number, k: number): void {
    this.data[this.row(i) + 5] = k;
  }

  /** The mention, as a new object. */
  mention(i: number): Mention {
    const r = this.data;
    const at = this.row(i);
    const m: Mention = {
      start: r[at],
      end: r[at + 1],
      text: this.strings.get(r[at + 2] === SAME_AS_NAME ? r[at + 3] : r[at + 2]),
      type: (r[at + ATTRS] & 1) === 1 ? 'organisation' : 'person',
      form: formOf(this.formCode(at), this.strings),
      name: this.strings.get(r[at + 3]),
      rule: this.strings.get(this.ruleId(at)),
      confidence: this.strings.number(this.confidenceId(at)),
    };
    if (r[at + 4] !== NONE) {
      const title = this.title(i);
      const expansion = this.expansion(i);
      if (title !== undefined) m.title = title;
      if (expansion !== undefined) m.expansion = expansion;
    }
    return m;
  }

  /** The index of the last mention starting at or before the offset, or -1. */
  lastMentionFrom(offset: number): number {
    return prefixLength(this.mentionCount, (i) => this.start(i) <= offset) - 1;
  }

  // Quotes --------------------------------------------------------------------------------------------------------

  private qat(j: number): number {
    return this.at + HEAD + this.data[this.at] * this.m + j * this.q;
  }

  quoteStart(j: number): number {
    return this.data[this.qat(j)];
  }

  quoteEnd(j: number): number {
    return this.data[this.qat(j) + 1];
  }

  /** The largest end of quotations 0..j: lets a search for the quotations around an offset stop early. */
  quoteMaxEnd(j: number): number {
    return this.data[this.qat(j) + 5];
  }

  /** The mention naming the quotation's speaker, or -1. */
  speakerOf(j: number): number {
    const at = this.qat(j);
    return this.data[at + 2] & 1 ? this.speakerAt(at) : NONE;
  }

  private speakerAt(at: number): number {
    return this.m === MN ? (this.data[at + 2] >> 3) - 1 : this.data[at + 6];
  }

  /** The quotation, as a new object; its text is sliced from the document's. */
  quote(j: number, text: TextSlicer): Quote {
    const r = this.data;
    const at = this.qat(j);
    const flags = r[at + 2] & 7;
    const q: Quote = { start: r[at], end: r[at + 1], text: text.slice(r[at], r[at + 1]) };
    if (flags & 1) {
      const speaker: NonNullable<Quote['speaker']> = { rule: this.strings.get(r[at + 4]) };
      const sm = this.speakerAt(at);
      if (sm !== NONE) speaker.mention = sm;
      if (r[at + 3] !== NONE) speaker.descriptor = this.strings.get(r[at + 3]);
      q.speaker = speaker;
    }
    if (flags & 2) q.continued = (flags & 4) !== 0;
    return q;
  }

  /** The index of the last quotation starting at or before the offset, or -1. */
  lastQuoteFrom(offset: number): number {
    return prefixLength(this.quoteCount, (j) => this.quoteStart(j) <= offset) - 1;
  }

  // Roles ---------------------------------------------------------------------------------------------------------

  private rat(k: number): number {
    return this.at + HEAD + this.data[this.at] * this.m + this.data[this.at + 1] * this.q + k * R;
  }

  roleMention(k: number): number {
    return this.data[this.rat(k)];
  }

  roleText(k: number): string {
    return this.strings.get(this.data[this.rat(k) + 1]);
  }

  role(k: number): Role {
    const at = this.rat(k);
    return { mention: this.data[at], text: this.strings.get(this.data[at + 1]), rule: this.strings.get(this.data[at + 2]) };
  }

  // Whole ---------------------------------------------------------------------------------------------------------

  mentions(): Mention[] {
    const out = new Array<Mention>(this.mentionCount);
    for (let i = 0; i < out.length; i++) out[i] = this.mention(i);
    return out;
  }

  quotes(text: TextSlicer): Quote[] {
    const out = new Array<Quote>(this.quoteCount);
    for (let j = 0; j < out.length; j++) out[j] = this.quote(j, text);
    return out;
  }

  roles(): Role[] {
    const out = new Array<Role>(this.roleCount);
    for (let k = 0; k < out.length; k++) out[k] = this.role(k);
    return out;
  }

  /** The analysis, rebuilt as objects (equal to the one stored). */
  toAnalysis(text: TextSlicer): DocAnalysis {
    return { mentions: this.mentions(), quotes: this.quotes(text), roles: this.roles(), problems: this.problems };
  }

  /** Memory held by the rows, in bytes (the shared strings not included). */
  get byteSize(): number {
    return this.length * 4;
  }

  /** Whether the mentions' attributes are kept in columns of their own (a value did not fit the packed row). */
  get wide(): boolean {
    return this.m === M;
  }
}
