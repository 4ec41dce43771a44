// A document's text as the index keeps it: UTF-8 bytes decoded on demand, or, when the host can give the text back
// (the open document, the file on disk), only its line table.
//
// A JavaScript string with a single character above U+00FF (a curly quote, a dash) stores every character in two
// bytes, so a news corpus held as strings costs nearly twice its size; as UTF-8 it costs its size; not held at all,
// it costs its line table. Offsets stay UTF-16 code units everywhere: a table of checkpoints (UTF-16 offset → byte
// offset, at every line start and at least every few hundred bytes) lets a slice decode only the bytes around it.
// Line starts and ends serve positions.ts, so no document is read or decoded in full to answer a position.

import { lineBreaks, type LineTable } from './positions';
import { prefixLength } from './sorted';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Most documents are encoded through one reusable buffer and copied out at their exact size. */
let scratch = new Uint8Array(1 << 16);
const SCRATCH_MAX = 1 << 20;
/** Bytes between slicing checkpoints within a line: bounds what a slice decodes beyond itself. */
const STRIDE = 512;

/** Gives a document's current text back (the host reads its overlay or the disk), by the key the document was given
 *  with it; undefined when it cannot. One function serves every document: a closure per document (over its key) cost
 *  ~100 bytes each, 2.3 MB of the server's heap at 100 MB of articles. */
export type FetchText = (key: string) => string | undefined;

/**
 * Line tables and checkpoints are cut from shared slabs of 1 MB: a typed array of its own costs ~500 bytes of memory
 * besides its contents (its backing store, extension and allocation), more than a typical article's table (~340
 * bytes; 22,535 documents: 7.6 MB of tables, and another 11 MB for every array kept per document). A slab lives as long as
 * any table cut from it: documents replaced since (edits, changed files) leave their part unused, at most a slab per
 * table still in use, and in practice the slab being filled.
 */
const SLAB = 1 << 18;
/** Larger tables get an array of their own: a slab should not be kept for one of them. */
const SLAB_MAX = SLAB >> 5;
let slab = new Uint32Array(0);
let slabAt = 0;
/** Where the last `take` cut its array from: the slab (or the table's own array) and the offset in it. */
let tookFrom = slab;
let tookAt = 0;
const take = (n: number): Uint32Array => {
  if (n > SLAB_MAX) {
    tookAt = 0;
    return (tookFrom = new Uint32Array(n));
  }
  if (slabAt + n > slab.length) {
    slab = new Uint32Array(SLAB);
    slabAt = 0;
  }
  slabAt += n;
  tookFrom = slab;
  tookAt = slabAt - n;
  return slab.subarray(slabAt - n, slabAt);
};

/** Texts fetched lately, most recent last: a request slices several quotations of one document in a row. */
const fetched = new Map<DocText, string>();
const FETCHED_MAX = 16;

export class DocText implements LineTable {
  /** The UTF-8 bytes, when the text is held that way. */
  private readonly bytes?: Uint8Array;
  /** The text as a string: it has lone surrogates, which UTF-8 cannot hold. */
  private readonly raw?: string;
  /** Neither held: the host gives the text back on demand, by `key`. */
  private readonly fetch?: FetchText;
  private readonly key: string;
  /** With `fetch`: a fingerprint of the text as indexed (see `fingerprint`). */
  private print = 0;
  readonly length: number;
  /**
   * The line table of a text not held: `lineCount` starts then as many ends, at `tableAt` in `table`, which is a slab
   * shared with other documents' tables (or the table's own array); a negative `lineCount`: that many starts only, each
   * line ending one character before the next starts (see `endsOf`). No views of its own until positions are asked
   * for: two views and an object per document were ~230 bytes each, 5.2 MB of the server's heap at 100 MB of articles.
   */
  private table?: Uint32Array;
  private tableAt = 0;
  private lineCount = 0;
  /** The line table as views: made when asked for (LineIndex reads them on every call), or given (a restore). */
  private views?: { starts: Uint32Array; ends: Uint32Array };
  private marks?: { marks: Uint32Array; markBytes: Uint32Array };

  private constructor(length: number, bytes?: Uint8Array, raw?: string, fetch?: FetchText, key = '') {
    this.length = length;
    this.bytes = bytes;
    this.raw = raw;
    this.fetch = fetch;
    this.key = key;
  }

