// The Corpus view: a TreeDataProvider over the server's custom requests. What the nodes are and how they read lives
// in corpusTree.ts (pure, unit-tested); this file fetches, caches per index version, and makes TreeItems.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  EntitiesRequest,
  MentionsRequest,
  QuotationsRequest,
  type EntitiesResult,
  type EntityItem,
  type IndexStatus,
  type MentionItem,
  type QuotationGroup,
} from '../../server/src/protocol';
import type { TreeSnapshotNode } from './api';
import {
  type CorpusNode,
  type CorpusSnapshot,
  type EntityPage,
  type GroupKind,
  type SpeakerPage,
  EMPTY_COUNTS,
  GROUP_LABELS,
  appendPage,
  entityDescription,
  entityKey,
  entityTooltip,
  groupChildren,
  groupDescription,
  groupKey,
  locationDescription,
  mentionChildren,
  mentionLabel,
  moreLabel,
  parentKeyOf,
  quotationChildren,
  quotationLabel,
  quotationTotal,
  rootNodes,
  speakerDescription,
  speakerPage,
  uriBasename,
} from './corpusTree';

export const CORPUS_VIEW_ID = 'corpusNavigator.corpus';
/** Run by a group's "N more …" row (not in the palette: it needs the row's group). */
export const SHOW_MORE_COMMAND = 'corpusNavigator.corpusView.showMore';

/** An entity with thousands of mentions would make a slow, unusable list; the rest is one "Find All Mentions" away. */
const MENTION_LIMIT = 500;
/** Quotations are loaded per speaker when the speaker is expanded: on a newsroom archive the full list is hundreds of
 *  thousands of items (tens of MB of JSON per refresh), while the counts alone are small. */
const QUOTATION_LIMIT = 500;
/** Entities and speakers a group loads at a time: a few screens. A 100 MB corpus has ~13k entities and ~9k quoted
 *  speakers; listing all of them after every edit took ~3 MB of JSON, 65–85 ms of server CPU and 55–65 ms of client
 *  CPU per refresh (in process, before the paging). */
export const PAGE_SIZE = 200;
/** Revealed entities kept in view beyond the loaded pages (the oldest is let go first). */
const PINNED_LIMIT = 20;

type EntityGroup = 'people' | 'organisations';
const TYPE_OF: Record<EntityGroup, 'person' | 'organisation'> = { people: 'person', organisations: 'organisation' };

/** One part of the tree as loaded from the server: the index version it shows, and the refresh it was loaded in. */
interface Part<T> {
  data?: T;
  version?: number;
  generation: number;
  loading?: Promise<void>;
  loadingGeneration?: number;
}

export class CorpusTreeProvider implements vscode.TreeDataProvider<CorpusNode>, vscode.Disposable {
  private counts: Part<CorpusSnapshot['counts']> = { generation: -1 };
  private readonly entityParts: Record<EntityGroup, Part<EntityPage> & { want: number; pinned: Map<string, EntityItem> }> = {
    people: { generation: -1, want: PAGE_SIZE, pinned: new Map() },
    organisations: { generation: -1, want: PAGE_SIZE, pinned: new Map() },
  };
  private speakerPart: Part<SpeakerPage> & { want: number } = { generation: -1, want: PAGE_SIZE };
  /** Groups the tree is to read again (a revealed entity was added to them), with what to call when it has. */
  private readonly rereads = new Map<string, () => void>();
  /** Bumped by refresh(): a load that started before it does not count as current. */
  private generation = 0;
  /**
   * Nodes by key. TreeView.reveal finds elements by identity, so a node that keeps its key keeps its object across
   * refreshes (its data is updated in place).
   */
  private readonly nodes = new Map<string, CorpusNode>();
  private readonly changed = new vscode.EventEmitter<CorpusNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly command: vscode.Disposable;

