// The one place where offsets become line/character positions and back.
//
// Offsets are UTF-16 code units (JavaScript string indices); LSP positions count UTF-16 code units within a
// line too, so a character is never split into bytes here. Lines end at "\r\n", "\n" or a lone "\r", as LSP says.

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

/** The line table of a string. */
export function lineTable(text: string): LineTable {
  const starts = [0];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */ || c === 10 /* \n */) {
      ends.push(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  ends.push(text.length);
  return { length: text.length, starts: Uint32Array.from(starts), ends: Uint32Array.from(ends), slice: (s, e) => text.slice(s, e) };
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
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
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
