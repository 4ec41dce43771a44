// textDocument/hover: on a mention, the entity's card; inside a quotation, who said it.

import { MarkupKind } from 'vscode-languageserver-protocol';
import type { Hover, Position } from 'vscode-languageserver-protocol';
import { entityCard, renderCard, renderQuoteHover, type CardOptions } from './card';
import type { Corpus } from './corpus';
import { rangeOf, targetAt } from './locate';

export function hover(corpus: Corpus, doc: string, position: Position, options: CardOptions = {}): Hover | null {
  const target = targetAt(corpus, doc, position);
  if (!target) return null;
  if (target.kind === 'mention') {
    const card = target.entityId ? entityCard(corpus, target.entityId, target.ref, options) : undefined;
    if (!card) return null;
    const m = target.ref.mention;
    return { contents: { kind: MarkupKind.Markdown, value: renderCard(card) }, range: rangeOf(corpus, doc, m.start, m.end) };
  }
  const q = target.ref.quote;
  return {
    contents: { kind: MarkupKind.Markdown, value: renderQuoteHover(corpus, target.ref, options) },
    range: rangeOf(corpus, doc, q.start, q.end),
  };
}