  constructor(
    private readonly client: LanguageClient,
    private readonly currentStatus: () => IndexStatus | undefined,
  ) {
    this.command = vscode.commands.registerCommand(SHOW_MORE_COMMAND, (group: unknown) => this.showMore(group));
  }

  dispose(): void {
    this.command.dispose();
    this.changed.dispose();
  }

  /** Re-reads what is shown on the next getChildren; expanded nodes stay expanded (their ids are stable), and each
   *  group reloads as many entries as it had loaded. */
  refresh(): void {
    this.generation++;
    this.changed.fire(undefined);
  }

  /** The version of the index the tree's top level shows, for tests that wait for an edit to reach the view. */
  get version(): number | undefined {
    return this.counts.generation === this.generation ? this.counts.version : undefined;
  }

  private get snapshot(): CorpusSnapshot {
    return {
      counts: this.counts.data ?? EMPTY_COUNTS,
      people: this.entityParts.people.data,
      organisations: this.entityParts.organisations.data,
      speakers: this.speakerPart.data,
      status: this.currentStatus(),
    };
  }

  /** Whether a part shows the index as the last status reported it, loaded since the last refresh. */
  private current(part: Part<unknown>): boolean {
    if (part.version === undefined || part.generation !== this.generation) return false;
    const want = this.currentStatus()?.version;
    return want === undefined || part.version >= want;
  }

  /** Loads a part unless it is current; one load at a time per part. A failed load leaves the part empty. */
  private ensure<T>(part: Part<T>, what: string, fetch: () => Promise<{ data: T; version: number }>): Promise<void> {
    if (this.current(part)) return Promise.resolve();
    // A load that began before the last refresh may answer from before the change: the tree asked again because of
    // that change, so it gets a load of its own once that one is done.
    if (part.loading && part.loadingGeneration !== this.generation) return part.loading.then(() => this.ensure(part, what, fetch));
    if (!part.loading) {
      const generation = this.generation;
      part.loadingGeneration = generation;
      part.loading = (async () => {
        try {
          const r = await fetch();
          part.data = r.data;
          part.version = r.version;
          part.generation = generation;
        } catch (err) {
          // The server may be starting or restarting; the next status notification refreshes again.
          part.data = undefined;
          part.version = undefined;
          this.client.warn(`Corpus view: could not load ${what}: ${String(err)}`, undefined, false);
        } finally {
          part.loading = undefined;
        }
      })();
    }
    return part.loading;
  }

  /** The top level's totals: three counts the index keeps, whatever the corpus's size. */
  private loadCounts(): Promise<void> {
    return this.ensure(this.counts, 'the corpus', async () => {
      const r = await this.client.sendRequest(EntitiesRequest, { limit: 0 });
      return { data: r.counts ?? EMPTY_COUNTS, version: r.version };
    });
  }

  /** An open group's entities: as many as it had loaded (a page at first), and the revealed ones beyond them. */
  private loadEntities(group: EntityGroup): Promise<void> {
    const part = this.entityParts[group];
    const type = TYPE_OF[group];
    return this.ensure(part, GROUP_LABELS[group], async () => {
      // Only the ids asked about are judged by the answer: one pinned while this load runs (a reveal) is kept.
      const asked = [...part.pinned.keys()];
      const [page, pinned] = await Promise.all([
        this.client.sendRequest(EntitiesRequest, { type, limit: Math.max(PAGE_SIZE, part.want) }),
        asked.length ? this.client.sendRequest(EntitiesRequest, { type, ids: asked }) : undefined,
      ]);
      if (pinned) {
        // Entities that went away (or changed type) are let go; the others keep their fresh counts.
        const fresh = new Map(pinned.entities.map((e) => [e.id, e]));
        for (const id of asked) {
          const e = fresh.get(id);
          if (e) part.pinned.set(id, e);
          else part.pinned.delete(id);
        }
      }
      return {
        data: { items: page.entities, total: page.total ?? page.entities.length, pinned: [...part.pinned.values()] },
        version: pinned ? Math.min(page.version, pinned.version) : page.version,
      };
    });
  }

