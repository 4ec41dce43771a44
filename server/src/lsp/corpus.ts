// What the language features need from the corpus index: the read side of `CorpusIndex` (core/index.ts), so that
// features depend on queries, not on how the index is built, and tests can hand them any index.

import type { MentionSpans } from '../core/index';
import type { DocAnalysis, Entity, EntityType, MentionRef, QuoteRef } from '../core/model';
import type { LineIndex } from '../core/positions';

export interface Corpus {
  readonly version: number;
  documents(): string[];
  /** The document's text; the index keeps it compactly and decodes it on every call, so ask once per request. */
  text(doc: string): string | undefined;
  /** The document's analysis, rebuilt from the index's compact form (the last few are kept). */
  analysis(doc: string): DocAnalysis | undefined;
  lines(doc: string): LineIndex | undefined;
  entities(type?: EntityType): Entity[];
  entity(id: string): Entity | undefined;
  entityIdOf(doc: string, mentionIndex: number): string | undefined;
  mentionAt(doc: string, offset: number): MentionRef | undefined;
  quoteAt(doc: string, offset: number): QuoteRef | undefined;
  mentionsOf(id: string): MentionRef[];
  mentionsIn(doc: string): MentionRef[];
  quotes(doc?: string): QuoteRef[];
  eachQuote(doc?: string, unattributedOnly?: boolean): Iterable<QuoteRef>;
  quotesBy(id: string): QuoteRef[];
  /** How many quotations are attributed to the entity, without listing them. */
  quoteCount(id: string): number;
  /** The entity's quotations in corpus order, made as they are consumed. */
  eachQuoteBy(id: string): Iterable<QuoteRef>;
  /** The entity's mention spans per document, without Mention objects (references of thousands of mentions). */
  mentionSpansOf(id: string): MentionSpans[];
  roles(id: string): string[];
  introduction(id: string): MentionRef | undefined;
  search(query: string, limit?: number): Entity[];
  skipped(): { doc: string; reason: string }[];
  stats(): { documents: number; skipped: number; people: number; organisations: number; quotes: number; mentions: number };
}

/** A cancellation check that features poll in long loops (an LSP CancellationToken satisfies it). */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export const notCancelled: Cancellation = { isCancellationRequested: false };

/** The write side the host uses to keep the index in step with the workspace. */
export interface MutableCorpus extends Corpus {
  setDocument(doc: string, text: string): void;
  setAnalysed(doc: string, text: string, analysis: DocAnalysis): void;
  deleteDocument(doc: string): void;
  setSkipped(doc: string, reason: string): void;
}
