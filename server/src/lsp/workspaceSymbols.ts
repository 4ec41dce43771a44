// workspace/symbol: every entity of the corpus, found by any alias with fuzzy (subsequence) matching, located at
// its introduction.

import type { SymbolInformation } from 'vscode-languageserver-protocol';
import type { Cancellation, Corpus } from './corpus';
import { notCancelled } from './corpus';
import { ENTITY_SYMBOL_KIND } from './documentSymbols';
import { introductionOf } from './locate';

export const WORKSPACE_SYMBOL_LIMIT = 250;

export function workspaceSymbols(
  corpus: Corpus,
  query: string,
  token: Cancellation = notCancelled,
  limit = WORKSPACE_SYMBOL_LIMIT,
): SymbolInformation[] | undefined {
  const q = typeof query === 'string' ? query.trim() : '';
  const entities = q ? corpus.search(q, limit) : corpus.entities().slice(0, limit);
  const out: SymbolInformation[] = [];
  for (const entity of entities) {
    if (token.isCancellationRequested) return undefined;
    const at = introductionOf(corpus, entity.id) ?? corpus.mentionsOf(entity.id)[0];
    const range = at && corpus.lines(at.doc)?.rangeOf(at.mention.start, at.mention.end);
    if (!at || !range) continue;
    const aliases = entity.aliases.filter((a) => a !== entity.name);
    out.push({
      name: symbolName(entity.name, entity.aliases, q),
      kind: ENTITY_SYMBOL_KIND[entity.type],
      location: { uri: at.doc, range },
      containerName: `${entity.type === 'person' ? 'Person' : 'Organisation'} · ${entity.mentionCount} mentions${
        aliases.length ? ` · ${aliases.slice(0, 4).join(', ')}` : ''
      }`,
    });
  }
  return out;
}

/**
 * Editors filter workspace symbols again by fuzzy-matching the query against the symbol's name, so an entity found
 * through an alias the canonical name does not contain ("EHRC") names that alias too.
 */
export function symbolName(name: string, aliases: string[], query: string): string {
  if (!query || isSubsequence(query, name)) return name;
  const alias = aliases.find((a) => isSubsequence(query, a));
  return alias ? `${name} (${alias})` : name;
}

function isSubsequence(query: string, text: string): boolean {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const t = text.toLowerCase();
  let j = 0;
  for (let i = 0; i < t.length && j < q.length; i++) if (t[i] === q[j]) j++;
  return j === q.length;
}