  /** The Quotations group: a page of named speakers (most quoted first), and the unattributed group's count. */
  private loadSpeakers(): Promise<void> {
    const part = this.speakerPart;
    return this.ensure(part, GROUP_LABELS.quotations, async () => {
      const [page, unattributed] = await Promise.all([
        this.client.sendRequest(QuotationsRequest, { limitPerGroup: 0, groupLimit: Math.max(PAGE_SIZE, part.want) }),
        this.client.sendRequest(QuotationsRequest, { limitPerGroup: 0, unattributedOnly: true }),
      ]);
      return { data: speakerPage(page.groups, page.groupTotal, unattributed.groups), version: Math.min(page.version, unattributed.version) };
    });
  }

  /** A group's "N more …" row: the next page, appended when the index has not changed since the loaded ones, else
   *  everything up to it reloaded. */
  async showMore(arg: unknown): Promise<void> {
    const group = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'group' in arg ? (arg as { group: unknown }).group : undefined;
    if (group === 'people' || group === 'organisations') {
      await this.nextPage(this.entityParts[group], group, GROUP_LABELS[group], async (loaded) => {
        const r = await this.client.sendRequest(EntitiesRequest, { type: TYPE_OF[group], offset: loaded.items.length, limit: PAGE_SIZE });
        return { version: r.version, data: { ...loaded, items: appendPage(loaded.items, r.entities, (e) => e.id), total: r.total ?? loaded.total } };
      });
    } else if (group === 'quotations') {
      // The page's offset counts the list's entries, and the unattributed group is the last of them.
      await this.nextPage(this.speakerPart, group, 'speakers', async (loaded) => {
        const r = await this.client.sendRequest(QuotationsRequest, { limitPerGroup: 0, groupOffset: loaded.items.length, groupLimit: PAGE_SIZE });
        const named = r.groups.filter((g) => g.speakerId);
        return { version: r.version, data: { ...loaded, items: appendPage(loaded.items, named, (g) => g.speakerId!) } };
      });
    }
  }

  private async nextPage<D extends { items: unknown[] }>(
    part: Part<D> & { want: number },
    group: GroupKind,
    what: string,
    fetch: (loaded: D) => Promise<{ version: number; data: D }>,
  ): Promise<void> {
    await part.loading;
    const loaded = part.data;
    if (!loaded) return;
    part.want = Math.max(part.want, loaded.items.length) + PAGE_SIZE;
    const generation = this.generation;
    try {
      const r = await fetch(loaded);
      if (part.data === loaded && r.version === part.version && generation === this.generation) part.data = r.data;
      // The index moved on under the page: reload up to `want`. (A newer load already in place is right as it is.)
      else if (part.data === loaded) part.version = undefined;
    } catch (err) {
      part.version = undefined;
      this.client.warn(`Corpus view: could not load more ${what}: ${String(err)}`, undefined, false);
    }
    this.changed.fire(this.nodes.get(groupKey(group)));
  }

  private intern(nodes: CorpusNode[]): CorpusNode[] {
    return nodes.map((n) => {
      const existing = this.nodes.get(n.key);
      if (existing && existing.kind === n.kind) {
        Object.assign(existing, n);
        return existing;
      }
      this.nodes.set(n.key, n);
      return n;
    });
  }

  async getChildren(node?: CorpusNode): Promise<CorpusNode[]> {
    if (!node) {
      await this.loadCounts();
      return this.intern(rootNodes(this.snapshot));
    }
    switch (node.kind) {
      case 'group':
        if (node.group === 'people' || node.group === 'organisations') await this.loadEntities(node.group);
        else if (node.group === 'quotations') await this.loadSpeakers();
        this.rereads.get(node.key)?.();
        return this.intern(groupChildren(this.snapshot, node.group));
      case 'entity':
        return this.intern(await this.mentionNodes(node.entity.id));
      case 'speaker':
        return this.intern(await this.quotationNodes(node.speaker));
      default:
        return [];
    }
  }

