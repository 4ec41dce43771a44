// Bad input through the built language server over stdio: skipped files and their reasons in the index-status
// notification; exact positions on CRLF, lone CR, BOM, UTF-16 and emoji files; requests answered while a large
// file is analysed; a server that keeps answering whatever it was given.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HoverRequest, ReferencesRequest, DocumentSymbolRequest, type Location, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { StatusRequest } from '../../../server/src/protocol';
import { TestClient, offsetOf, positionOf, textOf, uriOf } from '../../server/lsp/client';
import { workspace } from '../helpers';

const NEWS = 'Margaret Okafor, the leader of Brampton Council, said: "We will go on."\nMrs Okafor left.\n';
const crlf = NEWS.replace(/\n/g, '\r\n');
const lonecr = NEWS.replace(/\n/g, '\r');
const emoji = '😀👍🏽 Margaret Okafor said: "🎉 We will go on."\n𝒜 Mrs Okafor left.\n';
const utf16le = (text: string) => {
  const out = new Uint8Array(2 + text.length * 2);
  out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    out[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  return out;
};

describe('language server: bad input', () => {
  let root: string;
  let client: TestClient;
  const texts: Record<string, string> = { 'ok.txt': NEWS, 'crlf.txt': crlf, 'cr.txt': lonecr, 'emoji.txt': emoji, 'bom.txt': NEWS, 'utf16.txt': NEWS };

  before(async () => {
    root = workspace({
      'ok.txt': NEWS,
      'crlf.txt': crlf,
      'cr.txt': lonecr,
      'emoji.txt': emoji,
      'bom.txt': '\ufeff' + NEWS,
      'utf16.txt': utf16le(NEWS),
      'empty.txt': '',
      'blank.txt': '  \r\n\n\t',
      'image.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'nul.txt': new TextEncoder().encode('Mrs Okafor\u0000said'),
      'big.txt': NEWS + 'y'.repeat(300_000),
      'invalid.txt': new Uint8Array([0xc3, 0x28, ...new TextEncoder().encode(' Margaret Okafor said: "Yes."\n')]),
    });
    client = await TestClient.start({ folders: [root], settings: { maxFileSize: 0.2 } });
    await client.ready();
  });
  after(async () => {
    await client?.stop();
  });

  test('skipped files and their reasons are in the index-status notification', async () => {
    const status = await client.waitForStatus((s) => s.state === 'ready' && (s.counts.skipped ?? 0) >= 3, 'ready with skipped files');
    const reasons = Object.fromEntries(status.skipped.map((s) => [s.uri, s.reason]));
    assert.match(reasons[uriOf(root, 'image.txt')] ?? '', /binary file: a PNG image/);
    assert.match(reasons[uriOf(root, 'nul.txt')] ?? '', /binary file: contains NUL bytes/);
    assert.match(reasons[uriOf(root, 'big.txt')] ?? '', /too large/);
    assert.equal(status.counts.skipped, 3, JSON.stringify(status.skipped));
    assert.ok(client.logs.some((l) => /image\.txt/.test(l) && /PNG/.test(l)), 'the server log names the skipped file and why');
    // The status request answers the same.
    const now = await client.connection.sendRequest(StatusRequest);
    assert.equal(now.counts.skipped, 3);
  });

  for (const file of ['ok.txt', 'crlf.txt', 'cr.txt', 'emoji.txt', 'bom.txt', 'utf16.txt']) {
    test(`${file}: references ranges cover exactly the names (line ends, BOM, surrogates)`, async () => {
      const text = texts[file];
      const uri = uriOf(root, file);
      const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
        textDocument: { uri },
        position: positionOf(text, 'Okafor', 1, 2),
        context: { includeDeclaration: true },
      })) as Location[] | null;
      const here = (refs ?? []).filter((l) => l.uri === uri);
      assert.ok(here.length >= 2, `references in ${file}: ${JSON.stringify(refs)}`);
      for (const l of here) assert.match(textOf(text, l.range), /^(Margaret Okafor|Mrs Okafor|Okafor)$/, `${file}: ${JSON.stringify(l.range)}`);
      const first = here.find((l) => textOf(text, l.range) === 'Margaret Okafor');
      assert.deepEqual(first?.range.start, positionOf(text, 'Margaret Okafor'));
    });
  }

  test('invalid UTF-8: indexed with a replacement character, positions exact', async () => {
    const text = '\ufffd( Margaret Okafor said: "Yes."\n';
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(root, 'invalid.txt') }, position: positionOf(text, 'Okafor') });
    assert.ok(hover, 'hover answers on the name');
    assert.match((hover.contents as MarkupContent).value, /Okafor/);
    assert.deepEqual(hover.range?.start, positionOf(text, 'Margaret Okafor'));
  });

  test('empty and whitespace-only files: requests answer with nothing, never an error', async () => {
    for (const f of ['empty.txt', 'blank.txt', 'image.txt', 'missing.txt']) {
      const uri = uriOf(root, f);
      assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
      assert.deepEqual(await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }), []);
      // Positions far outside the document are clamped, not an error.
      assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 99, character: 1e6 } }), null);
    }
  });

  test('an open document with CRLF edits keeps exact positions', async () => {
    const uri = uriOf(root, 'crlf.txt');
    client.open(uri, crlf);
    const edited = '😀\r\n' + crlf;
    const v = client.lastStatus?.version ?? 0;
    client.replace(uri, edited);
    await client.changedSince(v);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(edited, 'Mrs Okafor', 0, 5) });
    assert.ok(hover?.range);
    assert.equal(textOf(edited, hover.range), 'Mrs Okafor');
    client.close(uri);
  });
});

