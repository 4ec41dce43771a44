// The server's index keeps no texts (CorpusIndexOptions.textSource): what needs a text reads it back through the
// host, the editor's for an open document, else the file's. Every answer must be the one an index holding its texts
// gives, and a file changed on disk without a watcher event must cost its texts (quotations shown empty), never an
// error or a slice at stale offsets.

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { HoverRequest, ReferencesRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { CorpusIndex } from '../../../server/src/core/index';
import * as custom from '../../../server/src/lsp/customRequests';
import { definition } from '../../../server/src/lsp/definition';
import { documentHighlights } from '../../../server/src/lsp/documentHighlight';
import { documentSymbols } from '../../../server/src/lsp/documentSymbols';
import { CorpusHost, type FileSource, type HostClient } from '../../../server/src/lsp/host';
import { hover } from '../../../server/src/lsp/hover';
import { references } from '../../../server/src/lsp/references';
import { semanticTokens } from '../../../server/src/lsp/semanticTokens';
import { workspaceSymbols } from '../../../server/src/lsp/workspaceSymbols';
import { QuotationsRequest, ReindexRequest } from '../../../server/src/protocol';
import { TestClient, positionAtOffset, positionOf, uriOf, writeWorkspace } from './client';
import { FIXTURE_NAMES, stubAnalyzer } from './stubAnalyzer';

const A = 'file:///ws/a.txt';
const B = 'file:///ws/b.txt';
const textA = [
  'Council votes to close library',
  '',
  'Margaret Okafor, the leader of Brampton Council, said the decision was painful.',
  '',
  '"We have no money left for the branch libraries," Mrs Okafor told the meeting.',
  '',
  'The Library Campaign Network (LCN) said it would fight the closure. “Ünïcode — and 👋 here,” Okafor said.',
  'Okafor later defended the plan.',
].join('\n');
const textB = [
  'Protest at town hall',
  '',
  'Campaigners from the LCN gathered outside the town hall.',
  '',
  'Daniel Whitfield, a teacher, said: "Children need somewhere quiet to read. Okafor should listen."',
  '',
  'Mrs Okafor did not attend.',
].join('\r\n');
const texts = new Map([
  [A, textA],
  [B, textB],
]);

/** Every answer the features give over the index, at every offset of every document. */
function answers(index: CorpusIndex) {
  const out: unknown[] = [];
  for (const [doc, text] of texts) {
    out.push(documentSymbols(index, doc), semanticTokens(index, doc), index.analysis(doc), index.text(doc));
    for (let o = 0; o <= text.length; o++) {
      const p = positionAtOffset(text, o);
      out.push(hover(index, doc, p), definition(index, doc, p), references(index, doc, p), documentHighlights(index, doc, p), custom.entityAt(index, doc, p));
    }
  }
  for (const e of index.entities()) {
    out.push(custom.mentions(index, { id: e.id }), custom.quotations(index, { speakerId: e.id }), custom.quotations(index, { speakerId: e.id, uri: A }));
  }
  out.push(custom.quotations(index, {}), custom.quotations(index, { unattributedOnly: true, limitPerGroup: 1 }), custom.quotations(index, { uri: B }));
  out.push(custom.quotations(index, { limitPerGroup: 0 }), workspaceSymbols(index, 'okaf'), custom.entities(index, {}, false));
  return out;
}

describe('an index without texts answers as one holding them', () => {
  test('every feature, at every offset', () => {
    const held = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES, ['a teacher']) });
    const reads: string[] = [];
    const lean = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES, ['a teacher']), textSource: (doc) => (reads.push(doc), texts.get(doc)) });
    for (const [doc, text] of texts) {
      held.setDocument(doc, text);
      lean.setDocument(doc, text);
    }
    assert.deepStrictEqual(answers(lean), answers(held));
    assert.ok(reads.length > 0);
  });
});

class MemFiles implements FileSource {
  readonly files = new Map<string, string>();
  syncReads = 0;
  constructor(files: Map<string, string>) {
    for (const [uri, text] of files) this.files.set(uri.slice('file://'.length), text);
  }
  async list(folder: string) {
    return { files: [...this.files.keys()].filter((p) => p.startsWith(folder + '/')).sort(), skipped: [] };
  }
  async read(path: string) {
    const text = this.files.get(path);
    return text === undefined ? { ok: false as const, reason: 'no such file or folder (deleted or renamed?)' } : { ok: true as const, text };
  }
  readSync(path: string) {
    this.syncReads++;
    const text = this.files.get(path);
    return text === undefined ? { ok: false as const, reason: 'no such file or folder (deleted or renamed?)' } : { ok: true as const, text };
  }
  async includes() {
    return true;
  }
}

const quietClient = (logs: string[]): HostClient => ({
  status: () => undefined,
  log: (level, message) => void logs.push(`${level}: ${message}`),
  progress: async () => ({ report: () => undefined, done: () => undefined, onCancel: () => undefined }),
  configuration: async (uris) => uris.map(() => ({})),
});

async function lean(files: Map<string, string>) {
  const mem = new MemFiles(files);
  const logs: string[] = [];
  // eslint-disable-next-line prefer-const
  let host: CorpusHost;
  const index = new CorpusIndex({ analyze: analyzeDocument, textSource: (doc) => host.textOf(doc) });
  host = new CorpusHost(index, mem, quietClient(logs));
  host.setFolders([{ uri: 'file:///ws' }]);
  await host.loadSettings();
  await host.rescan();
  return { index, host, mem, logs };
}

const quoteTexts = (index: CorpusIndex, doc: string) => index.quotes(doc).map((q) => q.quote.text);

