// textDocument/references: every mention of the entity under the cursor, in every file, whatever alias was used.
// Inside a quotation, the references of its speaker.

import type { Location, Position } from 'vscode-languageserver-protocol';
import type { Cancellation, Corpus } from './corpus';
import { notCancelled } from './corpus';
import { entityIdAt, introductionOf } from './locate';

export function references(
  corpus: Corpus,
  doc: string,
  position: Position,
  includeDeclaration = true,
  token: Cancellation = notCancelled,
): Location[] | undefined {
  const id = entityIdAt(corpus, doc, position);
  return id === undefined ? [] : mentionLocations(corpus, id, includeDeclaration, token);
}

/** Locations of every mention of an entity, in document then offset order; undefined when cancelled. */
export function mentionLocations(
  corpus: Corpus,
  id: string,
  includeDeclaration = true,
  token: Cancellation = notCancelled,
): Location[] | undefined {
  const intro = includeDeclaration ? undefined : introductionOf(corpus, id);
  // An entity can have tens of thousands of mentions: the locations are made straight from offsets, one line index
  // per document, and carry nothing but what LSP asks for (the JSON of them is most of the cost).
  const byDoc = corpus.mentionSpansOf(id);
  const out: Location[] = [];
  for (let d = 0; d < byDoc.length; d++) {
    if ((d & 255) === 255 && token.isCancellationRequested) return undefined;
    const { doc, indices, spans } = byDoc[d];
    const lines = corpus.lines(doc);
    if (!lines) continue;
    const skip = intro && intro.doc === doc ? intro.index : -1;
    for (let k = 0; k < indices.length; k++) {
      if (indices[k] === skip) continue;
      out.push({ uri: doc, range: lines.rangeOf(spans[2 * k], spans[2 * k + 1]) });
    }
  }
  return out;
}