  private async mentionNodes(id: string): Promise<CorpusNode[]> {
    try {
      const r = await this.client.sendRequest(MentionsRequest, { id, limit: MENTION_LIMIT });
      return mentionChildren(id, r.mentions, r.total);
    } catch {
      return [];
    }
  }

  private async quotationNodes(speaker: QuotationGroup): Promise<CorpusNode[]> {
    try {
      const params = speaker.speakerId
        ? { speakerId: speaker.speakerId, limitPerGroup: QUOTATION_LIMIT }
        : { unattributedOnly: true, limitPerGroup: QUOTATION_LIMIT };
      const r = await this.client.sendRequest(QuotationsRequest, params);
      const group = r.groups.find((g) => g.speakerId === speaker.speakerId);
      return group ? quotationChildren(speaker, group.quotes, quotationTotal(group)) : [];
    } catch {
      return [];
    }
  }

  getParent(node: CorpusNode): CorpusNode | undefined {
    const key = parentKeyOf(node);
    return key ? this.nodes.get(key) : undefined;
  }

  getTreeItem(node: CorpusNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(
          GROUP_LABELS[node.group],
          node.group === 'people' || node.group === 'organisations'
            ? vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = node.key;
        item.description = groupDescription(node);
        item.contextValue = `group.${node.group}`;
        item.iconPath = new vscode.ThemeIcon(
          { people: 'person', organisations: 'organization', quotations: 'quote', skipped: 'warning' }[node.group],
        );
        if (node.group === 'skipped') item.tooltip = 'Files the index left out, with the reason (too large, binary, unreadable …).';
        return item;
      }
      case 'entity': {
        const e = node.entity;
        const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.key;
        item.description = entityDescription(e);
        item.tooltip = new vscode.MarkdownString(entityTooltip(e));
        item.contextValue = 'entity';
        item.iconPath = new vscode.ThemeIcon(e.type === 'person' ? 'person' : 'organization');
        return item;
      }
      case 'mention': {
        const m = node.mention;
        const item = new vscode.TreeItem(mentionLabel(m), vscode.TreeItemCollapsibleState.None);
        item.id = node.key;
        item.description = locationDescription(m, relativePath);
        item.tooltip = `${relativePath(m.uri)}:${m.line}\n${m.context}`;
        item.contextValue = 'mention';
        item.command = openCommand(this.client, m.uri, m.range);
        return item;
      }
      case 'speaker': {
        const g = node.speaker;
        const item = new vscode.TreeItem(g.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.key;
        item.description = speakerDescription(g);
        item.contextValue = g.speakerId ? 'speaker' : 'speaker.unnamed';
        item.iconPath = new vscode.ThemeIcon(g.type === 'organisation' ? 'organization' : g.type === 'person' ? 'person' : 'comment');
        return item;
      }
      case 'quotation': {
        const q = node.quote;
        const item = new vscode.TreeItem(quotationLabel(q), vscode.TreeItemCollapsibleState.None);
        item.id = node.key;
        item.description = locationDescription(q, relativePath);
        item.tooltip = `${q.text}${q.speakerText ? `\n— ${q.speakerText}` : ''}\n${relativePath(q.uri)}:${q.line}`;
        item.contextValue = 'quotation';
        item.command = openCommand(this.client, q.uri, q.range);
        return item;
      }
      case 'skippedFile': {
        const uri = this.client.protocol2CodeConverter.asUri(node.file.uri);
        const item = new vscode.TreeItem(uriBasename(node.file.uri), vscode.TreeItemCollapsibleState.None);
        item.id = node.key;
        item.resourceUri = uri;
        item.description = node.file.reason;
        item.tooltip = `${relativePath(node.file.uri)}: ${node.file.reason}`;
        item.contextValue = 'skippedFile';
        item.command = { title: 'Reveal in Explorer', command: 'revealInExplorer', arguments: [uri] };
        return item;
      }
      case 'more': {
        const what = node.what ?? 'mention';
        const item = new vscode.TreeItem(moreLabel(node), vscode.TreeItemCollapsibleState.None);
        item.id = node.key;
        if (node.group) {
          item.tooltip = `Load the next ${PAGE_SIZE}`;
          item.iconPath = new vscode.ThemeIcon('ellipsis');
          item.command = { title: 'Show More', command: SHOW_MORE_COMMAND, arguments: [node.group] };
        } else {
          item.tooltip = what === 'mention' ? 'Show every mention in the References view' : 'Only the first quotations are listed here';
        }
        if (node.entityId) {
          item.command = { title: 'Find All Mentions', command: 'corpusNavigator.findAllMentions', arguments: [node.entityId] };
        }
        return item;
      }
    }
  }

