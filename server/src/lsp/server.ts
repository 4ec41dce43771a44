// The language server: wires an LSP connection to the corpus index. Each handler converts the request's document
// URI to an index key and hands over to one feature module; the workspace (scan, open documents, watched files,
// settings, status) is the host's. Every handler is guarded: a failure is logged and answered with an empty result,
// never allowed to take the server down.

import {
  CancellationToken,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  WatchKind,
  createConnection,
  type ClientCapabilities,
  type Connection,
  type Disposable,
  type FileSystemWatcher,
  type InitializeResult,
  type Location,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { setFlagsFromString } from 'node:v8';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CorpusIndex } from '../core/index';
import {
  EntitiesRequest,
  EntityAtRequest,
  IndexStatusNotification,
  MentionsRequest,
  QuotationsRequest,
  ReindexRequest,
  SEMANTIC_TOKENS_LEGEND,
  SETTINGS_SECTION,
  StatusRequest,
  type InitializationOptions,
} from '../protocol';
import type { CardOptions } from './card';
import * as custom from './customRequests';
import { definition } from './definition';
import { documentHighlights } from './documentHighlight';
import { documentSymbols } from './documentSymbols';
import { nodeFileSource } from './files';
import { CorpusHost, type HostClient } from './host';
import { createAnalyser, HEAP_GROWING_PERCENT } from './analyser';
import { hover } from './hover';
import { references, referencesJson } from './references';
import { semanticTokens } from './semanticTokens';
import { documentKey } from './uris';
import { workspaceSymbols } from './workspaceSymbols';

const PROGRESS_INTERVAL_MS = 100;
/** How long the server must have had no message before it does idle work (see `whenIdle`). */
const IDLE_QUIET_MS = 50;
/** The snapshot's encoding waits for a longer quiet: a client parsing a large answer (references of an entity in
 *  thousands of files: megabytes of JSON) is silent for more than IDLE_QUIET_MS, and the encoding's slices and the
 *  collections they cause then stood in front of its next request (at 100 MB, 5 of 20 such requests took 0.5–1.1 s of
 *  server CPU instead of ~0.1). The snapshot only has to be written before the next start; closing flushes it. */
const SNAPSHOT_QUIET_MS = 500;

const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');

