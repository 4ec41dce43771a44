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
import { ENTITY_IDS_LIMIT } from '../protocol';
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
  const offset = positiveLimit(params?.offset) ?? 0;
  const end = limit === undefined ? Infinity : offset + limit;
  // The index's sorted list, brought up to date (which the counts below depend on); a copy of its references only.
  const all = corpus.entities();
  const stats = corpus.stats();
  const counts = { people: stats.people, organisations: stats.organisations, quotes: stats.quotes };
  let list: Entity[];
  let total: number;
  if (Array.isArray(params?.ids)) {
    const seen = new Set<string>();
    list = [];
    for (const id of params.ids.slice(0, ENTITY_IDS_LIMIT)) {
      if (typeof id !== 'string' || seen.has(id)) continue;
      seen.add(id);
      const e = corpus.entity(id);
      if (e && (!type || e.type === type)) list.push(e);
    }
    list.sort(listOrder);
    total = list.length;
  } else if (typeof params?.query === 'string' && params.query.trim()) {
    list = corpus.search(params.query.trim(), Math.min(end, 10_000)).filter((e) => !type || e.type === type);
    total = list.length;
    list = list.slice(offset, end);
  } else if (type === undefined) {
    total = all.length;
    list = offset === 0 && end >= total ? all : all.slice(offset, end);
  } else {
    // Only the page sent becomes items and JSON (the Corpus view asks for a page after every change: all ~13k
    // entities of a 100 MB corpus took ~50 ms a refresh), and the list is read only as far as the page: the index
    // counts each type (an entity per group), so the total needs no pass over the other entities.
    total = type === 'person' ? stats.people : stats.organisations;
    list = [];
    let skip = offset;
    for (let k = 0; k < all.length && list.length < end - offset; k++) {
      const e = all[k];
      if (e.type !== type) continue;
      if (skip > 0) skip--;
      else list.push(e);
    }
  }
  return { version: corpus.version, entities: list.map((e) => entityItem(corpus, e)), indexing, total, counts };
}

/** The index's order of `entities()`: most mentioned first, ties by name, then id. */
const listOrder = (a: Entity, b: Entity) =>
  b.mentionCount - a.mentionCount || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

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
  const page = pageOf(params);
  if (limit === 0 && uri === undefined && speakerId === undefined) return quotationCounts(corpus, unattributedOnly, page);
  // One speaker's quotations are made lazily: a speaker with thousands of them needs only the first `limit` and the
  // count, unless a file filter makes every one of them count.
  const refs: Iterable<QuoteRef> = speakerId ? corpus.eachQuoteBy(speakerId) : corpus.eachQuote(uri, unattributedOnly);
  const countedAhead = speakerId !== undefined && uri === undefined;
  const groups = new Map<string, CountedGroup>();
  const unattributed: CountedGroup = { label: 'Unattributed', quotes: [], total: 0 };
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
  return paged(corpus, out, page);
}

interface GroupPage {
  offset: number;
  end: number;
}

function pageOf(params: QuotationsParams | undefined): GroupPage {
  const offset = positiveLimit(params?.groupOffset) ?? 0;
  const limit = positiveLimit(params?.groupLimit);
  return { offset, end: limit === undefined ? Infinity : offset + limit };
}

/** The groups of one page, with the totals of the whole list. */
function paged(corpus: Corpus, groups: CountedGroup[], page: GroupPage): QuotationsResult {
  let quoteTotal = 0;
  for (const g of groups) quoteTotal += g.total;
  const out = page.offset === 0 && page.end >= groups.length ? groups : groups.slice(page.offset, page.end);
  return { version: corpus.version, groups: out, groupTotal: groups.length, quoteTotal };
}

/** Most quoted first, then by label; speakers of the same name by id, so both ways of listing agree. */
const groupOrder = (a: CountedGroup, b: CountedGroup) =>
  b.total - a.total || a.label.localeCompare(b.label) || ((a.speakerId ?? '') < (b.speakerId ?? '') ? -1 : (a.speakerId ?? '') > (b.speakerId ?? '') ? 1 : 0);

/**
 * The groups with their counts and no quotations (the Corpus view asks for this after every index change): from the
 * per-entity counts the index keeps, without making a QuoteRef for each of the corpus's hundreds of thousands of
 * quotations (that took most of a second at 50 MB). The groups are tallied once per index version, and only as many
 * are put in order as the page asks for: the totals alone need no order, and the first page of a 100 MB corpus's
 * ~9,000 speakers needs the ~200 most quoted sorted, not all of them (sorting every speaker by name took ~17 ms).
 */
function quotationCounts(corpus: Corpus, unattributedOnly: boolean, page: GroupPage): QuotationsResult {
  let tally = tallies.get(corpus);
  if (tally?.version !== corpus.version) {
    const named: CountedGroup[] = [];
    let attributed = 0;
    for (const entity of corpus.entities()) {
      const total = entityItem(corpus, entity).quoteCount;
      if (!total) continue;
      attributed += total;
      named.push({ speakerId: entity.id, label: entity.name, type: entity.type, quotes: [], total });
    }
    const rest = corpus.stats().quotes - attributed;
    tally = { version: corpus.version, named, ordered: 0, attributed, unattributed: rest > 0 ? { label: 'Unattributed', quotes: [], total: rest } : undefined };
    tallies.set(corpus, tally);
  }
  const u = tally.unattributed;
  if (unattributedOnly) return paged(corpus, u ? [u] : [], page);
  const named = tally.named;
  const groupTotal = named.length + (u ? 1 : 0);
  const end = Math.min(page.end, groupTotal);
  const out: CountedGroup[] = [];
  if (page.offset < end) {
    if (tally.ordered < Math.min(end, named.length)) tally.ordered = orderTop(named, end);
    for (let k = page.offset; k < end; k++) out.push(k < named.length ? named[k] : u!);
  }
  return { version: corpus.version, groups: out, groupTotal, quoteTotal: tally.attributed + (u?.total ?? 0) };
}

type CountedGroup = QuotationGroup & { total: number };
interface Tally {
  version: number;
  /** Every named speaker's group; the first `ordered` of them are the first in groupOrder, in that order. */
  named: CountedGroup[];
  ordered: number;
  attributed: number;
  unattributed?: CountedGroup;
}
const tallies = new WeakMap<Corpus, Tally>();

/** Puts the first `k` groups of groupOrder first, in order (the rest after them, in no order); returns how many are
 *  in order. Groups with fewer quotations than the k-th are never compared by name. */
function orderTop(groups: CountedGroup[], k: number): number {
  if (k >= groups.length) {
    groups.sort(groupOrder);
    return groups.length;
  }
  const totals = Float64Array.from(groups, (g) => g.total).sort();
  const least = totals[totals.length - k];
  const head: CountedGroup[] = [];
  const tail: CountedGroup[] = [];
  for (const g of groups) (g.total >= least ? head : tail).push(g);
  head.sort(groupOrder);
  let at = 0;
  for (const g of head) groups[at++] = g;
  for (const g of tail) groups[at++] = g;
  return head.length;
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
