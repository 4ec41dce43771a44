// The palette commands: Find All Mentions, Reveal in Corpus View, Re-index Corpus.
//
// Find All Mentions shows its results in VS Code's own References view, filled by the server's
// textDocument/references at a mention: so the list is exactly what "Find All References" gives, grouped by file,
// with the usual next/previous navigation. When the cursor is not on a mention (a quick pick, or inside a
// quotation whose speaker is the entity) the editor first moves to a mention of the entity.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  EntitiesRequest,
  EntityAtRequest,
  MentionsRequest,
  ReindexRequest,
  type EntityAtResult,
  type EntityItem,
  type MentionItem,
} from '../../server/src/protocol';
import { entityPicks, firstMention, nearestMention, plural, type EntityPick } from './corpusTree';
import type { CorpusNode } from './corpusTree';
import { CORPUS_VIEW_ID, type CorpusTreeProvider } from './corpusView';

export const COMMANDS = {
  findAllMentions: 'corpusNavigator.findAllMentions',
  revealInCorpusView: 'corpusNavigator.revealInCorpusView',
  reindex: 'corpusNavigator.reindex',
  showOutput: 'corpusNavigator.showOutput',
} as const;

export const CORPUS_LANGUAGES = new Set(['plaintext', 'markdown']);

/** Entities a quick pick lists at a time: the most mentioned, or the best matches of what is typed. */
const PICK_LIMIT = 200;

