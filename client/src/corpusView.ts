// The Corpus view: a TreeDataProvider over the server's custom requests. What the nodes are and how they read lives
// in corpusTree.ts (pure, unit-tested); this file fetches, caches per index version, and makes TreeItems.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  EntitiesRequest,
  MentionsRequest,
  QuotationsRequest,
  type IndexStatus,
  type MentionItem,
  type QuotationGroup,
} from '../../server/src/protocol';
import type { TreeSnapshotNode } from './api';
import {
  type CorpusNode,
  type CorpusSnapshot,
  GROUP_LABELS,
  entityDescription,
  entityKey,
  entityTooltip,
  groupChildren,
  groupDescription,
  groupKey,
  locationDescription,
  mentionChildren,
  mentionLabel,
  parentKeyOf,
  plural,
  quotationChildren,
  quotationLabel,
  quotationTotal,
  rootNodes,
  speakerDescription,
  uriBasename,
} from './corpusTree';

export const CORPUS_VIEW_ID = 'corpusNavigator.corpus';

/** An entity with thousands of mentions would make a slow, unusable list; the rest is one "Find All Mentions" away. */
const MENTION_LIMIT = 500;
/** Quotations are loaded per speaker when the speaker is expanded: on a newsroom archive the full list is hundreds of
 *  thousands of items (tens of MB of JSON per refresh), while the counts alone are small. */
const QUOTATION_LIMIT = 500;

export class CorpusTreeProvider implements vscode.TreeDataProvider<CorpusNode>, vscode.Disposable {
  private snapshot: CorpusSnapshot = { entities: [], quotationGroups: [] };
  private loadedVersion: number | undefined;
  private loading: Promise<void> | undefined;
  /**
   * Nodes by key. TreeView.reveal finds elements by identity, so a node that keeps its key keeps its object across
   * refreshes (its data is updated in place).
   */
  private readonly nodes = new Map<string, CorpusNode>();
  private readonly changed = new vscode.EventEmitter<CorpusNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly client: LanguageClient,
    private readonly currentStatus: () => IndexStatus | undefined,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  /** Re-reads everything on the next getChildren; expanded nodes stay expanded (their ids are stable). */
  refresh(): void {
    this.loadedVersion = undefined;
    this.changed.fire(undefined);
  }

  /** The version of the index the tree shows, for tests that wait for an edit to reach the view. */
  get version(): number | undefined {
    return this.loadedVersion;
  }

  private load(): Promise<void> {
    const want = this.currentStatus()?.version;
    if (this.loadedVersion !== undefined && this.loadedVersion === want) return Promise.resolve();
    if (!this.loading) {
      this.loading = (async () => {
        try {
          const [entities, quotations] = await Promise.all([
            this.client.sendRequest(EntitiesRequest, {}),
            this.client.sendRequest(QuotationsRequest, { limitPerGroup: 0 }),
          ]);
          this.snapshot = { entities: entities.entities, quotationGroups: quotations.groups, status: this.currentStatus() };
          this.loadedVersion = entities.version;
        } catch (err) {
          // The server may be starting or restarting; the next status notification refreshes again.
          this.snapshot = { entities: [], quotationGroups: [], status: this.currentStatus() };
          this.loadedVersion = undefined;
          this.client.warn(`Corpus view: could not load the corpus: ${String(err)}`, undefined, false);
        } finally {
          this.loading = undefined;
        }
      })();
    }
    return this.loading;
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
      await this.load();
      return this.intern(rootNodes(this.snapshot));
    }
    switch (node.kind) {
      case 'group':
        await this.load();
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
        const item = new vscode.TreeItem(`${plural(node.hidden, `more ${what}`)}…`, vscode.TreeItemCollapsibleState.None);
        item.id = node.key;
        item.tooltip = what === 'mention' ? 'Show every mention in the References view' : 'Only the first quotations are listed here';
        if (node.entityId) {
          item.command = { title: 'Find All Mentions', command: 'corpusNavigator.findAllMentions', arguments: [node.entityId] };
        }
        return item;
      }
    }
  }

  /** The entity's node, loaded and interned together with its group so that TreeView.reveal can walk up to it. */
  async entityNode(id: string): Promise<CorpusNode | undefined> {
    await this.load();
    let entity = this.snapshot.entities.find((e) => e.id === id);
    if (!entity) {
      this.loadedVersion = undefined;
      await this.load();
      entity = this.snapshot.entities.find((e) => e.id === id);
    }
    if (!entity) return undefined;
    this.intern(rootNodes(this.snapshot));
    const group = entity.type === 'person' ? 'people' : 'organisations';
    this.intern(groupChildren(this.snapshot, group));
    return this.nodes.get(entityKey(id));
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
