// Short one-line excerpts around a span, for tree items, reference lists and hover cards.

export interface Snippet {
  text: string;
  /** Where the span sits in `text`, [start, end). */
  span: [number, number];
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0;

/**
 * Up to about `width` characters of `text` around [start, end), cut at word boundaries, white space collapsed to
 * single spaces, with "…" where it was cut. Stays on the span's own paragraph line: line breaks end the excerpt.
 * Linear in the excerpt's length, whatever the document's size.
 */
export function snippetAround(text: string, start: number, end: number, width = 80): Snippet {
  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(start, Math.min(end, text.length));
  const spanLen = end - start;
  const room = Math.max(0, width - Math.min(spanLen, width));
  let from = start;
  let to = end;
  // Grow to the left and the right in turn, stopping at line breaks and at the width.
  const leftBudget = Math.floor(room / 2);
  while (from > 0 && start - from < leftBudget && !isLineBreak(text.charCodeAt(from - 1))) from--;
  const rightBudget = room - (start - from);
  while (to < text.length && to - end < rightBudget && !isLineBreak(text.charCodeAt(to))) to++;
  // Give leftover room back to the left (a mention at the end of its line).
  while (from > 0 && start - from + (to - end) < room && !isLineBreak(text.charCodeAt(from - 1))) from--;
  let cutLeft = from > 0 && !isLineBreak(text.charCodeAt(from - 1));
  let cutRight = to < text.length && !isLineBreak(text.charCodeAt(to));
  // Cut at word boundaries so no half-word shows.
  if (cutLeft) {
    let i = from;
    while (i < start && !isSpace(text.charCodeAt(i))) i++;
    if (i < start) from = i;
  }
  if (cutRight) {
    let i = to;
    while (i > end && !isSpace(text.charCodeAt(i - 1))) i--;
    if (i > end) to = i;
  }
  const before = collapse(text.slice(from, start)).replace(/^ /, '');
  const middle = collapse(text.slice(start, end));
  const after = collapse(text.slice(end, to)).replace(/ $/, '');
  const prefix = cutLeft ? '…' : '';
  const out = prefix + before + middle + after + (cutRight ? '…' : '');
  const s = prefix.length + before.length;
  return { text: out, span: [s, s + middle.length] };
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ');
}

/** The first `words` words of `text` (white space collapsed), with "…" when there were more. */
export function firstWords(text: string, words = 8, maxChars = 80): string {
  const out: string[] = [];
  let length = 0;
  let more = false;
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (out.length >= words || length + m[0].length > maxChars) {
      more = true;
      break;
    }
    out.push(m[0]);
    length += m[0].length + 1;
  }
  if (out.length === 0 && text.trim()) return text.trim().slice(0, maxChars) + '…';
  return out.join(' ') + (more ? '…' : '');
}