/** `rawJson`: the connection's writer sends a RawJson answer as its bytes (connection.ts); large answers come so. */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all), { rawJson = false } = {}): Connection {
  // V8 lets a heap grow to up to several times what survived its last full collection while it allocates fast, as a
  // scan does. Capping the growth at 20 %, on the 100 MB bench corpus (texts not held): peak 1061 → 798 MB cold,
  // 667 → 458 MB warm; on 50 MB, 663–718 → 543 MB for +7 % CPU over the cold session (10 %: 538 MB, +17 %;
  // --optimize-for-size: 433 MB, +70 %; a smaller young generation, --max-semi-space-size=1: no gain). Set here at
  // run time (V8 reads this flag at each collection, unlike the generation sizes), not on a command line, so that
  // every way of starting the server gets it; it holds for the worker threads started later.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // The index keeps no texts, only line tables: what needs a text (a quotation on a hover card, an analysis rebuilt
  // for symbols or tokens) reads it back through the host, from the open document or the file. Measured on the 100 MB
  // bench corpus: holding the texts cost 110 MB (UTF-8 plus slicing checkpoints), half of the server's typed arrays
  // and more than any other single part (analysis rows 42 MB, the cache's rows 59 MB); 16 s after ready the server
  // took 646 MB with them, 548 MB without (the peak, during the scan, moved less: 1116 → 1061 MB, as texts still
  // pass through the heap on their way in). Reading an article back costs ~30 µs; a hover card, composed once per
  // entity and index version, reads at most a few (+0.15–0.2 ms per card). What reads every quotation of the corpus
  // (the Corpus view's unattributed list) reads every file once: about twice as slow as decoding held texts.
  const index: CorpusIndex = new CorpusIndex({ textSource: (doc): string | undefined => host.textOf(doc) });
  const documents = new TextDocuments(TextDocument);
  let capabilities: ClientCapabilities = {};
  let folders: WorkspaceFolder[] = [];

  const log = (level: 'info' | 'warn' | 'error', message: string) => {
    try {
      connection.console[level === 'warn' ? 'warn' : level](message);
    } catch {
      /* the connection is gone; nothing to tell */
    }
  };

  // Once the index is ready (after a scan or a change), its lazy summaries and line tables are brought up to date in
  // idle time, so that the first request after a scan of a large corpus does not wait for them. Idle means no message
  // for IDLE_QUIET_MS: while someone types, every keystroke's didChange and the request that follows it would
  // otherwise find this work in front of them (each edit queued it again), and a burst of requests after a scan
  // would wait behind its slices. Queries do the same work lazily, so deferring it never changes an answer.
  let lastMessage = 0;
  const noteMessage = () => void (lastMessage = performance.now());
  let idleQueued = false;
  let prepared = true;
  let linesDone = true;
  const whenIdle = () => {
    prepared = linesDone = false;
    if (idleQueued) return;
    idleQueued = true;
    setTimeout(idleSlice, IDLE_QUIET_MS);
  };
  const idleSlice = () => {
    const quiet = performance.now() - lastMessage;
    if (quiet < IDLE_QUIET_MS) {
      setTimeout(idleSlice, IDLE_QUIET_MS - quiet);
      return;
    }
    try {
      if (!prepared) {
        // Summaries in slices of about 5 ms too: as one block, at 100 MB, it held a request up to 1–2 s after ready.
        const until = performance.now() + 5;
        prepared = index.prepare(() => performance.now() > until);
      } else {
        // Line tables in slices of about 2 ms, so that a request arriving meanwhile waits at most one slice.
        const until = performance.now() + 2;
        linesDone = index.buildLineTables(() => performance.now() > until);
      }
    } catch (e) {
      prepared = linesDone = true;
      log('error', `idle work on the index failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    if (prepared && linesDone) idleQueued = false;
    else setImmediate(idleSlice);
  };

  /** Resolves once the server has had no message for SNAPSHOT_QUIET_MS: background work that is not the index's own
   *  (the snapshot's encoding) does one slice per call, so that it never stands in front of a burst of requests. */
  const quiet = (): Promise<void> =>
    new Promise((resolve) => {
      const check = () => {
        const q = performance.now() - lastMessage;
        if (q >= SNAPSHOT_QUIET_MS) setImmediate(resolve);
        else setTimeout(check, SNAPSHOT_QUIET_MS - q);
      };
      check();
    });

  const client: HostClient = {
    status: (status) => {
      if (status.state === 'ready') whenIdle();
      void connection.sendNotification(IndexStatusNotification, status).catch(() => undefined);
    },
    log,
    async progress(title) {
      const reporter = await connection.window.createWorkDoneProgress();
      reporter.begin(title, 0, undefined, true);
      let last = 0;
      return {
        // A few updates a second are enough for a progress bar; the last one always goes out.
        report: (done, total) => {
          const now = Date.now();
          if (now - last < PROGRESS_INTERVAL_MS && done < total) return;
          last = now;
          reporter.report(total ? Math.floor((done * 100) / total) : 0, `${done}/${total} files`);
        },
        done: () => reporter.done(),
        onCancel: (listener) => void reporter.token.onCancellationRequested(listener),
      };
    },
    async configuration(folderUris) {
      if (!capabilities.workspace?.configuration || folderUris.length === 0) return [];
      return connection.workspace.getConfiguration(folderUris.map((scopeUri) => ({ scopeUri, section: SETTINGS_SECTION })));
    },
  };
  const host = new CorpusHost(index, nodeFileSource(), client);
  let analyser: ReturnType<typeof createAnalyser> | undefined;

  /** Wraps a handler: cancellation becomes RequestCancelled, an exception an empty answer (and a log line). */
  function guard<P, R>(name: string, fallback: R, handler: (params: P, token: CancellationToken) => R | undefined) {
    return (params: P, token: CancellationToken = CancellationToken.None): R | ResponseError<void> => {
      noteMessage();
      if (token.isCancellationRequested) return cancelled();
      try {
        host.flush();
        const result = handler(params, token);
        if (result === undefined) return token.isCancellationRequested ? cancelled() : fallback;
        return result;
      } catch (e) {
        log('error', `${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  }

  const cardOptions = (): CardOptions => ({ fileName: (doc) => displayName(doc, folders) });

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities ?? {};
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    const cacheFolder = typeof init.cacheFolder === 'string' && init.cacheFolder ? init.cacheFolder : undefined;
    const workers = typeof init.workers === 'number' && init.workers >= 0 ? Math.floor(init.workers) : undefined;
    if (cacheFolder || workers !== 0) {
      analyser = createAnalyser({ cacheFolder, workers, log, pause: quiet });
      host.useAnalyser(analyser);
    }
    folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    host.setFolders(folders);
    const supportsFolders = !!capabilities.workspace?.workspaceFolders;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: { label: 'Corpus' },
        workspaceSymbolProvider: true,
        hoverProvider: true,
        referencesProvider: true,
        definitionProvider: true,
        documentHighlightProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
        ...(supportsFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'Corpus Navigator', version: '0.1.0' },
    };
  });

  let watcherRegistration: Disposable | undefined;
  async function registerWatchers() {
    const watched = capabilities.workspace?.didChangeWatchedFiles;
    if (!watched?.dynamicRegistration) return;
    const relative = !!watched.relativePatternSupport;
    const watchers: FileSystemWatcher[] = [];
    const seen = new Set<string>();
    const add = (w: FileSystemWatcher) => {
      const key = JSON.stringify(w);
      if (!seen.has(key)) seen.add(key), watchers.push(w);
    };
    for (const { uri, settings } of host.folderSettings()) {
      for (const g of settings.include) add({ globPattern: relative ? { baseUri: uri, pattern: g } : g });
      // A deleted folder is reported as the folder itself, which the include globs do not match.
      add({ globPattern: relative ? { baseUri: uri, pattern: '**/*' } : '**/*', kind: WatchKind.Delete });
    }
    try {
      const previous = watcherRegistration;
      watcherRegistration = await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
      previous?.dispose();
    } catch (e) {
      log('warn', `Could not register file watchers: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  connection.onInitialized(async () => {
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => documentKey(f.uri)));
        folders = [...folders.filter((f) => !removed.has(documentKey(f.uri))), ...e.added];
        host.setFolders(folders);
        void restart();
      });
    }
    await host.loadSettings();
    await registerWatchers();
    void host.rescan();
  });

  async function restart() {
    await host.loadSettings();
    await registerWatchers();
    await host.rescan();
  }

  connection.onDidChangeConfiguration(async () => {
    if (await host.loadSettings()) {
      await registerWatchers();
      void host.rescan();
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    const type = (t: FileChangeType) => (t === FileChangeType.Created ? 'created' : t === FileChangeType.Deleted ? 'deleted' : 'changed');
    void host.didChangeFiles((params.changes ?? []).map((c) => ({ uri: c.uri, type: type(c.type) })));
  });

  // Only files and unsaved buffers are the corpus: a diff view's "git:" copy of a file must not count twice.
  const indexable = (uri: string) => uri.startsWith('file:') || uri.startsWith('untitled:');
  documents.onDidChangeContent((e) => {
    noteMessage();
    if (indexable(e.document.uri)) host.didChange(e.document.uri, e.document.getText());
  });
  documents.onDidClose((e) => indexable(e.document.uri) && void host.didClose(e.document.uri));

  connection.onDocumentSymbol(guard('documentSymbol', [], (p) => documentSymbols(index, documentKey(p.textDocument.uri))));
  connection.onWorkspaceSymbol(guard('workspace/symbol', [], (p, token) => workspaceSymbols(index, p.query, token)));
  connection.onHover(guard('hover', null, (p) => hover(index, documentKey(p.textDocument.uri), p.position, cardOptions())));
  connection.onReferences(
    guard('references', [], (p, token) =>
      // RawJson stands in for Location[]: the writer sends its bytes, anything else serialises it through toJSON.
      (rawJson ? referencesJson : references)(index, documentKey(p.textDocument.uri), p.position, p.context?.includeDeclaration ?? true, token) as
        | Location[]
        | undefined,
    ),
  );
  connection.onDefinition(guard('definition', null, (p) => definition(index, documentKey(p.textDocument.uri), p.position)));
  connection.onDocumentHighlight(
    guard('documentHighlight', [], (p) => documentHighlights(index, documentKey(p.textDocument.uri), p.position)),
  );
  connection.languages.semanticTokens.on(guard('semanticTokens', { data: [] }, (p) => semanticTokens(index, documentKey(p.textDocument.uri))));
  connection.languages.semanticTokens.onRange(
    guard('semanticTokens/range', { data: [] }, (p) => semanticTokens(index, documentKey(p.textDocument.uri), p.range)),
  );

  connection.onRequest(EntitiesRequest, guard('entities', { version: 0, entities: [], indexing: false }, (p) => custom.entities(index, p, host.indexing)));
  connection.onRequest(MentionsRequest, guard('mentions', { mentions: [], total: 0 }, (p, token) => custom.mentions(index, p, token)));
  connection.onRequest(QuotationsRequest, guard('quotations', { version: 0, groups: [] }, (p, token) => custom.quotations(index, p, token)));
  connection.onRequest(
    EntityAtRequest,
    guard('entityAt', null, (p) => (p?.textDocument ? custom.entityAt(index, documentKey(p.textDocument.uri), p.position) : null)),
  );
  connection.onRequest(StatusRequest, () => {
    host.flush();
    return host.status();
  });
  connection.onRequest(ReindexRequest, async () => {
    await host.loadSettings();
    await registerWatchers();
    await host.rescan();
  });

  connection.onShutdown(async () => {
    host.dispose();
    await analyser?.close();
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** A document's name relative to its workspace folder, for cards and lists. */
function displayName(doc: string, folders: WorkspaceFolder[]): string {
  let name = doc;
  for (const f of folders) {
    const base = documentKey(f.uri).replace(/\/?$/, '/');
    if (doc.startsWith(base) && doc.length - base.length < name.length) name = doc.slice(base.length);
  }
  if (name === doc) name = doc.slice(doc.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