  /** Holds the text as UTF-8; with `fetch`, holds only its length and line table, and asks `fetch(key)` for slices. */
  static of(text: string, fetch?: FetchText, key = ''): DocText {
    if (fetch) {
      const d = new DocText(text.length, undefined, undefined, fetch, key);
      const t = lineBreaks(text, take);
      // Kept as a place in the array `take` cut it from, when it is there (lineBreaks asks for one array, starts first).
      const inPlace = t.starts.buffer === tookFrom.buffer && t.starts.byteOffset === tookFrom.byteOffset + 4 * tookAt;
      if (inPlace && t.ends.byteOffset === t.starts.byteOffset + 4 * t.starts.length) {
        d.table = tookFrom;
        d.tableAt = tookAt;
        d.lineCount = t.starts.length;
        // Every line break one character long (no "\r\n"): the ends follow from the starts, and their half of the
        // table goes back to the slab (4.2 MB of the server's 8.4 MB of line tables at 100 MB of articles).
        const n = t.starts.length;
        if (tookFrom === slab && slabAt === tookAt + 2 * n && endsFollowStarts(t.starts, t.ends, text.length)) {
          slabAt -= n;
          d.lineCount = -n;
        }
      } else d.views = t;
      d.print = fingerprint(text);
      return d;
    }
    let bytes: Uint8Array;
    if (text.length * 3 <= SCRATCH_MAX) {
      if (scratch.length < text.length * 3) scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(text.length * 3, scratch.length * 2)));
      bytes = scratch.slice(0, encoder.encodeInto(text, scratch).written);
    } else {
      bytes = encoder.encode(text);
    }
    // UTF-8 turns a lone surrogate into U+FFFD (EF BF BD): only a text with those bytes needs the full check.
    if (bytes.indexOf(0xef) >= 0 && (text as { isWellFormed?: () => boolean }).isWellFormed?.() === false) return new DocText(text.length, undefined, text);
    return new DocText(text.length, bytes);
  }

  /** The whole text; undefined when it is not held and the host cannot give it back as it was indexed. */
  text(): string | undefined {
    if (this.bytes) return decoder.decode(this.bytes);
    if (this.raw !== undefined) return this.raw;
    let t = fetched.get(this);
    if (t !== undefined) {
      fetched.delete(this);
    } else {
      t = this.fetch!(this.key);
      // A text of another length or fingerprint is not the one the offsets point into (the file changed and is being
      // indexed again, or changed without the host hearing of it).
      if (t === undefined || t.length !== this.length || fingerprint(t) !== this.print) return undefined;
    }
    fetched.set(this, t);
    if (fetched.size > FETCHED_MAX) fetched.delete(fetched.keys().next().value!);
    return t;
  }

  toString(): string {
    return this.text() ?? '';
  }

  /** Memory held, in bytes (the tables included once built). */
  get byteSize(): number {
    const held = this.bytes ? this.bytes.byteLength : this.raw !== undefined ? this.length * 2 : 0;
    const table = this.lineCount < 0 ? -this.lineCount * 4 : this.lineCount * 8;
    const lines = this.views ? this.views.starts.length * 8 : this.table ? table : 0;
    return held + lines + (this.marks ? this.marks.marks.length * 8 : 0);
  }

  /**
   * Like `String.prototype.slice` with non-negative offsets: the UTF-16 code units [start, end). When the text is not
   * held and the host cannot give it back as it was indexed, '' (until the document is indexed again).
   */
  slice(start: number, end: number = this.length): string {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    if (start === end) return '';
    if (!this.bytes) return this.raw !== undefined ? this.raw.slice(start, end) : (this.text()?.slice(start, end) ?? '');
    // All ASCII: offsets are byte offsets.
    if (this.bytes.length === this.length) return decoder.decode(this.bytes.subarray(start, end));
    const { marks, markBytes } = this.checkpoints(this.bytes);
    const a = floorIndex(marks, start);
    const b = floorIndex(marks, end - 1) + 1;
    const chunk = decoder.decode(this.bytes.subarray(markBytes[a], b < marks.length ? markBytes[b] : this.bytes.length));
    return chunk.slice(start - marks[a], end - marks[a]);
  }

  /** Whether the line table is built (it is built on first use, or ahead of time by `CorpusIndex.buildLineTables`). */
  get hasLines(): boolean {
    return this.views !== undefined || this.table !== undefined;
  }

  /** Offset at which each line starts (lines end at "\r\n", "\n" or a lone "\r"); starts[0] === 0. */
  get starts(): Uint32Array {
    return this.lines().starts;
  }

  /** Offset of the end of each line's content, before its line break. */
  get ends(): Uint32Array {
    return this.lines().ends;
  }

  private lines(): { starts: Uint32Array; ends: Uint32Array } {
    if (!this.views) {
      if (this.table) this.views = this.cut(true);
      else if (this.bytes) this.checkpoints(this.bytes);
      else this.views = lineBreaks(this.raw ?? '');
    }
    return this.views!;
  }

  /** `kept`: the views stay with the document (positions were asked for), and derived ends go in a slab too. */
  private cut(kept = false): { starts: Uint32Array; ends: Uint32Array } {
    const t = this.table!;
    const at = this.tableAt;
    const n = this.lineCount;
    if (n < 0) {
      const starts = t.subarray(at, at - n);
      return { starts, ends: endsOf(starts, this.length, kept ? take : undefined) };
    }
    return { starts: t.subarray(at, at + n), ends: t.subarray(at + n, at + 2 * n) };
  }

  /**
   * The line table as views, for the snapshot (indexSnapshot.ts reads and sets it by element access): a live
   * document's are made for the caller and not kept (the snapshot writes every document's table once).
   */
  private get lineTable(): { starts: Uint32Array; ends: Uint32Array } | undefined {
    return this.views ?? (this.table ? this.cut() : undefined);
  }
  private set lineTable(v: { starts: Uint32Array; ends: Uint32Array } | undefined) {
    this.views = v;
  }

  /** One pass over the bytes: the line table and the slicing checkpoints. */
  private checkpoints(bytes: Uint8Array): { marks: Uint32Array; markBytes: Uint32Array } {
    if (this.marks) return this.marks;
    const starts: number[] = [0];
    const ends: number[] = [];
    const marks: number[] = [0];
    const markBytes: number[] = [0];
    let u = 0; // UTF-16 offset of byte i
    let lastMark = 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c < 0x80) {
        if (c === 13 || c === 10) {
          ends.push(u);
          if (c === 13 && bytes[i + 1] === 10) {
            i++;
            u++;
          }
          u++;
          starts.push(u);
          marks.push(u);
          markBytes.push(i + 1);
          lastMark = i + 1;
          continue;
        }
      } else if ((c & 0xc0) === 0x80) {
        continue; // a continuation byte: no code unit of its own
      }
      // i starts a character: a checkpoint may go here.
      if (i - lastMark >= STRIDE) {
        marks.push(u);
        markBytes.push(i);
        lastMark = i;
      }
      u += c >= 0xf0 ? 2 : 1; // four bytes are a surrogate pair
    }
    ends.push(this.length);
    // One array for the four columns (see `take`).
    const all = take(2 * starts.length + 2 * marks.length);
    const column = (list: number[], at: number) => {
      all.set(list, at);
      return all.subarray(at, at + list.length);
    };
    const n = starts.length;
    this.views ??= { starts: column(starts, 0), ends: column(ends, n) };
    this.marks = { marks: column(marks, 2 * n), markBytes: column(markBytes, 2 * n + marks.length) };
    return this.marks;
  }
}

