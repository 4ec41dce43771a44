// The built server's workspace handling over stdio: settings (include, exclude, size limit, bad values, changes),
// skipped files, clients without optional capabilities, the index cache across restarts, and exact positions on
// text with a BOM, CRLF and characters outside the BMP.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { DidChangeConfigurationNotification, DidChangeWorkspaceFoldersNotification, HoverRequest, ReferencesRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { EntitiesRequest } from '../../../server/src/protocol';
import { TestClient, positionOf, textOf, uriOf, writeWorkspace } from './client';

const ARTICLE = 'Margaret Okafor, the leader of Brampton Council, spoke on Monday.\n\n"We will manage," Mrs Okafor said.\n';
const OTHER = 'Daniel Whitfield, a teacher, said the plan was wrong.\n\nMr Whitfield will speak again.\n';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function start(files: Record<string, string | Uint8Array>, options: Partial<Parameters<typeof TestClient.start>[0]> = {}) {
  const root = writeWorkspace(files);
  roots.push(root);
  const client = await TestClient.start({ folders: [root], ...options });
  clients.push(client);
  return { root, client };
}

describe('workspace handling', () => {
  test('include and exclude globs select the files; others are not indexed', async () => {
    const { client } = await start(
      { 'a/one.txt': ARTICLE, 'b/two.md': OTHER, 'drafts/three.txt': OTHER, 'four.log': ARTICLE },
      { settings: { include: ['**/*.txt', '**/*.md'], exclude: ['drafts/**'] } },
    );
    const ready = await client.ready();
    assert.equal(ready.counts.documents, 2);
  });

  test('binary and too-large files are skipped with their reasons in the status and the log', async () => {
    const big = 'Margaret Okafor spoke. '.repeat(60_000); // ~1.3 MB
    const { client, root } = await start(
      { 'ok.txt': ARTICLE, 'image.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), 'big.txt': big },
      { settings: { maxFileSize: 1 } },
    );
    const ready = await client.ready();
    assert.equal(ready.counts.documents, 1);
    const reasons = Object.fromEntries(ready.skipped.map((s) => [s.uri, s.reason]));
    assert.match(reasons[uriOf(root, 'image.txt')], /binary/);
    assert.match(reasons[uriOf(root, 'big.txt')], /too large/);
    assert.ok(client.logs.some((l) => /big\.txt.*too large/.test(l)), client.logs.join('\n'));
  });

  test('bad settings give a clear message and the defaults', async () => {
    const { client } = await start({ 'ok.txt': ARTICLE, 'x.md': OTHER }, { settings: { include: ['[oops'], maxFileSize: -1, useGitignore: 'maybe' } });
    const ready = await client.ready();
    assert.equal(ready.counts.documents, 2);
    const problems = client.logs.filter((l) => /corpusNavigator\./.test(l));
    assert.ok(problems.some((l) => /include/.test(l)) && problems.some((l) => /maxFileSize/.test(l)) && problems.some((l) => /useGitignore/.test(l)), problems.join('\n'));
  });

  test('a settings change re-scans with the new globs', async () => {
    const { client } = await start({ 'one.txt': ARTICLE, 'two.md': OTHER });
    await client.ready();
    client.settings = { include: ['**/*.md'] };
    const seen = client.statuses.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const s = await client.waitForStatus((x) => client.statuses.indexOf(x) >= seen && x.state === 'ready', 'the re-scan');
    assert.equal(s.counts.documents, 1);
    const people = await client.connection.sendRequest(EntitiesRequest, { type: 'person' });
    assert.ok(people.entities.some((e) => /Whitfield/.test(e.name)) && !people.entities.some((e) => /Okafor/.test(e.name)));
  });

  test('workspace folders added and removed are scanned and dropped', async () => {
    const { client } = await start({ 'one.txt': ARTICLE });
    await client.ready();
    const other = writeWorkspace({ 'two.txt': OTHER });
    roots.push(other);
    let seen = client.statuses.length;
    const added = { uri: pathToFileURL(other).href, name: 'other' };
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [added], removed: [] } });
    const both = await client.waitForStatus((x) => client.statuses.indexOf(x) >= seen && x.state === 'ready', 'the scan with two folders');
    assert.equal(both.counts.documents, 2);
    seen = client.statuses.length;
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [added] } });
    const one = await client.waitForStatus((x) => client.statuses.indexOf(x) >= seen && x.state === 'ready', 'the scan after removal');
    assert.equal(one.counts.documents, 1);
  });

  test('a client without configuration, watchers or progress still gets an index', async () => {
    const { client } = await start({ 'one.txt': ARTICLE }, { capabilities: {} });
    const ready = await client.ready();
    assert.equal(ready.counts.documents, 1);
    assert.equal(client.registrations.length, 0);
    assert.equal(client.progress.length, 0);
  });

  test('positions are exact with a BOM, CRLF and emoji before a name', async () => {
    const text = '😀 Breaking 🗞️ news\r\n\r\nMargaret Okafor 🎉 said so.\r\nLater, 👍🏽 Mrs Okafor left.\r\n';
    const { client, root } = await start({ 'e.txt': new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text, 'utf8')]) });
    await client.ready();
    const uri = uriOf(root, 'e.txt');
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position: positionOf(text, 'Mrs Okafor', 0, 5),
      context: { includeDeclaration: true },
    }))!;
    assert.deepEqual(refs.map((r) => textOf(text, r.range)), ['Margaret Okafor', 'Mrs Okafor']);
    assert.deepEqual(refs[1].range.start, positionOf(text, 'Mrs Okafor'));
  });

  test('requests are answered while the scan runs, and the scan can be cancelled from its progress', async () => {
    const files = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`f/${i}.txt`, i % 2 ? ARTICLE : OTHER]));
    const root = writeWorkspace(files);
    roots.push(root);
    const client = await TestClient.start({ folders: [root], settings: {} });
    clients.push(client);
    const begin = await client.waitForStatus((s) => s.state === 'indexing' && s.filesTotal > 0, 'the listing');
    assert.equal(begin.filesTotal, 1500);
    // Asked while indexing: answered from what is indexed so far, before the scan ends.
    const entities = await client.connection.sendRequest(EntitiesRequest, {});
    assert.equal(entities.indexing, true);
    assert.ok(!client.statuses.some((s) => s.state === 'ready'), 'answered before the scan ended');
    const token = (client.progress.find((p: any) => p.value?.kind === 'begin') as any)?.token;
    assert.ok(token !== undefined, JSON.stringify(client.progress));
    assert.equal((client.progress.find((p: any) => p.value?.kind === 'begin') as any).value.cancellable, true);
    await client.connection.sendNotification('window/workDoneProgress/cancel', { token });
    const done = await client.waitForStatus((s) => s.state === 'ready', 'the end of the scan');
    assert.equal(done.cancelled, true);
    assert.ok(done.filesDone < 1500, String(done.filesDone));
  });

  test('the index cache makes a reopen reuse every analysis', async () => {
    const cacheFolder = mkdtempSync(join(tmpdir(), 'cn-lsp-cache-'));
    roots.push(cacheFolder);
    const root = writeWorkspace({ 'one.txt': ARTICLE, 'two.txt': OTHER });
    roots.push(root);
    const first = await TestClient.start({ folders: [root], initializationOptions: { cacheFolder } });
    await first.ready();
    assert.ok(first.logs.some((l) => /0 analyses reused, 2 made/.test(l)), first.logs.join('\n'));
    // Shutting down wrote the index snapshot (it was still waiting for a quiet moment): the reopen restores it.
    await first.stop();
    const snapshots = readdirSync(cacheFolder).filter((f) => f.endsWith('.cns'));
    assert.equal(snapshots.length, 1, readdirSync(cacheFolder).join(', '));
    const second = await TestClient.start({ folders: [root], initializationOptions: { cacheFolder } });
    await second.ready();
    assert.ok(second.logs.some((l) => /Index snapshot restored: 2 files .* 0 to read again/.test(l)), second.logs.join('\n'));
    await second.stop();
    // Without the snapshot, the per-file cache still spares every analysis.
    for (const f of snapshots) rmSync(join(cacheFolder, f));
    const third = await TestClient.start({ folders: [root], initializationOptions: { cacheFolder } });
    clients.push(third);
    await third.ready();
    assert.ok(third.logs.some((l) => /2 analyses reused, 0 made/.test(l)), third.logs.join('\n'));
    const h = await third.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(root, 'one.txt') }, position: positionOf(ARTICLE, 'Mrs Okafor', 0, 5) });
    assert.match((h!.contents as MarkupContent).value, /\*\*Margaret Okafor\*\*/);
  });
});
