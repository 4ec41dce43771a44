// textDocument/semanticTokens/full and /range: people, organisations and quotations, so that plain text shows them
// in distinct colours. Tokens never overlap and never span lines (what editors without multi-line or overlapping
// token support need): a quotation is coloured around the names inside it, and split at line breaks.

import type { Range, SemanticTokens } from 'vscode-languageserver-protocol';
import type { LineIndex } from '../core/positions';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES, type SemanticTokenTypeName } from '../protocol';
import type { Corpus } from './corpus';
import { introductionOf } from './locate';

const TYPE = Object.fromEntries(SEMANTIC_TOKEN_TYPES.map((t, i) => [t, i])) as Record<SemanticTokenTypeName, number>;
const DECLARATION = 1 << SEMANTIC_TOKEN_MODIFIERS.indexOf('declaration');

/** A token as offsets into the document, before it is split at line breaks and encoded. */
export interface SpanToken {
  start: number;
  end: number;
  type: number;
  modifiers: number;
}

/** The document's tokens in offset order, not overlapping; only those meeting [from, to) when given. */
export function spanTokens(corpus: Corpus, doc: string, from = 0, to = Infinity): SpanToken[] {
  const analysis = corpus.analysis(doc);
  if (!analysis) return [];
  const introOf = new Map<string, number | undefined>();
  const mentions: SpanToken[] = [];
  analysis.mentions.forEach((m, i) => {
    if (m.end <= from || m.start >= to) return;
    const id = corpus.entityIdOf(doc, i);
    let modifiers = 0;
    if (id !== undefined) {
      if (!introOf.has(id)) {
        const intro = introductionOf(corpus, id);
        introOf.set(id, intro && intro.doc === doc ? intro.index : undefined);
      }
      if (introOf.get(id) === i) modifiers |= DECLARATION;
    }
    mentions.push({ start: m.start, end: m.end, type: TYPE[m.type], modifiers });
  });

  // Quotations, nested ones merged into the outer one, minus the names inside them.
  const quoted: Array<[number, number]> = [];
  for (const q of analysis.quotes) {
    if (q.end <= from || q.start >= to || q.end <= q.start) continue;
    const last = quoted[quoted.length - 1];
    if (last && q.start <= last[1]) last[1] = Math.max(last[1], q.end);
    else quoted.push([q.start, q.end]);
  }
  const quotes: SpanToken[] = [];
  let p = 0;
  for (const [qs, qe] of quoted) {
    while (p < mentions.length && mentions[p].end <= qs) p++;
    let cursor = qs;
    for (let j = p; j < mentions.length && mentions[j].start < qe; j++) {
      if (mentions[j].start > cursor) quotes.push({ start: cursor, end: mentions[j].start, type: TYPE.quotation, modifiers: 0 });
      cursor = Math.max(cursor, mentions[j].end);
    }
    if (cursor < qe) quotes.push({ start: cursor, end: qe, type: TYPE.quotation, modifiers: 0 });
  }

  return mergeSorted(mentions, quotes);
}

function mergeSorted(a: SpanToken[], b: SpanToken[]): SpanToken[] {
  const out: SpanToken[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].start <= b[j].start)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/** LSP's relative encoding of tokens, each split at line breaks. */
export function encodeTokens(tokens: SpanToken[], lines: LineIndex): number[] {
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  const emit = (line: number, char: number, length: number, t: SpanToken) => {
    if (length <= 0) return;
    data.push(line - prevLine, line === prevLine ? char - prevChar : char, length, t.type, t.modifiers);
    prevLine = line;
    prevChar = char;
  };
  // A span never covers a line break in the encoding: each line's part is clipped to the line's content (a span
  // ending between "\r" and "\n" would otherwise reach past it).
  const lineLength = (line: number) => lines.lineText(line).length;
  for (const t of tokens) {
    const s = lines.positionAt(t.start);
    const e = lines.positionAt(t.end);
    if (s.line === e.line) {
      emit(s.line, s.character, Math.min(e.character, lineLength(s.line)) - s.character, t);
      continue;
    }
    emit(s.line, s.character, lineLength(s.line) - s.character, t);
    for (let l = s.line + 1; l < e.line; l++) emit(l, 0, lineLength(l), t);
    emit(e.line, 0, Math.min(e.character, lineLength(e.line)), t);
  }
  return data;
}

export function semanticTokens(corpus: Corpus, doc: string, range?: Range): SemanticTokens {
  const lines = corpus.lines(doc);
  if (!lines) return { data: [] };
  const from = range ? lines.offsetAt(range.start) : 0;
  const to = range ? lines.offsetAt(range.end) : Infinity;
  return { data: encodeTokens(spanTokens(corpus, doc, from, to), lines) };
}
