// textDocument/definition: the entity's introduction, its first full-name mention in the corpus.

import type { Location, Position } from 'vscode-languageserver-protocol';
import type { Corpus } from './corpus';
import { entityIdAt, introductionOf, locationOf } from './locate';

export function definition(corpus: Corpus, doc: string, position: Position): Location | null {
  const id = entityIdAt(corpus, doc, position);
  if (id === undefined) return null;
  const intro = introductionOf(corpus, id) ?? corpus.mentionsOf(id)[0];
  if (!intro) return null;
  return locationOf(corpus, intro.doc, intro.mention.start, intro.mention.end) ?? null;
}