/**
 * A hash of 64 characters spread evenly over the text. Hashing every character would cost the main thread ~0.4 s
 * per 100 MB indexed (42–47 ms of CPU for the 10 MB bench corpus; the samples: 4–8 ms). The samples catch a text
 * that moved (an insertion or a deletion that keeps the length) but not a same-length edit between samples, which
 * then shows the file's current characters at the indexed offsets: wrong words, never an offset out of range, until
 * the file's change is indexed.
 */
function fingerprint(text: string): number {
  let h = 0x811c9dc5;
  const n = text.length;
  if (n === 0) return h;
  const SAMPLES = 64;
  for (let k = 0; k < SAMPLES; k++) h = Math.imul(h ^ text.charCodeAt(Math.floor((k * (n - 1)) / (SAMPLES - 1))), 0x01000193);
  return h;
}

/** Whether each line but the last ends one character before the next starts, and the last at the text's end. */
function endsFollowStarts(starts: Uint32Array, ends: Uint32Array, length: number): boolean {
  const n = starts.length;
  for (let i = 0; i + 1 < n; i++) if (ends[i] !== starts[i + 1] - 1) return false;
  return ends[n - 1] === length;
}

/** The ends of lines whose breaks are one character each (see `endsFollowStarts`). */
function endsOf(starts: Uint32Array, length: number, alloc: (n: number) => Uint32Array = (n) => new Uint32Array(n)): Uint32Array {
  const n = starts.length;
  const ends = alloc(n);
  for (let i = 0; i + 1 < n; i++) ends[i] = starts[i + 1] - 1;
  ends[n - 1] = length;
  return ends;
}

/** The index of the last element ≤ x (sorted ascending, list[0] ≤ x). */
const floorIndex = (list: Uint32Array, x: number): number => Math.max(0, prefixLength(list.length, (i) => list[i] <= x) - 1);
