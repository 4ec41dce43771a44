// What the Corpus view shows, as plain data: the nodes of the tree, their labels, descriptions and tooltips, and the
// status-bar text. No `vscode` import, so that all of it is unit-tested in plain Node (test/client/corpusTree.test.ts);
// corpusView.ts only turns these nodes into TreeItems.

import type {
  EntityItem,
  EntityKind,
  IndexStatus,
  MentionItem,
  QuotationGroup,
  QuotationItem,
  SkippedFile,
} from '../../server/src/protocol';

export type GroupKind = 'people' | 'organisations' | 'quotations' | 'skipped';

/** Every node carries a `key` that is unique in the tree and stable across refreshes (it becomes TreeItem.id). */
export type CorpusNode =
  | { kind: 'group'; key: string; group: GroupKind; count: number }
  | { kind: 'entity'; key: string; entity: EntityItem }
  | { kind: 'mention'; key: string; parentKey: string; mention: MentionItem }
  | { kind: 'speaker'; key: string; speaker: QuotationGroup }
  | { kind: 'quotation'; key: string; parentKey: string; quote: QuotationItem }
  | { kind: 'skippedFile'; key: string; file: SkippedFile }
  | {
      kind: 'more';
      key: string;
      parentKey: string;
      hidden: number;
      entityId?: string;
      what?: 'mention' | 'quotation' | 'person' | 'organisation' | 'speaker';
      /** Set on the last row of a group's loaded page: clicking it loads the next page of that group. */
      group?: GroupKind;
    };

/**
 * What a group of entities shows: the pages loaded so far (the server's order, most mentioned first), how many the
 * group has in all, and entities shown beyond the loaded pages because they were revealed.
 */
export interface EntityPage {
  items: EntityItem[];
  total: number;
  pinned?: EntityItem[];
}

/** The Quotations group: the named speakers loaded so far (most quoted first), how many named speakers there are in
 *  all, and the unattributed group's count, which is shown whatever is loaded. */
export interface SpeakerPage {
  items: QuotationGroup[];
  total: number;
  unattributed?: QuotationGroup;
}

/**
 * What the tree is built from: the totals of the top level, the pages each open group has loaded (a group not open
 * has none), and the last index status. A newsroom archive has ~13k entities and thousands of quoted speakers: the
 * view asks for what it shows, never for every one of them.
 */
export interface CorpusSnapshot {
  counts: { people: number; organisations: number; quotes: number };
  people?: EntityPage;
  organisations?: EntityPage;
  speakers?: SpeakerPage;
  status?: IndexStatus;
}

export const EMPTY_COUNTS: CorpusSnapshot['counts'] = Object.freeze({ people: 0, organisations: 0, quotes: 0 });

export const GROUP_LABELS: Record<GroupKind, string> = {
  people: 'People',
  organisations: 'Organisations',
  quotations: 'Quotations',
  skipped: 'Skipped files',
};

const ENTITY_GROUP: Record<EntityKind, GroupKind> = { person: 'people', organisation: 'organisations' };

export function groupKey(group: GroupKind): string {
  return `group:${group}`;
}

export function entityKey(id: string): string {
  return `entity:${id}`;
}

export function speakerKey(group: QuotationGroup): string {
  return `speaker:${group.speakerId ?? `text:${group.label}`}`;
}

