// The one place where offsets become line/character positions and back.
//
// Offsets are UTF-16 code units (JavaScript string indices); LSP positions count UTF-16 code units within a
// line too, so a character is never split into bytes here. Lines end at "\r\n", "\n" or a lone "\r", as LSP says.

import { prefixLength } from './sorted';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Where a text's lines start and their content ends (before the line break), and its slices. */
export interface LineTable {
  readonly length: number;
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
  slice(start: number, end: number): string;
}

/** Where a string's lines start and their content ends; native searches for the breaks, as most texts are long
 *  lines. Shared with docText.ts, which keeps the table without the string. Both are views of one array that
 *  `alloc` gives (a typed array of its own costs ~500 bytes of memory besides its contents: per document, more than
 *  its table), filled without intermediate arrays: the breaks are counted first. */
export function lineBreaks(text: string, alloc: (n: number) => Uint32Array = (n) => new Uint32Array(n)): { starts: Uint32Array; ends: Uint32Array } {
  const cr = text.indexOf('\r') >= 0;
  let breaks = 0;
  if (!cr) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks++;
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */ || c === 10 /* \n */) {
        breaks++;
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      }
    }
  }
  const n = breaks + 1;
  const table = alloc(2 * n);
  const starts = table.subarray(0, n);
  const ends = table.subarray(n, 2 * n);
  starts[0] = 0;
  let line = 0;
  if (!cr) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      ends[line] = i;
      starts[++line] = i + 1;
    }
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 || c === 10) {
        ends[line] = i;
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        starts[++line] = i + 1;
      }
    }
  }
  ends[line] = text.length;
  return { starts, ends };
}

/** The line table of a string. */
export function lineTable(text: string): LineTable {
  return { length: text.length, ...lineBreaks(text), slice: (s, e) => text.slice(s, e) };
}

export class LineIndex {
  private readonly table: LineTable;

  /** Over a string, or over a table that knows the lines without holding the text as a string (docText.ts). */
  constructor(text: string | LineTable) {
    this.table = typeof text === 'string' ? lineTable(text) : text;
  }

  get lineCount(): number {
    return this.table.starts.length;
  }

  positionAt(offset: number): Position {
    const starts = this.table.starts;
    offset = Math.max(0, Math.min(offset, this.table.length));
    const line = Math.max(0, prefixLength(starts.length, (i) => starts[i] <= offset) - 1);
    return { line, character: offset - starts[line] };
  }

  offsetAt(position: Position): number {
    const { starts, ends } = this.table;
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return this.table.length;
    const start = starts[position.line];
    return Math.max(start, Math.min(start + position.character, ends[position.line]));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /**
   * `positionAt` of each offset, written into `out` from `at` as line, character pairs; returns where the next pair
   * goes. For the mentions of an entity in thousands of documents: no object per position, and offsets in ascending
   * order (a document's mention spans) search only the lines from the last one found onwards, most often none. Any
   * order gives the same answers (an offset before the last line searches from the first).
   */
  positionsInto(offsets: ArrayLike<number>, out: Uint32Array, at: number): number {
    const starts = this.table.starts;
    const length = this.table.length;
    const last = starts.length - 1;
    let line = 0;
    for (let j = 0; j < offsets.length; j++) {
      const offset = Math.max(0, Math.min(offsets[j], length));
      if (offset < starts[line]) line = 0;
      if (line < last && starts[line + 1] <= offset) {
        // The last line that starts at or before the offset, after `line` (starts[0] is 0, so there always is one).
        let lo = line + 1;
        let hi = last;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid] <= offset) lo = mid;
          else hi = mid - 1;
        }
        line = lo;
      }
      out[at++] = line;
      out[at++] = offset - starts[line];
    }
    return at;
  }

  /** The line's length, without its line break. */
  lineLength(line: number): number {
    if (line < 0 || line >= this.table.starts.length) return 0;
    return this.table.ends[line] - this.table.starts[line];
  }

  /** The line's text, without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.table.starts.length) return '';
    return this.table.slice(this.table.starts[line], this.table.ends[line]);
  }
}
