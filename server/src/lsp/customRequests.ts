// The Corpus Navigator requests of protocol.ts that read the index: entities with counts, mentions of one entity,
// quotations by speaker, the entity at a position. (Re-index and status are the host's.)

import type { Position } from 'vscode-languageserver-protocol';
import type { Entity } from '../core/model';
import type {
  EntitiesParams,
  EntitiesResult,
  EntityAtResult,
  EntityItem,
  MentionItem,
  MentionsParams,
  MentionsResult,
  QuotationGroup,
  QuotationItem,
  QuotationsParams,
  QuotationsResult,
} from '../protocol';
import type { Cancellation, Corpus } from './corpus';
import { notCancelled } from './corpus';
import { rangeOf, targetAt } from './locate';
import { firstWords, snippetAround } from './snippet';

export function entityItem(corpus: Corpus, entity: Entity, quoteCounts?: Map<string, number>): EntityItem {
  return {
    id: entity.id,
    type: entity.type,
    name: entity.name,
    aliases: entity.aliases,
    mentionCount: entity.mentionCount,
    fileCount: entity.fileCount,
    quoteCount: quoteCounts ? (quoteCounts.get(entity.id) ?? 0) : corpus.quotesBy(entity.id).length,
  };
}

/** Quotations per speaker, in one pass over the corpus, kept for one index version (long lists need them all). */
let counted: { corpus: Corpus; version: number; counts: Map<string, number> } | undefined;
function quoteCounts(corpus: Corpus): Map<string, number> {
  if (counted && counted.corpus === corpus && counted.version === corpus.version) return counted.counts;
  const counts = new Map<string, number>();
  for (const q of corpus.quotes()) if (q.speakerId) counts.set(q.speakerId, (counts.get(q.speakerId) ?? 0) + 1);
  counted = { corpus, version: corpus.version, counts };
  return counts;
}

const positiveLimit = (n: unknown): number | undefined =>
  typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;

export function entities(corpus: Corpus, params: EntitiesParams | undefined, indexing: boolean): EntitiesResult {
  const type = params?.type === 'person' || params?.type === 'organisation' ? params.type : undefined;
  const limit = positiveLimit(params?.limit);
  let list: Entity[];
  if (typeof params?.query === 'string' && params.query.trim()) {
    list = corpus.search(params.query.trim(), limit ?? 10_000).filter((e) => !type || e.type === type);
  } else {
    list = corpus.entities(type);
    if (limit !== undefined) list = list.slice(0, limit);
  }
  // A few entities: ask per entity; many: count every quotation once.
  const counts = list.length > 32 ? quoteCounts(corpus) : undefined;
  return { version: corpus.version, entities: list.map((e) => entityItem(corpus, e, counts)), indexing };
}

export function mentions(corpus: Corpus, params: MentionsParams | undefined, token: Cancellation = notCancelled): MentionsResult | undefined {
  const entity = typeof params?.id === 'string' ? corpus.entity(params.id) : undefined;
  if (!entity) return { mentions: [], total: 0 };
  const refs = corpus.mentionsOf(entity.id);
  const limit = positiveLimit(params?.limit) ?? refs.length;
  const out: MentionItem[] = [];
  for (let i = 0; i < refs.length && out.length < limit; i++) {
    if ((i & 255) === 255 && token.isCancellationRequested) return undefined;
    const { doc, mention } = refs[i];
    const range = rangeOf(corpus, doc, mention.start, mention.end);
    const text = corpus.text(doc);
    if (!range || text === undefined) continue;
    const snip = snippetAround(text, mention.start, mention.end);
    out.push({ uri: doc, range, line: range.start.line + 1, text: mention.text, context: snip.text, contextSpan: snip.span });
  }
  return { entity: entityItem(corpus, entity), mentions: out, total: refs.length };
}

export function quotations(corpus: Corpus, params: QuotationsParams | undefined, token: Cancellation = notCancelled): QuotationsResult | undefined {
  const uri = typeof params?.uri === 'string' ? params.uri : undefined;
  const speakerId = typeof params?.speakerId === 'string' ? params.speakerId : undefined;
  const limit = positiveLimit(params?.limitPerGroup) ?? Infinity;
  const refs = speakerId ? corpus.quotesBy(speakerId).filter((q) => !uri || q.doc === uri) : corpus.quotes(uri);
  type Group = QuotationGroup & { total: number };
  const groups = new Map<string, Group>();
  const unattributed: Group = { label: 'Unattributed', quotes: [], total: 0 };
  for (let i = 0; i < refs.length; i++) {
    if ((i & 255) === 255 && token.isCancellationRequested) return undefined;
    const ref = refs[i];
    const entity = ref.speakerId ? corpus.entity(ref.speakerId) : undefined;
    let group = unattributed;
    if (entity) {
      group = groups.get(entity.id)!;
      if (!group) groups.set(entity.id, (group = { speakerId: entity.id, label: entity.name, type: entity.type, quotes: [], total: 0 }));
    }
    group.total++;
    // Only the quotations that will be sent are converted.
    if (group.quotes.length >= limit) continue;
    const range = rangeOf(corpus, ref.doc, ref.quote.start, ref.quote.end);
    if (!range) continue;
    const item: QuotationItem = { uri: ref.doc, range, line: range.start.line + 1, text: firstWords(ref.quote.text, 40, 300) };
    if (entity) item.speakerId = entity.id;
    else if (ref.quote.speaker?.descriptor) item.speakerText = ref.quote.speaker.descriptor;
    group.quotes.push(item);
  }
  const out = [...groups.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  if (unattributed.total) out.push(unattributed);
  return { version: corpus.version, groups: out };
}

export function entityAt(corpus: Corpus, doc: string, position: Position): EntityAtResult | null {
  const target = targetAt(corpus, doc, position);
  const entity = target?.entityId !== undefined ? corpus.entity(target.entityId) : undefined;
  if (!target || !entity) return null;
  const span = target.kind === 'mention' ? target.ref.mention : target.ref.quote;
  const range = rangeOf(corpus, doc, span.start, span.end);
  if (!range) return null;
  return { entity: entityItem(corpus, entity), range, via: target.kind === 'mention' ? 'mention' : 'quotation' };
}