export function registerCommands(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  tree: CorpusTreeProvider,
  view: vscode.TreeView<CorpusNode>,
  output: vscode.LogOutputChannel,
): void {
  const p2c = () => client.protocol2CodeConverter;
  const c2p = () => client.code2ProtocolConverter;

  /** The entity under the active editor's cursor, if the editor holds a corpus document. */
  async function entityAtCursor(): Promise<{ editor: vscode.TextEditor; at: EntityAtResult } | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !CORPUS_LANGUAGES.has(editor.document.languageId)) return undefined;
    const at = await client.sendRequest(EntityAtRequest, {
      textDocument: { uri: c2p().asUri(editor.document.uri) },
      position: c2p().asPosition(editor.selection.active),
    });
    return at ? { editor, at } : undefined;
  }

  /**
   * A quick pick over the entities, asked of the server as the user types (a newsroom archive has ~13k of them: the
   * whole list took a 2.5 MB answer before the pick opened). Empty input shows the most mentioned; a query shows the
   * server's fuzzy matches over every alias, which the pick must not filter away again (an acronym matches no label).
   */
  async function pickEntity(placeHolder: string): Promise<string | undefined> {
    const first = await client.sendRequest(EntitiesRequest, { limit: PICK_LIMIT });
    if (first.entities.length === 0) {
      void vscode.window.showInformationMessage(
        first.indexing
          ? 'Corpus Navigator is still indexing the workspace; try again in a moment.'
          : 'Corpus Navigator found no people or organisations in this workspace.',
      );
      return undefined;
    }
    const pick = vscode.window.createQuickPick<EntityPick & vscode.QuickPickItem>();
    pick.placeholder = placeHolder;
    pick.matchOnDescription = false;
    pick.matchOnDetail = true;
    const show = (entities: EntityItem[], query: string) => {
      const rows = entityPicks(entities, query !== '');
      pick.items = rows.map((r) => ({ ...r, alwaysShow: query !== '' }));
    };
    show(first.entities, '');
    let asked = 0;
    let timer: NodeJS.Timeout | undefined;
    // `asked` counts keystrokes, not requests: an answer to "Cor" that lands after "JLM" was typed (while its request
    // still waits for the debounce) is as old as any other.
    const ask = (query: string, mine: number) => {
      client.sendRequest(EntitiesRequest, query ? { query, limit: PICK_LIMIT } : { limit: PICK_LIMIT }).then(
        (r) => {
          // An answer to an older query than the last one typed is dropped.
          if (mine !== asked) return;
          pick.busy = false;
          show(r.entities, query);
        },
        () => {
          if (mine === asked) pick.busy = false;
        },
      );
    };
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (id: string | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        pick.dispose();
        resolve(id);
      };
      pick.onDidChangeValue((value) => {
        clearTimeout(timer);
        const mine = ++asked;
        pick.busy = true;
        timer = setTimeout(() => ask(value.trim(), mine), 80);
      });
      pick.onDidAccept(() => finish(pick.selectedItems[0]?.id ?? pick.activeItems[0]?.id));
      pick.onDidHide(() => finish(undefined));
      pick.show();
    });
  }

  async function showReferencesAt(uri: vscode.Uri, range: vscode.Range, mentions: () => Promise<MentionItem[]>): Promise<void> {
    const editor = await vscode.window.showTextDocument(uri, { selection: new vscode.Range(range.start, range.start), preview: true });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    await showReferencesAtCursor(editor, mentions);
  }

  async function showReferencesAtCursor(editor: vscode.TextEditor, mentions?: () => Promise<MentionItem[]>): Promise<void> {
    try {
      // The built-in References view (extension vscode.references-view) queries the reference providers, i.e. our
      // server, at the active editor's cursor.
      await vscode.commands.executeCommand('references-view.findReferences');
    } catch {
      // A VS Code without the References view: show the same locations in a peek instead.
      const locations = (mentions ? await mentions() : []).map((m) => new vscode.Location(p2c().asUri(m.uri), p2c().asRange(m.range)));
      if (locations.length) {
        await vscode.commands.executeCommand('editor.action.showReferences', editor.document.uri, editor.selection.active, locations);
      } else {
        await vscode.commands.executeCommand('editor.action.referenceSearch.trigger');
      }
    }
  }

  function announce(entity: EntityItem | undefined): void {
    if (!entity) return;
    vscode.window.setStatusBarMessage(
      `Corpus Navigator: ${plural(entity.mentionCount, 'mention')} of ${entity.name} in ${plural(entity.fileCount, 'file')}`,
      8000,
    );
  }

  async function findAllMentions(arg?: unknown): Promise<void> {
    let id = entityIdOf(arg);
    let near: { uri: string; position: vscode.Position } | undefined;
    if (!id) {
      const here = await entityAtCursor();
      if (here?.at.via === 'mention') {
        announce(here.at.entity);
        await showReferencesAtCursor(here.editor);
        return;
      }
      if (here) {
        id = here.at.entity.id;
        near = { uri: c2p().asUri(here.editor.document.uri), position: here.editor.selection.active };
      }
    }
    id ??= await pickEntity('Find all mentions of… (type any alias)');
    if (!id) return;
    // Only where to land is needed: the first mention, or (inside a quotation) the nearest in that document. An
    // entity of a newsroom archive has tens of thousands of mentions, each with its context: megabytes.
    const result = await client.sendRequest(MentionsRequest, near ? { id } : { id, limit: 1 });
    const target = near ? (nearestMention(result.mentions, near.uri, near.position) ?? firstMention(result.mentions)) : firstMention(result.mentions);
    if (!target) {
      void vscode.window.showInformationMessage(`Corpus Navigator: no mentions of ${result.entity?.name ?? id} are left.`);
      return;
    }
    announce(result.entity);
    const all = async () => (near || result.total <= result.mentions.length ? result.mentions : (await client.sendRequest(MentionsRequest, { id })).mentions);
    await showReferencesAt(p2c().asUri(target.uri), p2c().asRange(target.range), all);
  }

  async function revealInCorpusView(arg?: unknown): Promise<void> {
    let id = entityIdOf(arg);
    if (!id) id = (await entityAtCursor())?.at.entity.id;
    id ??= await pickEntity('Reveal in the Corpus view… (type any alias)');
    if (!id) return;
    const node = await tree.entityNode(id);
    if (!node) {
      void vscode.window.showInformationMessage('Corpus Navigator: that entity is no longer in the index.');
      return;
    }
    await vscode.commands.executeCommand(`${CORPUS_VIEW_ID}.focus`);
    await view.reveal(node, { select: true, focus: true, expand: true });
  }

  async function reindex(): Promise<void> {
    if (!client.isRunning()) {
      await client.start();
      return;
    }
    output.info('Corpus Navigator: re-indexing the workspace');
    await client.sendRequest(ReindexRequest);
  }

  const guarded =
    (name: string, fn: (arg?: unknown) => Promise<void>) =>
    async (arg?: unknown): Promise<void> => {
      try {
        await fn(arg);
      } catch (err) {
        output.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        void vscode.window.showErrorMessage(`Corpus Navigator: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.findAllMentions, guarded('Find All Mentions', findAllMentions)),
    vscode.commands.registerCommand(COMMANDS.revealInCorpusView, guarded('Reveal in Corpus View', revealInCorpusView)),
    vscode.commands.registerCommand(COMMANDS.reindex, guarded('Re-index Corpus', reindex)),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show(true)),
  );
}

/** Commands are also run from the Corpus view (a node) and from the "more mentions" row (an entity id). */
function entityIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'kind' in arg) {
    const node = arg as CorpusNode;
    if (node.kind === 'entity') return node.entity.id;
    if (node.kind === 'speaker') return node.speaker.speakerId;
    if (node.kind === 'more') return node.entityId;
  }
  return undefined;
}
