// A small LSP client for the protocol tests: builds the server bundle, starts it over stdio, speaks JSON-RPC with
// vscode-languageserver-protocol's node connection, answers the requests a server makes of its client
// (configuration, progress, registrations), records notifications, and waits for real signals, never for time.
//
// The bundle is built once per test process with the same esbuild entry points and options as esbuild.mjs, into a
// private temporary folder, because test files run in parallel and must not rewrite dist/ under each other. Set
// CN_SERVER_JS=dist/server.js to test an existing build instead (after `npm run build`).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  RegistrationRequest,
  ShutdownRequest,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
  type ClientCapabilities,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type Registration,
} from 'vscode-languageserver-protocol/node';
import { IndexStatusNotification, SEMANTIC_TOKEN_TYPES, type IndexStatus, type InitializationOptions } from '../../../server/src/protocol';

const repo = resolve(__dirname, '../../..');
let built: string | undefined;

/** The server bundle to run: CN_SERVER_JS, or a fresh build of server/src/lsp/main.ts (and the worker beside it). */
export async function serverBundle(): Promise<string> {
  if (process.env.CN_SERVER_JS) return resolve(repo, process.env.CN_SERVER_JS);
  if (built) return built;
  const esbuild = await import('esbuild');
  const outdir = mkdtempSync(join(tmpdir(), 'cn-lsp-build-'));
  const entryPoints: Record<string, string> = { server: join(repo, 'server/src/lsp/main.ts') };
  if (existsSync(join(repo, 'server/src/node/worker.ts'))) entryPoints.worker = join(repo, 'server/src/node/worker.ts');
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'error',
    legalComments: 'none',
  });
  process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
  built = join(outdir, 'server.js');
  return built;
}

/** Writes files (relative path → text) into a new temporary folder and returns its path. */
export function writeWorkspace(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'cn-lsp-ws-'));
  for (const [rel, content] of Object.entries(files)) writeFile(root, rel, content);
  return root;
}

export function writeFile(root: string, rel: string, content: string | Uint8Array): string {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

export const uriOf = (root: string, rel: string) => pathToFileURL(join(root, rel)).href;

/** The position of the `occurrence`-th (0-based) occurrence of `anchor` in `text`, plus `delta` characters. */
export function positionOf(text: string, anchor: string, occurrence = 0, delta = 0): Position {
  return positionAtOffset(text, offsetOf(text, anchor, occurrence) + delta);
}

export function offsetOf(text: string, anchor: string, occurrence = 0): number {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(anchor, at + 1);
    if (at < 0) throw new Error(`anchor ${JSON.stringify(anchor)} #${occurrence} not found`);
  }
  return at;
}

/** LSP position of an offset, computed independently of the server's LineIndex (lines end at \r\n, \n or \r). */
export function positionAtOffset(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') continue;
    if (c === '\n' || c === '\r') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** The text a range covers, for asserting on results. */
export function textOf(text: string, range: { start: Position; end: Position }): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

export function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line && i < text.length) {
    const c = text[i++];
    if (c === '\r' && text[i] === '\n') i++;
    if (c === '\n' || c === '\r') line++;
  }
  return i + p.character;
}

export interface StartOptions {
  /** Workspace folders (paths). */
  folders: string[];
  /** `corpusNavigator` settings returned for every folder. */
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  initializationOptions?: InitializationOptions;
}

export const defaultCapabilities: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    didChangeConfiguration: { dynamicRegistration: true },
    symbol: { dynamicRegistration: false },
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    semanticTokens: {
      requests: { full: true, range: true },
      tokenTypes: ['person', 'organisation', 'quotation'],
      tokenModifiers: ['declaration'],
      formats: ['relative'],
    },
  },
};

export class TestClient {
  readonly statuses: IndexStatus[] = [];
  readonly logs: string[] = [];
  readonly progress: unknown[] = [];
  readonly registrations: Registration[] = [];
  settings: Record<string, unknown>;
  initializeResult!: InitializeResult;
  private waiters: Array<{ pred: (s: IndexStatus) => boolean; resolve: (s: IndexStatus) => void }> = [];
  private versions = new Map<string, number>();
  private stderr = '';

