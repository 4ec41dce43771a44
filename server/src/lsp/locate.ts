// Turning LSP positions into corpus offsets and back, and finding what sits under a position. All conversions go
// through the document's LineIndex (core/positions.ts); an unknown document or a position past the end gives
// undefined or a clamped offset, never an exception.

import type { Location, Position, Range } from 'vscode-languageserver-protocol';
import type { MentionRef, QuoteRef } from '../core/model';
import type { Corpus } from './corpus';

export function offsetAt(corpus: Corpus, doc: string, position: Position): number | undefined {
  const lines = corpus.lines(doc);
  if (!lines || !position || typeof position.line !== 'number' || typeof position.character !== 'number') return undefined;
  return lines.offsetAt(position);
}

export function rangeOf(corpus: Corpus, doc: string, start: number, end: number): Range | undefined {
  return corpus.lines(doc)?.rangeOf(start, end);
}

export function locationOf(corpus: Corpus, doc: string, start: number, end: number): Location | undefined {
  const range = rangeOf(corpus, doc, start, end);
  return range && { uri: doc, range };
}

export type Target =
  | { kind: 'mention'; ref: MentionRef; entityId: string | undefined }
  | { kind: 'quote'; ref: QuoteRef; entityId: string | undefined };

/** The mention under the position, or else the innermost quotation around it (whose entity is its speaker). */
export function targetAt(corpus: Corpus, doc: string, position: Position): Target | undefined {
  const offset = offsetAt(corpus, doc, position);
  if (offset === undefined) return undefined;
  const ref = corpus.mentionAt(doc, offset);
  if (ref) return { kind: 'mention', ref, entityId: corpus.entityIdOf(doc, ref.index) };
  const quote = corpus.quoteAt(doc, offset);
  if (quote) return { kind: 'quote', ref: quote, entityId: quote.speakerId };
  return undefined;
}

/** The entity a position refers to: the mentioned entity, or the speaker of the quotation it is in. */
export function entityIdAt(corpus: Corpus, doc: string, position: Position): string | undefined {
  return targetAt(corpus, doc, position)?.entityId;
}

/**
 * The entity's introduction, remembered for the current index version: definition, highlights, semantic tokens and
 * workspace symbols all ask for it, and finding it walks the entity's documents.
 */
export function introductionOf(corpus: Corpus, id: string): MentionRef | undefined {
  let memo = introductions.get(corpus);
  if (!memo || memo.version !== corpus.version) introductions.set(corpus, (memo = { version: corpus.version, byId: new Map() }));
  if (!memo.byId.has(id)) memo.byId.set(id, corpus.introduction(id));
  return memo.byId.get(id);
}

const introductions = new WeakMap<Corpus, { version: number; byId: Map<string, MentionRef | undefined> }>();
