// The editor's client talks to the server over stdio (client/src/extension.ts), so stdout must carry the protocol and
// nothing else: output a library prints through the console once the server runs must reach the client as log
// messages, and the stream must stay readable, answers included.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  ShutdownRequest,
  ExitNotification,
} from 'vscode-languageserver-protocol/node';
import { serverBundle, writeWorkspace } from './client';

const dir = mkdtempSync(join(tmpdir(), 'cn-stdio-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A request that fails instead of waiting for ever when the stream is corrupt (the client cannot read the answer). */
const within = <T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms).unref())]);

test('a stray console write in the server becomes a log message and leaves the stdio stream intact', { timeout: 60_000 }, async () => {
  // Loaded before the server (node --require): once the server is up, it writes through every console method, as a
  // dependency might.
  const preload = join(dir, 'stray.cjs');
  writeFileSync(
    preload,
    `setTimeout(() => { console.log('stray log'); console.info('stray info'); console.debug('stray debug');
      console.dir({ stray: 'dir' }); console.table([{ stray: 'table' }]); console.warn('stray warn');
      console.error('stray error'); }, 200);`,
  );
  const root = writeWorkspace({ 'a.txt': 'Margaret Okafor, the leader of Brampton Council, spoke.\n' });
  const child = spawn(process.execPath, ['--require', preload, await serverBundle(), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(child.stdout, child.stdin);
  const logs: string[] = [];
  connection.onNotification(LogMessageNotification.type, (m) => void logs.push(m.message));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  try {
    const init = await within(connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      capabilities: {},
      initializationOptions: { workers: 0 },
    }), 'initialize');
    assert.equal(init.serverInfo?.name, 'Corpus Navigator');
    await connection.sendNotification(InitializedNotification.type, {});
    const deadline = Date.now() + 20_000;
    while (!logs.some((l) => l.includes('stray error')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const s of ['stray log', 'stray info', 'stray debug', "stray: 'dir'", "'table'", 'stray warn', 'stray error'])
      assert.ok(logs.some((l) => l.includes(s)), `${s} in the log: ${JSON.stringify(logs)}`);
    // After them, the stream still carries answers.
    const status = await within(connection.sendRequest<{ state: string }>('corpusNavigator/status'), 'status');
    assert.equal(typeof status.state, 'string');
    await within(connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await connection.sendNotification(ExitNotification.type);
  } finally {
    connection.dispose();
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
