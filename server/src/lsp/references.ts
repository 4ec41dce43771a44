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
  const out: Location[] = [];
  let doc = '';
  let lines = undefined as ReturnType<Corpus['lines']>;
  const refs = corpus.mentionsOf(id);
  for (let i = 0; i < refs.length; i++) {
    if ((i & 1023) === 1023 && token.isCancellationRequested) return undefined;
    const ref = refs[i];
    if (intro && ref.doc === intro.doc && ref.index === intro.index) continue;
    if (ref.doc !== doc) {
      doc = ref.doc;
      lines = corpus.lines(doc);
    }
    if (!lines) continue;
    out.push({ uri: doc, range: lines.rangeOf(ref.mention.start, ref.mention.end) });
  }
  return out;
}