/** Most mentioned first; ties by name, so the order is the same on every run. */
export function sortEntities(entities: readonly EntityItem[]): EntityItem[] {
  return [...entities].sort(
    (a, b) => b.mentionCount - a.mentionCount || b.fileCount - a.fileCount || compareText(a.name, b.name) || compareText(a.id, b.id),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How many quotations a group has: the server's count, which the view loads before the quotations themselves. */
export const quotationTotal = (g: QuotationGroup): number => g.total ?? g.quotes.length;

/**
 * The top level: People, Organisations, Quotations, and Skipped files when there are any. Empty when nothing at all
 * is known yet, so that the view shows its welcome text instead of three empty groups.
 */
export function rootNodes(snapshot: CorpusSnapshot): CorpusNode[] {
  const { people, organisations, quotes } = snapshot.counts;
  const skipped = snapshot.status?.skipped.length ?? 0;
  if (people + organisations + quotes + skipped === 0) return [];
  const nodes: CorpusNode[] = [
    { kind: 'group', key: groupKey('people'), group: 'people', count: people },
    { kind: 'group', key: groupKey('organisations'), group: 'organisations', count: organisations },
    { kind: 'group', key: groupKey('quotations'), group: 'quotations', count: quotes },
  ];
  if (skipped > 0) nodes.push({ kind: 'group', key: groupKey('skipped'), group: 'skipped', count: skipped });
  return nodes;
}

export function groupChildren(snapshot: CorpusSnapshot, group: GroupKind): CorpusNode[] {
  switch (group) {
    case 'people':
    case 'organisations':
      return entityChildren(group, snapshot[group]);
    case 'quotations':
      return speakerChildren(snapshot.speakers);
    case 'skipped':
      return [...(snapshot.status?.skipped ?? [])]
        .sort((a, b) => compareText(a.uri, b.uri))
        .map((file) => ({ kind: 'skippedFile', key: `skipped:${file.uri}`, file }));
  }
}

/** The loaded page in the server's order, then revealed entities the page does not hold, then "N more …". */
function entityChildren(group: 'people' | 'organisations', page: EntityPage | undefined): CorpusNode[] {
  if (!page) return [];
  const shown = new Set<string>();
  const nodes: CorpusNode[] = [];
  const add = (entity: EntityItem) => {
    if (shown.has(entity.id) || ENTITY_GROUP[entity.type] !== group) return;
    shown.add(entity.id);
    nodes.push({ kind: 'entity', key: entityKey(entity.id), entity });
  };
  for (const e of page.items) add(e);
  for (const e of page.pinned ?? []) add(e);
  // A revealed entity is one of the `total` too; a page answered at another version than `total` never shows "-1 more".
  const hidden = page.total - nodes.length;
  if (hidden > 0) nodes.push(moreNode(group, hidden, group === 'people' ? 'person' : 'organisation'));
  return nodes;
}

function speakerChildren(page: SpeakerPage | undefined): CorpusNode[] {
  if (!page) return [];
  const nodes: CorpusNode[] = [];
  const shown = new Set<string>();
  for (const speaker of page.items) {
    const key = speakerKey(speaker);
    if (!speaker.speakerId || quotationTotal(speaker) <= 0 || shown.has(key)) continue;
    shown.add(key);
    nodes.push({ kind: 'speaker', key, speaker });
  }
  const hidden = page.total - nodes.length;
  const u = page.unattributed;
  if (u && quotationTotal(u) > 0) nodes.push({ kind: 'speaker', key: speakerKey(u), speaker: u });
  if (hidden > 0) nodes.push(moreNode('quotations', hidden, 'speaker'));
  return nodes;
}

function moreNode(group: GroupKind, hidden: number, what: 'person' | 'organisation' | 'speaker'): CorpusNode {
  const parentKey = groupKey(group);
  return { kind: 'more', key: `more:${parentKey}`, parentKey, hidden, what, group };
}

/** The Quotations group's page from the server's answers: the named speakers, their number, the unattributed group. */
export function speakerPage(groups: readonly QuotationGroup[], groupTotal: number | undefined, unattributedAnswer: readonly QuotationGroup[]): SpeakerPage {
  const items = groups.filter((g) => g.speakerId);
  const unattributed = unattributedAnswer.find((g) => !g.speakerId && quotationTotal(g) > 0);
  // The list's total counts the unattributed group (its last entry) when there is one.
  const total = Math.max(items.length, (groupTotal ?? groups.length) - (unattributed ? 1 : 0));
  return { items, total, unattributed };
}

/** A "more" row's label: "12 more mentions…", "9,500 more people…". */
export function moreLabel(node: { hidden: number; what?: string }): string {
  const what = node.what ?? 'mention';
  const count = node.hidden.toLocaleString('en-US');
  const many = what === 'person' ? 'people' : `${what}s`;
  return `${count} more ${node.hidden === 1 ? what : many}…`;
}

/**
 * The items of a list after its next page: the page's items appended, without those the list already has (an edit
 * between the two answers moves entities across the page boundary; the caller reloads then, but a row is never
 * shown twice meanwhile).
 */
export function appendPage<T>(items: readonly T[], next: readonly T[], idOf: (item: T) => string): T[] {
  const have = new Set(items.map(idOf));
  const out = items.slice();
  for (const item of next) {
    const id = idOf(item);
    if (have.has(id)) continue;
    have.add(id);
    out.push(item);
  }
  return out;
}

/** An entity's mentions as children; `total` is how many there are when the request was cut by a limit. */
export function mentionChildren(entityId: string, mentions: readonly MentionItem[], total = mentions.length): CorpusNode[] {
  const parentKey = entityKey(entityId);
  const nodes: CorpusNode[] = mentions.map((mention) => ({
    kind: 'mention',
    key: `mention:${entityId}:${mention.uri}:${mention.range.start.line}:${mention.range.start.character}`,
    parentKey,
    mention,
  }));
  if (total > mentions.length) {
    nodes.push({ kind: 'more', key: `more:${parentKey}`, parentKey, hidden: total - mentions.length, entityId });
  }
  return nodes;
}

/** A speaker's quotations as children (`quotes` as loaded, by default those the group came with), and how many
 *  more there are when the load was cut by a limit. */
export function quotationChildren(speaker: QuotationGroup, quotes: readonly QuotationItem[] = speaker.quotes, total = quotationTotal(speaker)): CorpusNode[] {
  const parentKey = speakerKey(speaker);
  const nodes: CorpusNode[] = quotes.map((quote) => ({
    kind: 'quotation',
    key: `quote:${parentKey}:${quote.uri}:${quote.range.start.line}:${quote.range.start.character}`,
    parentKey,
    quote,
  }));
  if (total > quotes.length) {
    nodes.push({ kind: 'more', key: `more:${parentKey}`, parentKey, hidden: total - quotes.length, what: 'quotation' });
  }
  return nodes;
}

/** The key of a node's parent, for TreeView.reveal; undefined for the top level. */
export function parentKeyOf(node: CorpusNode): string | undefined {
  switch (node.kind) {
    case 'group':
      return undefined;
    case 'entity':
      return groupKey(ENTITY_GROUP[node.entity.type]);
    case 'speaker':
      return groupKey('quotations');
    case 'skippedFile':
      return groupKey('skipped');
    case 'mention':
    case 'quotation':
    case 'more':
      return node.parentKey;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Text

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "12 mentions · 3 files", or just "2 mentions" when they are all in one file (the sidebar is narrow). */
export function entityDescription(e: EntityItem): string {
  const mentions = plural(e.mentionCount, 'mention');
  return e.fileCount > 1 ? `${mentions} · ${plural(e.fileCount, 'file')}` : mentions;
}

/** A Markdown tooltip: canonical name, type, aliases, counts. */
export function entityTooltip(e: EntityItem): string {
  const lines = [`**${escapeMarkdown(e.name)}** — ${e.type}`, ''];
  const others = e.aliases.filter((a) => a !== e.name);
  if (others.length) lines.push(`Also: ${others.map(escapeMarkdown).join(', ')}`, '');
  lines.push(`${plural(e.mentionCount, 'mention')} in ${plural(e.fileCount, 'file')}`);
  if (e.quoteCount > 0) lines.push('', `${plural(e.quoteCount, 'quotation')} attributed`);
  return lines.join('\n');
}

export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function groupDescription(node: { group: GroupKind; count: number }): string {
  return String(node.count);
}

/** The last path segment of a URI, decoded: "file:///a/b/Some%20File.txt" → "Some File.txt". */
export function uriBasename(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const slash = path.lastIndexOf('/');
  // "untitled:Untitled-1" has no path segments; drop the scheme.
  const last = slash >= 0 ? path.slice(slash + 1) : path.replace(/^[a-z][a-z0-9+.-]*:/i, '');
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Collapses white space and cuts `text` to at most `max` characters, at a word boundary when one is near. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, Math.max(1, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

export interface HighlightedLabel {
  label: string;
  /** [start, end) spans of `label` to highlight. */
  highlights: [number, number][];
}

/**
 * A mention's tree label: its line of context with the mention highlighted. The context is cut to `max` characters
 * around the mention (keeping the mention itself whole), with white space collapsed.
 */
export function mentionLabel(m: MentionItem, max = 80): HighlightedLabel {
  const ctx = m.context ?? '';
  const [s, e] = m.contextSpan ?? [0, 0];
  if (!(s >= 0 && e >= s && e <= ctx.length) || ctx.slice(s, e) === '') {
    // A context that does not contain the mention (or none at all): show the mention's own text.
    return { label: m.text, highlights: m.text ? [[0, m.text.length]] : [] };
  }
  const before = ctx.slice(0, s).replace(/\s+/g, ' ').trimStart();
  const mid = ctx.slice(s, e).replace(/\s+/g, ' ');
  const after = ctx.slice(e).replace(/\s+/g, ' ').trimEnd();
  const room = Math.max(0, max - mid.length);
  // Share the room between both sides; a side that needs less gives the rest to the other.
  const leftRoom = Math.min(before.length, Math.max(Math.floor(room / 2), room - after.length));
  const rightRoom = room - leftRoom;
  const left = before.length <= leftRoom ? before : leftRoom <= 1 ? '…' : `…${before.slice(before.length - (leftRoom - 1))}`;
  const right = after.length <= rightRoom ? after : rightRoom <= 1 ? '…' : `${after.slice(0, rightRoom - 1)}…`;
  return { label: left + mid + right, highlights: [[left.length, left.length + mid.length]] };
}

/** Where a mention or quotation is: "article.txt:12" (with a workspace-relative path when the caller has one). */
export function locationDescription(item: { uri: string; line: number }, relativePath?: (uri: string) => string): string {
  const path = relativePath ? relativePath(item.uri) : uriBasename(item.uri);
  return `${path}:${item.line}`;
}

/** A quotation's label: its first words between curly quotes. */
export function quotationLabel(q: QuotationItem, max = 80): string {
  return `“${shorten(q.text, max)}”`;
}

export function speakerDescription(g: QuotationGroup): string {
  return plural(quotationTotal(g), 'quotation');
}

// ---------------------------------------------------------------------------------------------------------------
// Status bar and output

/** "$(person) 12 · $(organization) 8 · $(quote) 30", or a spinner with files done/total while indexing. */
export function statusBarText(status: IndexStatus | undefined): string {
  if (!status) return '$(sync~spin) Corpus';
  if (status.state === 'indexing') {
    const total = status.filesTotal > 0 ? `${status.filesDone}/${status.filesTotal}` : '…';
    return `$(sync~spin) Indexing ${total}`;
  }
  const c = status.counts;
  return `$(person) ${c.people} · $(organization) ${c.organisations} · $(quote) ${c.quotes}`;
}

/** Markdown for the status-bar tooltip: what is indexed, and the skipped files with their reasons (the first few). */
export function statusBarTooltip(status: IndexStatus | undefined, maxSkipped = 8): string {
  if (!status) return 'Corpus Navigator: starting the language server…';
  const c = status.counts;
  const lines: string[] = [];
  if (status.state === 'indexing') {
    lines.push(`**Corpus Navigator** — indexing ${status.filesDone} of ${plural(status.filesTotal, 'file')}…`);
  } else {
    lines.push(`**Corpus Navigator** — ${plural(c.documents, 'file')} indexed${status.cancelled ? ' (cancelled)' : ''}`);
  }
  lines.push(
    '',
    `${plural(c.people, 'person', 'people')} · ${plural(c.organisations, 'organisation')} · ${plural(c.quotes, 'quotation')} · ${plural(c.mentions, 'mention')}`,
  );
  const skipped = status.skipped;
  lines.push('', skipped.length === 0 ? 'No files skipped.' : `${plural(skipped.length, 'file')} skipped:`);
  for (const s of skipped.slice(0, maxSkipped)) lines.push(`- ${escapeMarkdown(uriBasename(s.uri))}: ${escapeMarkdown(s.reason)}`);
  if (skipped.length > maxSkipped) lines.push(`- … and ${skipped.length - maxSkipped} more (see the Corpus view)`);
  lines.push('', 'Click to open the Corpus view.');
  return lines.join('\n');
}

/** The line the client writes to its output channel when a scan ends; the editor tests wait for it. */
export function indexingFinishedLine(status: IndexStatus, seconds?: number): string {
  const c = status.counts;
  const extra = [plural(c.documents, 'file'), `${status.skipped.length} skipped`];
  if (seconds !== undefined) extra.push(`${seconds.toFixed(1)} s`);
  if (status.cancelled) extra.push('cancelled');
  return (
    `Corpus Navigator: indexing finished: ${plural(c.people, 'person', 'people')} · ` +
    `${plural(c.organisations, 'organisation')} · ${plural(c.quotes, 'quotation')} (${extra.join(', ')})`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Quick pick

export interface EntityPick {
  label: string;
  description: string;
  detail?: string;
  id: string;
}

/**
 * Quick-pick rows, most mentioned first (or in the given order: the server's best matches first for a typed query);
 * the aliases go in the detail so that they can be searched.
 */
export function entityPicks(entities: readonly EntityItem[], keepOrder = false): EntityPick[] {
  return (keepOrder ? entities : sortEntities(entities)).map((e) => {
    const others = e.aliases.filter((a) => a !== e.name);
    return {
      label: `${e.type === 'person' ? '$(person)' : '$(organization)'} ${e.name}`,
      description: entityDescription(e),
      detail: others.length ? `Also: ${others.join(', ')}` : undefined,
      id: e.id,
    };
  });
}

/** The mention to land on when an entity is picked from a list: the first in its own document order. */
export function firstMention(mentions: readonly MentionItem[]): MentionItem | undefined {
  return mentions[0];
}

/**
 * The mention of the entity nearest to a position in one document (for a cursor inside a quotation whose speaker
 * is the entity): the closest before it if there is one in the same document, else the first after it.
 */
export function nearestMention(
  mentions: readonly MentionItem[],
  uri: string,
  pos: { line: number; character: number },
): MentionItem | undefined {
  let before: MentionItem | undefined;
  let after: MentionItem | undefined;
  for (const m of mentions) {
    if (m.uri !== uri) continue;
    const s = m.range.start;
    const isBefore = s.line < pos.line || (s.line === pos.line && s.character <= pos.character);
    if (isBefore) before = m;
    else if (!after) after = m;
  }
  return before ?? after;
}