  /**
   * The entity's node, loaded and interned together with its group so that TreeView.reveal can walk up to it. An
   * entity beyond the group's loaded pages is asked for by id and stays shown after them (pinned) until it is gone.
   */
  async entityNode(id: string): Promise<CorpusNode | undefined> {
    let r: EntitiesResult;
    try {
      r = await this.client.sendRequest(EntitiesRequest, { ids: [id] });
    } catch (err) {
      // A server that is restarting: the command says the entity cannot be shown, not "command failed".
      this.client.warn(`Corpus view: could not look up ${id}: ${String(err)}`, undefined, false);
      return undefined;
    }
    const entity = r.entities.find((e) => e.id === id);
    if (!entity) return undefined;
    const group: EntityGroup = entity.type === 'person' ? 'people' : 'organisations';
    const part = this.entityParts[group];
    await Promise.all([this.loadCounts(), this.loadEntities(group)]);
    const page = part.data;
    const pinnedNow = !!page && !page.items.some((e) => e.id === id) && !part.pinned.has(id);
    if (page && !page.items.some((e) => e.id === id)) {
      part.pinned.delete(id);
      part.pinned.set(id, entity);
      while (part.pinned.size > PINNED_LIMIT) part.pinned.delete(part.pinned.keys().next().value!);
      part.data = { ...page, pinned: [...part.pinned.values()] };
    }
    this.intern(rootNodes(this.snapshot));
    this.intern(groupChildren(this.snapshot, group));
    const node = this.nodes.get(entityKey(id));
    if (node && pinnedNow) {
      // The group has a row the tree has not seen: it must read the group again before it can select that row
      // (it does so only for an open group, hence the bound on the wait).
      const key = groupKey(group);
      const reread = new Promise<void>((resolve) => this.rereads.set(key, resolve));
      this.changed.fire(this.nodes.get(key));
      await Promise.race([reread, new Promise((resolve) => setTimeout(resolve, 750))]);
      this.rereads.delete(key);
    }
    return node;
  }

  /** The rows of the view, for the API's treeSnapshot (tests). */
  async rows(depth: number, parent?: CorpusNode): Promise<TreeSnapshotNode[]> {
    if (depth <= 0) return [];
    const out: TreeSnapshotNode[] = [];
    for (const child of await this.getChildren(parent)) {
      const item = this.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const row: TreeSnapshotNode = { id: child.key, label, description: typeof item.description === 'string' ? item.description : undefined };
      if (depth > 1 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) row.children = await this.rows(depth - 1, child);
      out.push(row);
    }
    return out;
  }

  groupNode(group: 'people' | 'organisations'): CorpusNode | undefined {
    return this.nodes.get(groupKey(group));
  }
}

function relativePath(uri: string): string {
  try {
    return vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
  } catch {
    return uriBasename(uri);
  }
}

function openCommand(client: LanguageClient, uri: string, range: MentionItem['range']): vscode.Command {
  return {
    title: 'Open',
    command: 'vscode.open',
    arguments: [client.protocol2CodeConverter.asUri(uri), { selection: client.protocol2CodeConverter.asRange(range) }],
  };
}
