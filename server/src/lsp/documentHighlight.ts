// textDocument/documentHighlight: the mentions in this file of the entity under the cursor. The entity's
// introduction is marked as the "write" occurrence, the others as "read", so editors can tell them apart.

import { DocumentHighlightKind } from 'vscode-languageserver-protocol';
import type { DocumentHighlight, Position } from 'vscode-languageserver-protocol';
import type { Corpus } from './corpus';
import { entityIdAt, introductionOf } from './locate';

export function documentHighlights(corpus: Corpus, doc: string, position: Position): DocumentHighlight[] {
  const id = entityIdAt(corpus, doc, position);
  const lines = corpus.lines(doc);
  const analysis = corpus.analysis(doc);
  if (id === undefined || !lines || !analysis) return [];
  const intro = introductionOf(corpus, id);
  const out: DocumentHighlight[] = [];
  analysis.mentions.forEach((m, i) => {
    if (corpus.entityIdOf(doc, i) !== id) return;
    const isIntro = intro !== undefined && intro.doc === doc && intro.index === i;
    out.push({ range: lines.rangeOf(m.start, m.end), kind: isIntro ? DocumentHighlightKind.Write : DocumentHighlightKind.Read });
  });
  return out;
}