describe('language server: a large file does not block requests for other files', () => {
  test('a hover on a small open file answers while a large file is analysed', async () => {
    const para =
      'Margaret Okafor, the leader of Brampton Council, said on Tuesday: "We have no money left for the branch libraries." ' +
      'The Library Campaign Network (LCN) said it would fight. Mr Whitfield, a teacher, told the BBC he was angry.\n\n';
    const mb = Number(process.env.CN_RELIABILITY_LSP_BIG_MB ?? 4);
    const big = para.repeat(Math.ceil((mb * 1_000_000) / para.length));
    const small = 'Daniel Whitfield, a local teacher, said: "Children need somewhere quiet to read."\n';
    const root = workspace({ 'a-small.txt': small, 'z-big.txt': big });
    const client = await TestClient.start({ folders: [root] });
    try {
      await client.waitForStatus((s) => s.state === 'indexing' && s.filesTotal === 2, 'indexing');
      const uri = uriOf(root, 'a-small.txt');
      client.open(uri, small);
      const t0 = performance.now();
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(small, 'Whitfield') });
      const ms = performance.now() - t0;
      const stillIndexing = client.lastStatus?.state === 'indexing';
      assert.ok(hover, 'the hover answers with the entity card');
      assert.match((hover.contents as MarkupContent).value, /Whitfield/);
      const status = await client.waitForStatus((s) => s.state === 'ready' && s.counts.documents === 2, 'the big file indexed', 300_000);
      const scanMs = performance.now() - t0;
      // Meaningful only if the big file was still being analysed when the hover answered.
      if (stillIndexing) assert.ok(ms < Math.max(2_000, scanMs / 4), `the hover took ${ms.toFixed(0)} ms while the scan took ${scanMs.toFixed(0)} ms`);
      assert.equal(status.counts.documents, 2, 'the big file is indexed too');
      assert.ok(offsetOf(big, 'Okafor') >= 0);
    } finally {
      await client.stop();
    }
  });
});

describe('language server: bad settings', () => {
  test('malformed globs and a negative size limit: one clear log message each, defaults used, indexing goes on', async () => {
    const root = workspace({ 'a.txt': NEWS, 'b.md': NEWS, 'c.json': '{}' });
    const client = await TestClient.start({ folders: [root], settings: { include: ['**/*.[tx', 42], exclude: '{', maxFileSize: -3, followSymlinks: 'yes' } });
    try {
      const status = await client.ready();
      assert.equal(status.counts.documents, 2, 'the default include globs were used');
      const logs = client.logs.join('\n');
      assert.match(logs, /corpusNavigator\.include: the glob "\*\*\/\*\.\[tx" has an unclosed "\["/);
      assert.match(logs, /corpusNavigator\.maxFileSize: -3 is not a positive number; using the default/);
      assert.match(logs, /corpusNavigator\.followSymlinks: expected true or false/);
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(root, 'a.txt') }, position: positionOf(NEWS, 'Okafor') });
      assert.ok(hover, 'the server answers');
    } finally {
      await client.stop();
    }
  });
});

describe('language server: malformed messages never take it down', () => {
  test('garbage parameters to every request and notification: each answers (result or error), the server keeps serving', async () => {
    const root = workspace({ 'a.txt': NEWS });
    const client = await TestClient.start({ folders: [root] });
    try {
      await client.ready();
      const uri = uriOf(root, 'a.txt');
      const requests = [
        'textDocument/hover',
        'textDocument/references',
        'textDocument/definition',
        'textDocument/documentHighlight',
        'textDocument/documentSymbol',
        'textDocument/semanticTokens/full',
        'textDocument/semanticTokens/range',
        'workspace/symbol',
        'corpusNavigator/entities',
        'corpusNavigator/mentions',
        'corpusNavigator/quotations',
        'corpusNavigator/entityAt',
      ];
      const garbage: unknown[] = [
        {},
        { textDocument: { uri: 42 }, position: { line: -1, character: 'x' } },
        { textDocument: { uri: 'file:///nope/x.txt' }, position: { line: 1e9, character: 1e9 }, range: { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } } },
        { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 0 }, context: null },
        { textDocument: { uri }, position: { line: 0, character: -5 }, query: 42, id: { evil: true }, type: 'bogus', limit: -1, offset: 1e12 },
        { textDocument: { uri: '%%%' }, position: null, query: '\u0000'.repeat(10_000) },
      ];
      let answered = 0;
      for (const method of requests) {
        for (const params of garbage) {
          await client.connection.sendRequest(method, params).then(
            () => answered++,
            () => answered++,
          );
        }
      }
      assert.equal(answered, requests.length * garbage.length);
      // Notifications with odd content.
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(root, 'odd.txt'), languageId: 'plaintext', version: 1, text: '' } });
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: uriOf(root, 'odd.txt'), version: 2 },
        contentChanges: [{ range: { start: { line: 50, character: 3 }, end: { line: 2, character: 0 } }, text: 'Mrs Okafor' }],
      });
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(root, 'never-opened.txt'), version: 2 }, contentChanges: [{ text: 'x' }] });
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///not/open.txt' } });
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: 'http://example.com/a.txt', type: 1 },
          { uri: 'file:///../../etc/passwd', type: 2 },
          { uri: '', type: 3 },
          { uri: uriOf(root, 'missing/deeper.txt'), type: 2 },
        ],
      });
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      // Still serving, with the right answer.
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(NEWS, 'Okafor') });
      assert.ok(hover, 'the server still answers');
      assert.match((hover.contents as MarkupContent).value, /Okafor/);
      assert.equal(client.child.exitCode, null, `the server is alive; stderr: ${client.stderrText}`);
    } finally {
      await client.stop();
    }
  });
});
