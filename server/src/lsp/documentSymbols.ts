// textDocument/documentSymbol: the file's outline as People, Organisations and Quotations, each entity once (at its
// first mention in the file) and each quotation named by its speaker and first words.

import { SymbolKind } from 'vscode-languageserver-protocol';
import type { DocumentSymbol, Range } from 'vscode-languageserver-protocol';
import type { EntityType } from '../core/model';
import type { Corpus } from './corpus';
import { firstWords } from './snippet';

export const ENTITY_SYMBOL_KIND: Record<EntityType, SymbolKind> = {
  person: SymbolKind.Variable,
  organisation: SymbolKind.Class,
};

export function documentSymbols(corpus: Corpus, doc: string): DocumentSymbol[] {
  const lines = corpus.lines(doc);
  const analysis = corpus.analysis(doc);
  if (!lines || !analysis) return [];

  // Entities in order of first appearance in this file, with their mentions here.
  const byEntity = new Map<string, { first: number; count: number; forms: Set<string>; type: EntityType }>();
  analysis.mentions.forEach((m, i) => {
    const id = corpus.entityIdOf(doc, i);
    if (!id) return;
    const seen = byEntity.get(id);
    if (seen) {
      seen.count++;
      seen.forms.add(m.name);
    } else {
      byEntity.set(id, { first: i, count: 1, forms: new Set([m.name]), type: m.type });
    }
  });

  const groups: Record<EntityType, DocumentSymbol[]> = { person: [], organisation: [] };
  for (const [id, seen] of byEntity) {
    const entity = corpus.entity(id);
    const m = analysis.mentions[seen.first];
    const range = lines.rangeOf(m.start, m.end);
    const type = entity?.type ?? seen.type;
    const name = entity?.name ?? m.name;
    const others = [...seen.forms].filter((f) => f !== name);
    groups[type].push({
      name: name || m.text || '(unnamed)',
      detail: `${seen.count} here${others.length ? ` · as ${others.join(', ')}` : ''}`,
      kind: ENTITY_SYMBOL_KIND[type],
      range,
      selectionRange: range,
    });
  }

  const quotes: DocumentSymbol[] = [];
  for (const ref of corpus.quotes(doc)) {
    const q = ref.quote;
    const speaker = ref.speakerId ? corpus.entity(ref.speakerId)?.name : q.speaker?.descriptor;
    const range = lines.rangeOf(q.start, q.end);
    quotes.push({
      name: `${speaker ?? 'Unattributed'}: “${firstWords(q.text, 8, 60)}”`,
      detail: q.continued ? 'continued' : undefined,
      kind: SymbolKind.String,
      range,
      selectionRange: range,
    });
  }

  const out: DocumentSymbol[] = [];
  const group = (name: string, kind: SymbolKind, children: DocumentSymbol[]) => {
    if (children.length === 0) return;
    const range = enclosing(children.map((c) => c.range));
    out.push({ name, detail: String(children.length), kind, range, selectionRange: children[0].selectionRange, children });
  };
  group('People', SymbolKind.Namespace, groups.person);
  group('Organisations', SymbolKind.Namespace, groups.organisation);
  group('Quotations', SymbolKind.Namespace, quotes);
  return out;
}

function enclosing(ranges: Range[]): Range {
  let start = ranges[0].start;
  let end = ranges[0].end;
  for (const r of ranges) {
    if (before(r.start, start)) start = r.start;
    if (before(end, r.end)) end = r.end;
  }
  return { start, end };
}

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
