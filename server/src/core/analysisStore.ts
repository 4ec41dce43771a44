// A document's analysis as the index keeps it: one Int32Array of rows and a corpus-wide table of distinct strings.
//
// As objects, a mention costs about 180 bytes (the object, its text slice, a boxed confidence), and the text slices
// keep the whole document string alive; here it is nine integers. Names, rules, titles, mention texts and role texts
// repeat across the corpus and are stored once. Mention and Quote objects are built on demand (queries return a
// handful; the few that walk many mentions read the columns directly).

import type { DocAnalysis, Mention, NameForm, Problem, Quote, Role } from './model';
import { prefixLength } from './sorted';

const NONE = -1;
/** In a mention's text column: the text is the name (four mentions in five), which then needs no lookup. */
const SAME_AS_NAME = -2;
const M = 11; // mention row: start, end, text, type, form, name, rule, confidence, title | expansion, rank, lookup
const Q = 7; // quote row: start, end, flags, speaker mention, speaker descriptor, speaker rule, max end so far
const R = 3; // role row: mention, text, rule
const HEAD = 3; // mention, quote and role counts

/** Distinct strings of the corpus, each stored once, by number. Numbers are never reused: the table only grows,
 *  by the strings no document had before (a name typed while editing, say). */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];
  private readonly numbers: number[] = [];
  private readonly numberIds = new Map<number, number>();
  private lastNumber = NaN;
  private lastNumberId = NONE;

  /** `own`: the string is known not to be a slice of a longer one (decoded from a table of strings), so it needs
   *  no copy of its own. */
  id(s: string | undefined, own = false): number {
    if (s === undefined) return NONE;
    let id = this.ids.get(s);
    if (id === undefined) {
      // A slice of a document would keep the whole document alive: store a copy of its own.
      const kept = own || s.length <= 12 ? s : flatCopy(s);
      id = this.list.length;
      this.list.push(kept);
      this.ids.set(kept, id);
    }
    return id;
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

export class AnalysisStore {
  private constructor(
    private readonly rows: Int32Array,
    private readonly strings: StringTable,
    private readonly problemList: Problem[] | undefined,
  ) {}

  /** `ranks`: how full a form each mention is (aliases.ts formRank), kept beside it for the index. */
  /** `tabled`: every string but the mentions' and quotations' texts comes from a table of strings, not from slicing
   *  the document (analyses decoded by analysisCodec.ts), so none needs a copy of its own. */
  static from(a: DocAnalysis, strings: StringTable, ranks?: ArrayLike<number>, tabled = false): AnalysisStore {
    const nm = a.mentions.length;
    const nq = a.quotes.length;
    const nr = a.roles.length;
    const rows = new Int32Array(HEAD + nm * M + nq * Q + nr * R);
    rows[0] = nm;
    rows[1] = nq;
    rows[2] = nr;
    let i = HEAD;
    for (const m of a.mentions) {
      rows[i] = m.start;
      rows[i + 1] = m.end;
      rows[i + 2] = m.text === m.name ? SAME_AS_NAME : strings.id(m.text);
      rows[i + 3] = m.type === 'organisation' ? 1 : 0;
      const form = FORMS.indexOf(m.form);
      rows[i + 4] = form >= 0 ? form : FORMS.length + strings.id(m.form);
      rows[i + 5] = strings.id(m.name, tabled);
      rows[i + 6] = strings.id(m.rule, tabled);
      rows[i + 7] = strings.numberId(m.confidence);
      // Hardly any mention has both a title and an expansion; those that do keep them as a pair string.
      rows[i + 8] =
        m.expansion === undefined
          ? m.title === undefined
            ? NONE
            : strings.id(m.title, tabled) * 4 + 1
          : m.title === undefined
            ? strings.id(m.expansion, tabled) * 4 + 2
            : strings.id(JSON.stringify([m.title, m.expansion])) * 4 + 3;
      rows[i + 9] = ranks ? ranks[(i - HEAD) / M] : 6;
      rows[i + 10] = NONE;
      i += M;
    }
    let maxEnd = -1;
    for (const q of a.quotes) {
      maxEnd = Math.max(maxEnd, q.end);
      rows[i + 6] = maxEnd;
      rows[i] = q.start;
      rows[i + 1] = q.end;
      rows[i + 2] = (q.speaker ? 1 : 0) | (q.continued !== undefined ? 2 : 0) | (q.continued ? 4 : 0);
      rows[i + 3] = q.speaker?.mention ?? NONE;
      rows[i + 4] = strings.id(q.speaker?.descriptor, tabled);
      rows[i + 5] = strings.id(q.speaker?.rule, tabled);
      i += Q;
    }
    for (const r of a.roles) {
      rows[i] = r.mention;
      rows[i + 1] = strings.id(r.text, tabled);
      rows[i + 2] = strings.id(r.rule, tabled);
      i += R;
    }
    return new AnalysisStore(rows, strings, a.problems.length ? a.problems : undefined);
  }

  get mentionCount(): number {
    return this.rows[0];
  }

  get quoteCount(): number {
    return this.rows[1];
  }

  get roleCount(): number {
    return this.rows[2];
  }

  get problems(): Problem[] {
    return this.problemList ? this.problemList.slice() : [];
  }

  // Mentions ------------------------------------------------------------------------------------------------------

  start(i: number): number {
    return this.rows[HEAD + i * M];
  }

  end(i: number): number {
    return this.rows[HEAD + i * M + 1];
  }

  type(i: number): Mention['type'] {
    return this.rows[HEAD + i * M + 3] === 1 ? 'organisation' : 'person';
  }

  form(i: number): NameForm {
    return formOf(this.rows[HEAD + i * M + 4], this.strings);
  }

  name(i: number): string {
    return this.strings.get(this.rows[HEAD + i * M + 5]);
  }

  title(i: number): string | undefined {
    const x = this.rows[HEAD + i * M + 8];
    if (x === NONE || (x & 3) === 2) return undefined;
    const s = this.strings.get(x >> 2);
    return (x & 3) === 1 ? s : (JSON.parse(s) as [string, string])[0];
  }

  expansion(i: number): string | undefined {
    const x = this.rows[HEAD + i * M + 8];
    if (x === NONE || (x & 3) === 1) return undefined;
    const s = this.strings.get(x >> 2);
    return (x & 3) === 2 ? s : (JSON.parse(s) as [string, string])[1];
  }

  /** How full a form the mention is (aliases.ts formRank), as given to `from`. */
  rank(i: number): number {
    return this.rows[HEAD + i * M + 9];
  }

  /** A number the index gives the mention (its lookup key's position in the document's list), or -1. */
  lookup(i: number): number {
    return this.rows[HEAD + i * M + 10];
  }

  setLookup(i: number, k: number): void {
    this.rows[HEAD + i * M + 10] = k;
  }

  /** The mention, as a new object. */
  mention(i: number): Mention {
    const r = this.rows;
    const at = HEAD + i * M;
    const m: Mention = {
      start: r[at],
      end: r[at + 1],
      text: this.strings.get(r[at + 2] === SAME_AS_NAME ? r[at + 5] : r[at + 2]),
      type: r[at + 3] === 1 ? 'organisation' : 'person',
      form: formOf(r[at + 4], this.strings),
      name: this.strings.get(r[at + 5]),
      rule: this.strings.get(r[at + 6]),
      confidence: this.strings.number(r[at + 7]),
    };
    if (r[at + 8] !== NONE) {
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
    return HEAD + this.rows[0] * M + j * Q;
  }

  quoteStart(j: number): number {
    return this.rows[this.qat(j)];
  }

  quoteEnd(j: number): number {
    return this.rows[this.qat(j) + 1];
  }

  /** The largest end of quotations 0..j: lets a search for the quotations around an offset stop early. */
  quoteMaxEnd(j: number): number {
    return this.rows[this.qat(j) + 6];
  }

  /** The mention naming the quotation's speaker, or -1. */
  speakerOf(j: number): number {
    const at = this.qat(j);
    return this.rows[at + 2] & 1 ? this.rows[at + 3] : NONE;
  }

  /** The quotation, as a new object; its text is sliced from the document's. */
  quote(j: number, text: TextSlicer): Quote {
    const r = this.rows;
    const at = this.qat(j);
    const flags = r[at + 2];
    const q: Quote = { start: r[at], end: r[at + 1], text: text.slice(r[at], r[at + 1]) };
    if (flags & 1) {
      const speaker: NonNullable<Quote['speaker']> = { rule: this.strings.get(r[at + 5]) };
      if (r[at + 3] !== NONE) speaker.mention = r[at + 3];
      if (r[at + 4] !== NONE) speaker.descriptor = this.strings.get(r[at + 4]);
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
    return HEAD + this.rows[0] * M + this.rows[1] * Q + k * R;
  }

  roleMention(k: number): number {
    return this.rows[this.rat(k)];
  }

  roleText(k: number): string {
    return this.strings.get(this.rows[this.rat(k) + 1]);
  }

  role(k: number): Role {
    const at = this.rat(k);
    return { mention: this.rows[at], text: this.strings.get(this.rows[at + 1]), rule: this.strings.get(this.rows[at + 2]) };
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
    return this.rows.byteLength;
  }
}