  private constructor(
    readonly connection: ProtocolConnection,
    readonly child: ChildProcess,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions): Promise<TestClient> {
    const bundle = await serverBundle();
    const child = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(child.stdout!, child.stdin!);
    const client = new TestClient(connection, child, options.settings ?? {});
    child.stderr!.on('data', (d) => (client.stderr += String(d)));
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => client.settings));
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    connection.onRequest(RegistrationRequest.type, (p) => {
      client.registrations.push(...p.registrations);
    });
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onNotification(LogMessageNotification.type, (p) => void client.logs.push(p.message));
    connection.onNotification('$/progress', (p) => void client.progress.push(p));
    connection.onNotification(IndexStatusNotification, (s) => client.onStatus(s));
    connection.listen();
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: options.folders[0] ? pathToFileURL(options.folders[0]).href : null,
      workspaceFolders: options.folders.map((f, i) => ({ uri: pathToFileURL(f).href, name: `folder${i}` })),
      capabilities: options.capabilities ?? defaultCapabilities,
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private onStatus(s: IndexStatus) {
    this.statuses.push(s);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(s)) return true;
      w.resolve(s);
      return false;
    });
  }

  get lastStatus(): IndexStatus | undefined {
    return this.statuses[this.statuses.length - 1];
  }

  /** Resolves with the first status (already received or to come) satisfying `pred`. */
  waitForStatus(pred: (s: IndexStatus) => boolean, what = 'status', timeoutMs = 30_000): Promise<IndexStatus> {
    const seen = this.statuses.find(pred);
    if (seen) return Promise.resolve(seen);
    return this.waitForNextStatus(pred, what, timeoutMs);
  }

  /** Resolves with the next status received from now on satisfying `pred`. */
  waitForNextStatus(pred: (s: IndexStatus) => boolean, what = 'status', timeoutMs = 30_000): Promise<IndexStatus> {
    return new Promise((resolvePromise, reject) => {
      // A guard against a hung server, not a wait: the test fails with what was seen.
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for ${what}; statuses: ${JSON.stringify(this.statuses.slice(-3))}\nstderr: ${this.stderr}\nlogs: ${this.logs.slice(-10).join('\n')}`));
      }, timeoutMs);
      this.waiters.push({
        pred,
        resolve: (s) => {
          clearTimeout(timer);
          resolvePromise(s);
        },
      });
    });
  }

  /** Waits until the initial scan reported `ready`. */
  ready(): Promise<IndexStatus> {
    return this.waitForStatus((s) => s.state === 'ready' && s.filesTotal >= 0 && this.sawIndexing, 'ready');
  }

  private get sawIndexing(): boolean {
    return this.statuses.some((s) => s.state === 'indexing');
  }

  /** Waits for a status whose index version is past `version` (after an incremental change). */
  changedSince(version: number, what = 'an index change'): Promise<IndexStatus> {
    return this.waitForStatus((s) => s.version > version && s.state === 'ready', what);
  }

  open(uri: string, text: string, languageId = 'plaintext') {
    this.versions.set(uri, 1);
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-content change event). */
  replace(uri: string, text: string) {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** An incremental change: replaces `range` with `text`. */
  edit(uri: string, range: { start: Position; end: Position }, text: string) {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
  }

  close(uri: string) {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  filesChanged(changes: Array<{ uri: string; type: 'created' | 'changed' | 'deleted' }>) {
    const type: Record<string, FileChangeType> = { created: FileChangeType.Created, changed: FileChangeType.Changed, deleted: FileChangeType.Deleted };
    return this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: changes.map((c) => ({ uri: c.uri, type: type[c.type] })),
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), exited(this.child)]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      /* already gone */
    }
    const gone = exited(this.child);
    const timer = setTimeout(() => this.child.kill(), 5000);
    await gone;
    clearTimeout(timer);
    this.connection.dispose();
  }

  get stderrText(): string {
    return this.stderr;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** Decodes LSP relative semantic tokens into texts, with an independent position computation. */
export function decodeTokens(data: number[], text: string) {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Array<{ line: number; char: number; text: string; type: string; modifiers: number }> = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    out.push({ line, char, text: lines[line].slice(char, char + data[i + 2]), type: SEMANTIC_TOKEN_TYPES[data[i + 3]], modifiers: data[i + 4] });
  }
  return out;
}
