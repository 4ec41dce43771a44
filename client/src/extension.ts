// The extension's entry point: starts the bundled language server, then wires the Corpus view, the commands and
// the status bar to its index-status notification. Returns the API the editor test suites use (api.ts).

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  IndexStatusNotification,
  SETTINGS_SECTION,
  StatusRequest,
  type IndexStatus,
  type InitializationOptions,
} from '../../server/src/protocol';
import type { CorpusNavigatorApi } from './api';
import { COMMANDS, registerCommands } from './commands';
import { indexingFinishedLine } from './corpusTree';
import { CORPUS_VIEW_ID, CorpusTreeProvider } from './corpusView';
import { RestartPolicy } from './restartPolicy';
import { CorpusStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CorpusNavigatorApi> {
  const output = vscode.window.createOutputChannel('Corpus Navigator', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  // Over stdio the server sends large answers as JSON it has already written (server/src/lsp/connection.ts: the
  // references of an entity with tens of thousands of mentions); over node IPC every answer is an object that the
  // channel serialises itself. Nothing in the server writes to stdout besides the protocol: the console is sent to
  // this client's log, and what the analysis workers print goes to stderr.
  // The server opens no network connection, yet Node reads and parses the whole certificate bundle that
  // NODE_EXTRA_CA_CERTS names before it runs any script: on these machines (a 220 KB system bundle) `node -e 0` took
  // 0.20–0.24 s with it and 0.03–0.10 s without, a tenth of a warm reopen of a 100 MB corpus. An undefined value
  // leaves the variable out of the server's environment.
  const env = { NODE_EXTRA_CA_CERTS: undefined };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, options: { env } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const languages = ['plaintext', 'markdown'];
  const restarts = new RestartPolicy();
  const clientOptions: LanguageClientOptions = {
    documentSelector: languages.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    // File watching: the server registers watchers for its include globs itself (workspace/didChangeWatchedFiles
    // with dynamic registration) and renews them when the settings change.
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: output,
    // The index cache lives in the extension's own storage folder, the only place the server writes to; with it,
    // reopening an unchanged corpus skips analysis.
    initializationOptions: {
      cacheFolder: (context.storageUri ?? context.globalStorageUri).fsPath,
    } satisfies InitializationOptions,
    // Restart a crashed server (it re-indexes on start) and say so once, instead of a notification per crash.
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      closed: () => {
        const decision = restarts.onServerClosed(Date.now());
        output.warn(`Corpus Navigator: the language server stopped; ${decision.restart ? 'restarting' : 'not restarting'}.`);
        if (decision.notify) {
          void vscode.window.showWarningMessage(decision.notify, 'Show Output').then((choice) => {
            if (choice) void vscode.commands.executeCommand(COMMANDS.showOutput);
          });
        }
        return { action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  client = new LanguageClient('corpusNavigator', 'Corpus Navigator', serverOptions, clientOptions);
  const lc = client;

  // ---- index status: status bar, tree refresh, the "indexing finished" line, test waiters
  let status: IndexStatus | undefined;
  let scanStarted: number | undefined;
  const statusChanged = new vscode.EventEmitter<IndexStatus>();
  context.subscriptions.push(statusChanged);

  const statusBar = new CorpusStatusBar(`workbench.view.extension.corpusNavigator`);
  context.subscriptions.push(statusBar);

  const tree = new CorpusTreeProvider(lc, () => status);
  const view = vscode.window.createTreeView(CORPUS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, view);

  let refreshTimer: NodeJS.Timeout | undefined;
  const scheduleRefresh = (delay: number) => {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      tree.refresh();
    }, delay);
  };
  context.subscriptions.push({ dispose: () => refreshTimer && clearTimeout(refreshTimer) });

  function onStatus(next: IndexStatus): void {
    const previous = status;
    status = next;
    statusBar.update(next);
    if (next.state === 'indexing') {
      scanStarted ??= Date.now();
      view.message = next.filesTotal > 0 ? `Indexing ${next.filesDone} of ${next.filesTotal} files…` : 'Indexing…';
    } else {
      view.message = undefined;
      if (previous?.state !== 'ready') {
        const seconds = scanStarted !== undefined ? (Date.now() - scanStarted) / 1000 : undefined;
        output.info(indexingFinishedLine(next, seconds));
        scanStarted = undefined;
      }
    }
    if (previous?.version !== next.version || previous?.state !== next.state) {
      // While a scan runs the notifications come several times a second; the tree follows at a calmer pace.
      scheduleRefresh(next.state === 'indexing' ? 1000 : 150);
    }
    statusChanged.fire(next);
  }
  lc.onNotification(IndexStatusNotification, onStatus);

  registerCommands(context, lc, tree, view, output);

  const waitForStatus = (test: (s: IndexStatus) => boolean, timeoutMs = 120_000): Promise<IndexStatus> =>
    new Promise((resolve, reject) => {
      if (status && test(status)) return resolve(status);
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`Corpus Navigator: no matching index status within ${timeoutMs} ms (last: ${JSON.stringify(status)})`));
      }, timeoutMs);
      const sub = statusChanged.event((s) => {
        if (test(s)) {
          clearTimeout(timer);
          sub.dispose();
          resolve(s);
        }
      });
    });

  const api: CorpusNavigatorApi = {
    client: lc,
    get status() {
      return status;
    },
    onDidChangeStatus: statusChanged.event,
    whenIndexed: (timeoutMs) => waitForStatus((s) => s.state === 'ready', timeoutMs),
    waitForStatus,
    treeSnapshot: (depth = 2) => tree.rows(depth),
    output,
  };

  try {
    await lc.start();
    // The first notification may have gone out before the handler was in place on the server's side of the race;
    // asking once makes the status bar and the waiters independent of that timing.
    if (!status) {
      const now = await lc.sendRequest(StatusRequest).catch(() => undefined);
      if (now && !status) onStatus(now);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    statusBar.failed(message);
    output.error(`Corpus Navigator: the language server did not start: ${message}`);
    void vscode.window
      .showErrorMessage(`Corpus Navigator: the language server did not start: ${message}`, 'Show Output')
      .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.showOutput));
  }
  return api;
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop().catch(() => undefined);
}