describe('CorpusHost gives texts back to an index that keeps none', () => {
  test("the file's, or the open document's as last indexed, until it is closed", async () => {
    const { index, host, mem } = await lean(texts);
    assert.equal(index.text(A), textA);
    assert.deepEqual(quoteTexts(index, A), ['We have no money left for the branch libraries,', 'Ünïcode — and 👋 here,']);
    assert.ok(mem.syncReads > 0);

    const edited = textA.replace('no money left', 'nothing at all left');
    host.didChange(A, edited);
    host.flush();
    mem.syncReads = 0;
    assert.equal(index.text(A), edited);
    assert.equal(quoteTexts(index, A)[0], 'We have nothing at all left for the branch libraries,');
    // The editor's text, not the disk's, even when the disk changes meanwhile.
    mem.files.set('/ws/a.txt', 'Something else.');
    assert.equal(index.text(A), edited);
    assert.equal(mem.syncReads, 0);

    mem.files.set('/ws/a.txt', textA);
    await host.didClose(A);
    assert.equal(index.text(A), textA);
    assert.equal(quoteTexts(index, A)[0], 'We have no money left for the branch libraries,');
  });

  test('a document opened as it is on disk is read from the editor from then on', async () => {
    const { index, host, mem } = await lean(texts);
    host.didChange(B, textB);
    host.flush();
    mem.files.set('/ws/b.txt', textB.replace('quiet', 'QUIET'));
    assert.equal(index.text(B), textB);
  });

  test('a file changed on disk without an event: no texts, no errors, until the event', async () => {
    const { index, host, mem, logs } = await lean(texts);
    const speaker = index.entityIdOf(A, 0)!;
    const check = () => {
      // Every feature still answers; the quotations of the changed file come without their words.
      for (let o = 0; o <= textA.length; o += 7) {
        const p = positionAtOffset(textA, o);
        hover(index, A, p);
        references(index, A, p);
      }
      documentSymbols(index, A);
      semanticTokens(index, A);
      custom.quotations(index, { speakerId: speaker });
      custom.mentions(index, { id: speaker });
    };
    // Longer, shorter, and the same length with the words moved: none is sliced at the indexed offsets.
    for (const changed of [textA + '\nMore news.', textA.slice(20), 'X' + textA.slice(0, -1)]) {
      mem.files.set('/ws/a.txt', changed);
      assert.equal(index.text(A), undefined);
      assert.deepEqual(quoteTexts(index, A), ['', '']);
      check();
      const card = hover(index, B, positionOf(textB, 'Mrs Okafor'));
      assert.match((card!.contents as MarkupContent).value, /Margaret Okafor/);
    }
    assert.deepEqual(logs.filter((l) => l.startsWith('error')), []);
    await host.didChangeFiles([{ uri: A, type: 'changed' }]);
    assert.equal(index.text(A), 'X' + textA.slice(0, -1));
    assert.ok(index.quotes(A).every((q) => q.quote.text === index.text(A)!.slice(q.quote.start, q.quote.end)));
  });

  test('a file gone from disk without an event answers without its text', async () => {
    const { index, mem } = await lean(texts);
    mem.files.delete('/ws/b.txt');
    assert.equal(index.text(B), undefined);
    assert.deepEqual(quoteTexts(index, B), ['']);
    assert.ok(hover(index, B, positionOf(textB, 'Whitfield')));
  });
});

describe('the built server keeps no texts', () => {
  let root: string;
  let client: TestClient;
  const extra = 'Brampton news\n\n"We will reopen the branch libraries one day," Mrs Okafor said.\n';
  const files = { 'council.txt': textA, 'protest.txt': textB, 'extra.txt': extra };

  before(async () => {
    root = writeWorkspace(files);
    client = await TestClient.start({ folders: [root] });
    await client.ready();
  });

  after(async () => {
    await client?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('quotations on hover cards and in the Corpus view come from the files; a file changed behind its back costs them, not errors', async () => {
    const council = uriOf(root, 'council.txt');
    const protest = uriOf(root, 'protest.txt');
    const card = async () =>
      ((await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: protest }, position: positionOf(textB, 'Mrs Okafor') }))!.contents as MarkupContent).value;
    assert.match(await card(), /> “We have no money left for the branch libraries,” — \*council\.txt\*/);
    const speakerId = (await client.connection.sendRequest(QuotationsRequest, {})).groups.find((g) => g.label === 'Margaret Okafor')!.speakerId!;
    const quoted = async () => (await client.connection.sendRequest(QuotationsRequest, { speakerId })).groups[0].quotes.map((q) => q.text).sort();
    const indexed = ['We have no money left for the branch libraries,', 'We will reopen the branch libraries one day,', 'Ünïcode — and 👋 here,'];
    assert.deepEqual(await quoted(), indexed);

    // Read back before it changed: the last few texts read are remembered as indexed. Another file changes unread.
    const v0 = client.lastStatus!.version;
    await client.connection.sendRequest(ReindexRequest);
    await client.changedSince(v0, 'the re-index');
    writeFileSync(`${root}/extra.txt`, 'Rewritten. ' + extra);
    assert.deepEqual(await quoted(), ['', indexed[0], indexed[2]]);
    const refs = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: council },
      position: positionOf(textA, 'Margaret Okafor'),
      context: { includeDeclaration: true },
    });
    assert.ok(refs && refs.length >= 6, JSON.stringify(refs));
    assert.ok(!client.logs.some((l) => /failed/.test(l)), client.logs.join('\n'));

    // The watcher's event re-indexes it, and its quotation is read from the new text.
    const v1 = client.lastStatus!.version;
    await client.filesChanged([{ uri: uriOf(root, 'extra.txt'), type: 'changed' }]);
    await client.changedSince(v1, 'the changed file');
    assert.deepEqual(await quoted(), indexed);
  });
});
