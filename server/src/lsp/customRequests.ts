// The Corpus Navigator requests of protocol.ts that read the index: entities with counts, mentions of one entity,
// quotations by speaker, the entity at a position. (Re-index and status are the host's.)

import type { Position } from 'vscode-languageserver-protocol';
import type { Entity, QuoteRef } from '../core/model';
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

export function entityItem(corpus: Corpus, entity: Entity): EntityItem {
  let item = items.get(entity);
  if (!item) {
    item = {
      id: entity.id,
      type: entity.type,
      name: entity.name,
      aliases: entity.aliases,
      mentionCount: entity.mentionCount,
      fileCount: entity.fileCount,
      quoteCount: corpus.quoteCount(entity.id),
    };
    items.set(entity, item);
  }
  return item;
}

/** Items by entity object: the index makes a new Entity whenever an entity's mentions change (and with them its
 *  quotations), so an item stays right as long as its entity object lives. The Corpus view asks for every entity
 *  after each change; asking each one's quotation count again was most of the cost before the reply's JSON. */
const items = new WeakMap<Entity, EntityItem>();

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
  return { version: corpus.version, entities: list.map((e) => entityItem(corpus, e)), indexing };
}

export function mentions(corpus: Corpus, params: MentionsParams | undefined, token: Cancellation = notCancelled): MentionsResult | undefined {
  const entity = typeof params?.id === 'string' ? corpus.entity(params.id) : undefined;
  if (!entity) return { mentions: [], total: 0 };
  const byDoc = corpus.mentionSpansOf(entity.id);
  let total = 0;
  for (const d of byDoc) total += d.indices.length;
  const limit = positiveLimit(params?.limit) ?? total;
  const out: MentionItem[] = [];
  // One text and line index per document, and only for the mentions sent.
  for (let d = 0; d < byDoc.length && out.length < limit; d++) {
    if ((d & 63) === 63 && token.isCancellationRequested) return undefined;
    const { doc, spans } = byDoc[d];
    const lines = corpus.lines(doc);
    const text = corpus.text(doc);
    if (!lines || text === undefined) continue;
    for (let k = 0; 2 * k < spans.length && out.length < limit; k++) {
      const start = spans[2 * k];
      const end = spans[2 * k + 1];
      const range = lines.rangeOf(start, end);
      const snip = snippetAround(text, start, end);
      out.push({ uri: doc, range, line: range.start.line + 1, text: text.slice(start, end), context: snip.text, contextSpan: snip.span });
    }
  }
  return { entity: entityItem(corpus, entity), mentions: out, total };
}

export function quotations(corpus: Corpus, params: QuotationsParams | undefined, token: Cancellation = notCancelled): QuotationsResult | undefined {
  const uri = typeof params?.uri === 'string' ? params.uri : undefined;
  const speakerId = typeof params?.speakerId === 'string' ? params.speakerId : undefined;
  const unattributedOnly = params?.unattributedOnly === true;
  const limit = positiveLimit(params?.limitPerGroup) ?? Infinity;
  if (limit === 0 && uri === undefined && speakerId === undefined) return quotationCounts(corpus, unattributedOnly);
  // One speaker's quotations are made lazily: a speaker with thousands of them needs only the first `limit` and the
  // count, unless a file filter makes every one of them count.
  const refs: Iterable<QuoteRef> = speakerId ? corpus.eachQuoteBy(speakerId) : corpus.eachQuote(uri, unattributedOnly);
  const countedAhead = speakerId !== undefined && uri === undefined;
  type Group = QuotationGroup & { total: number };
  const groups = new Map<string, Group>();
  const unattributed: Group = { label: 'Unattributed', quotes: [], total: 0 };
  let i = 0;
  for (const ref of refs) {
    if ((i++ & 255) === 255 && token.isCancellationRequested) return undefined;
    if (speakerId !== undefined && uri !== undefined && ref.doc !== uri) continue;
    const entity = ref.speakerId ? corpus.entity(ref.speakerId) : undefined;
    if (entity && unattributedOnly) continue;
    let group = unattributed;
    if (entity) {
      group = groups.get(entity.id)!;
      if (!group) groups.set(entity.id, (group = { speakerId: entity.id, label: entity.name, type: entity.type, quotes: [], total: 0 }));
    }
    group.total++;
    // Only the quotations that will be sent are converted.
    if (group.quotes.length >= limit) {
      if (!countedAhead || !entity) continue;
      group.total = corpus.quoteCount(entity.id);
      break;
    }
    const range = rangeOf(corpus, ref.doc, ref.quote.start, ref.quote.end);
    if (!range) continue;
    const item: QuotationItem = { uri: ref.doc, range, line: range.start.line + 1, text: firstWords(ref.quote.text, 40, 300) };
    if (entity) item.speakerId = entity.id;
    else if (ref.quote.speaker?.descriptor) item.speakerText = ref.quote.speaker.descriptor;
    group.quotes.push(item);
  }
  const out = [...groups.values()].sort(groupOrder);
  if (unattributed.total) out.push(unattributed);
  return { version: corpus.version, groups: out };
}

/** Most quoted first, then by label; speakers of the same name by id, so both ways of listing agree. */
const groupOrder = (a: QuotationGroup & { total: number }, b: QuotationGroup & { total: number }) =>
  b.total - a.total || a.label.localeCompare(b.label) || ((a.speakerId ?? '') < (b.speakerId ?? '') ? -1 : (a.speakerId ?? '') > (b.speakerId ?? '') ? 1 : 0);

/**
 * The groups with their counts and no quotations (the Corpus view asks for this after every index change): from the
 * per-entity counts the index keeps, without making a QuoteRef for each of the corpus's hundreds of thousands of
 * quotations (that took most of a second at 50 MB).
 */
function quotationCounts(corpus: Corpus, unattributedOnly: boolean): QuotationsResult {
  const groups: (QuotationGroup & { total: number })[] = [];
  let attributed = 0;
  for (const entity of corpus.entities()) {
    const total = entityItem(corpus, entity).quoteCount;
    if (!total) continue;
    attributed += total;
    if (!unattributedOnly) groups.push({ speakerId: entity.id, label: entity.name, type: entity.type, quotes: [], total });
  }
  groups.sort(groupOrder);
  const rest = corpus.stats().quotes - attributed;
  if (rest > 0) groups.push({ label: 'Unattributed', quotes: [], total: rest });
  return { version: corpus.version, groups };
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
