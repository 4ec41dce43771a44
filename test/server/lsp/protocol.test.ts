// The built language server over stdio, spoken to by a real JSON-RPC client, on a small news workspace written
// here. Assertions are on structure (which spans, which files), with every position found from a text anchor.

import assert from 'node:assert/strict';
import { rmSync, unlinkSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  CancellationTokenSource,
  DefinitionRequest,
  DocumentHighlightRequest,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
  SemanticTokensRangeRequest,
  SemanticTokensRequest,
  WorkspaceSymbolRequest,
  type DocumentSymbol,
  type Location,
  type MarkupContent,
  type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import {
  EntitiesRequest,
  EntityAtRequest,
  MentionsRequest,
  QuotationsRequest,
  ReindexRequest,
  SEMANTIC_TOKENS_LEGEND,
  StatusRequest,
} from '../../../server/src/protocol';
import { TestClient, decodeTokens as decode, positionOf, textOf, uriOf, writeFile, writeWorkspace } from './client';

const COUNCIL = [
  'Library closures approved',
  '',
  'Margaret Okafor, the leader of Brampton Council, said on Tuesday that the decision had been painful.',
  '',
  '"We have no money left for the branch libraries," Mrs Okafor told councillors.',
  '',
  'The Library Campaign Network (LCN) said it would fight the closures. A spokesman for the LCN said: "This is a sad day for readers."',
  '',
  'Okafor later defended the plan in a radio interview.',
  '',
].join('\n');

const PROTEST = [
  '# Protest at the town hall',
  '',
  'Campaigners from the Library Campaign Network gathered outside the town hall on Saturday.',
  '',
  'Daniel Whitfield, a local teacher, said: "Children need somewhere quiet to read."',
  '',
  'Mrs Okafor did not attend. Mr Whitfield said he would return next week.',
  '',
].join('\r\n');

const files: Record<string, string> = { 'news/council.txt': COUNCIL, 'news/protest.md': PROTEST, 'notes/ignored.json': '{"name": "Margaret Okafor"}' };

describe('language server over stdio', () => {
  let root: string;
  let client: TestClient;
  const U = (rel: string) => uriOf(root, rel);
  const text = (uri: string) => (uri === U('news/council.txt') ? COUNCIL : uri === U('news/protest.md') ? PROTEST : '');
  const spans = (locs: Location[]) => locs.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${textOf(text(l.uri), l.range)}`);

  before(async () => {
    root = writeWorkspace(files);
    client = await TestClient.start({ folders: [root] });
    await client.ready();
  });

  after(async () => {
    await client?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('initialize declares the features and the token legend; the scan reports progress and ends ready', async () => {
    const caps = client.initializeResult.capabilities;
    assert.ok(caps.hoverProvider && caps.referencesProvider && caps.definitionProvider && caps.documentHighlightProvider);
    assert.ok(caps.documentSymbolProvider && caps.workspaceSymbolProvider);
    assert.deepEqual(caps.semanticTokensProvider?.legend, SEMANTIC_TOKENS_LEGEND);
    const ready = await client.ready();
    assert.equal(ready.filesTotal, 2);
    assert.equal(ready.filesDone, 2);
    assert.equal(ready.counts.documents, 2);
    assert.ok(ready.counts.people >= 2, JSON.stringify(ready.counts));
    assert.ok(ready.counts.organisations >= 1, JSON.stringify(ready.counts));
    assert.ok(ready.counts.quotes >= 2, JSON.stringify(ready.counts));
    const kinds = client.progress.map((p: any) => p.value?.kind);
    assert.ok(kinds.includes('begin') && kinds.includes('end'), JSON.stringify(client.progress));
    assert.ok(client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const status = await client.connection.sendRequest(StatusRequest);
    assert.equal(status.state, 'ready');
  });

  test('documentSymbol: People, Organisations and Quotations', async () => {
    const syms = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: U('news/council.txt') } })) as DocumentSymbol[];
    assert.deepEqual(syms.map((s) => s.name), ['People', 'Organisations', 'Quotations']);
    assert.ok(syms[0].children!.some((c) => c.name === 'Margaret Okafor'), JSON.stringify(syms[0].children));
    assert.ok(syms[1].children!.some((c) => c.name === 'Library Campaign Network'), JSON.stringify(syms[1].children));
    const quote = syms[2].children!.find((c) => c.name.includes('We have no money'));
    assert.ok(quote, JSON.stringify(syms[2].children));
    assert.match(quote.name, /^Margaret Okafor: “We have no money/);
  });

  test('hover on a short form shows the entity card', async () => {
    const h = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: U('news/council.txt') },
      position: positionOf(COUNCIL, 'Okafor later', 0, 2),
    });
    const value = (h!.contents as MarkupContent).value;
    assert.match(value, /\*\*Margaret Okafor\*\* · Person/);
    assert.match(value, /Also: .*Okafor/);
    assert.match(value, /mentions in 2 files/);
    assert.match(value, /This mention: “Okafor”/);
    assert.match(value, /We have no money/);
    assert.equal(textOf(COUNCIL, h!.range!), 'Okafor');
  });

  test('hover on a quotation names its speaker', async () => {
    const h = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: U('news/protest.md') },
      position: positionOf(PROTEST, 'somewhere quiet'),
    });
    assert.match((h!.contents as MarkupContent).value, /^Quotation · said by \*\*Daniel Whitfield\*\*/);
  });

  test('references: every mention across files, whatever the alias', async () => {
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: U('news/protest.md') },
      position: positionOf(PROTEST, 'Mrs Okafor', 0, 6),
      context: { includeDeclaration: true },
    }))!;
    const got = spans(refs);
    for (const want of ['council.txt:Margaret Okafor', 'council.txt:Okafor', 'protest.md:Mrs Okafor']) assert.ok(got.includes(want), `${want} in ${got}`);
    assert.ok(got.includes('council.txt:Mrs Okafor'), String(got));
    assert.ok(got.every((s) => /Okafor/.test(s)), String(got));
  });

  test('definition: the introduction of the entity', async () => {
    const def = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: U('news/protest.md') },
      position: positionOf(PROTEST, 'Okafor did'),
    })) as Location;
    assert.equal(def.uri, U('news/council.txt'));
    assert.equal(textOf(COUNCIL, def.range), 'Margaret Okafor');
  });

  test('documentHighlight: the mentions in this file', async () => {
    const hl = (await client.connection.sendRequest(DocumentHighlightRequest.type, {
      textDocument: { uri: U('news/council.txt') },
      position: positionOf(COUNCIL, 'Mrs Okafor'),
    }))!;
    assert.deepEqual(hl.map((h) => textOf(COUNCIL, h.range)), ['Margaret Okafor', 'Mrs Okafor', 'Okafor']);
  });

  test('workspace symbols: fuzzy over every alias', async () => {
    const fuzzy = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'mokfr' })) as SymbolInformation[];
    assert.ok(fuzzy.some((s) => s.name === 'Margaret Okafor'), JSON.stringify(fuzzy.map((s) => s.name)));
    const acronym = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'LCN' })) as SymbolInformation[];
    assert.ok(acronym.some((s) => /Library Campaign Network/.test(s.name)), JSON.stringify(acronym.map((s) => s.name)));
    const all = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: '' })) as SymbolInformation[];
    assert.ok(all.length >= 3);
    const okafor = fuzzy.find((s) => s.name === 'Margaret Okafor')!;
    assert.equal(textOf(COUNCIL, okafor.location.range), 'Margaret Okafor');
  });

  test('semantic tokens decode to the names and quotations', async () => {
    const full = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: U('news/protest.md') } });
    const toks = decode(full!.data, PROTEST);
    const has = (type: string, t: string) => toks.some((x) => x.type === type && x.text === t);
    assert.ok(has('person', 'Daniel Whitfield'), JSON.stringify(toks));
    assert.ok(has('person', 'Mrs Okafor'), JSON.stringify(toks));
    assert.ok(has('organisation', 'Library Campaign Network'), JSON.stringify(toks));
    assert.ok(has('quotation', 'Children need somewhere quiet to read.'), JSON.stringify(toks));
    // In order, never overlapping.
    for (let i = 1; i < toks.length; i++) {
      const a = toks[i - 1];
      const b = toks[i];
      assert.ok(b.line > a.line || b.char >= a.char + a.text.length, `${JSON.stringify(a)} / ${JSON.stringify(b)}`);
    }
    const line = positionOf(PROTEST, 'Mrs Okafor').line;
    const ranged = await client.connection.sendRequest(SemanticTokensRangeRequest.type, {
      textDocument: { uri: U('news/protest.md') },
      range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
    });
    const r = decode(ranged!.data, PROTEST);
    assert.ok(r.length >= 1 && r.every((x) => x.line === line), JSON.stringify(r));
  });

  test('custom requests: entities, mentions, quotations by speaker, entity at a position', async () => {
    const people = await client.connection.sendRequest(EntitiesRequest, { type: 'person' });
    assert.ok(people.entities.every((e) => e.type === 'person'));
    const okafor = people.entities.find((e) => e.name === 'Margaret Okafor')!;
    assert.ok(okafor && okafor.fileCount === 2 && okafor.mentionCount >= 4, JSON.stringify(okafor));
    const counts = people.entities.map((e) => e.mentionCount);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a));

    const ms = await client.connection.sendRequest(MentionsRequest, { id: okafor.id });
    assert.equal(ms.total, okafor.mentionCount);
    const first = ms.mentions[0];
    assert.equal(first.uri, U('news/council.txt'));
    assert.equal(first.line, positionOf(COUNCIL, 'Margaret Okafor').line + 1);
    assert.equal(first.context.slice(...first.contextSpan), 'Margaret Okafor');

    const qs = await client.connection.sendRequest(QuotationsRequest, {});
    const group = qs.groups.find((g) => g.speakerId === okafor.id)!;
    assert.ok(group && group.quotes.some((q) => q.text.startsWith('We have no money')), JSON.stringify(qs.groups));

    const at = await client.connection.sendRequest(EntityAtRequest, {
      textDocument: { uri: U('news/council.txt') },
      position: positionOf(COUNCIL, 'LCN', 1),
    });
    assert.equal(at?.entity.name, 'Library Campaign Network');
    const none = await client.connection.sendRequest(EntityAtRequest, {
      textDocument: { uri: U('news/council.txt') },
      position: positionOf(COUNCIL, 'closures approved'),
    });
    assert.equal(none, null);
  });

  test('unknown documents, odd positions and cancelled requests never break the server', async () => {
    const nowhere = { uri: U('news/nowhere.txt') };
    assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: nowhere, position: { line: 0, character: 0 } }), null);
    const far = { line: 10_000, character: 10_000 };
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: U('news/council.txt') }, position: far });
    assert.deepEqual(await client.connection.sendRequest(ReferencesRequest.type, { textDocument: nowhere, position: far, context: { includeDeclaration: true } }), []);
    assert.deepEqual(await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: nowhere }), []);
    await client.connection.sendRequest(MentionsRequest, { id: 42 as unknown as string });
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      ReferencesRequest.type,
      { textDocument: { uri: U('news/council.txt') }, position: positionOf(COUNCIL, 'Okafor'), context: { includeDeclaration: true } },
      source.token,
    );
    source.cancel();
    await pending.then(
      () => undefined,
      (e) => assert.equal(e.code, -32800 /* RequestCancelled */),
    );
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: U('news/council.txt') }, position: positionOf(COUNCIL, 'Okafor later') });
    assert.ok(h, 'still answering');
    // A diff view's copy of a file is not a second document of the corpus.
    const before = client.lastStatus!.counts.documents;
    await client.open(`git:${U('news/council.txt').slice('file:'.length)}?ref=HEAD`, COUNCIL);
    const status = await client.connection.sendRequest(StatusRequest);
    assert.equal(status.counts.documents, before);
  });

  test('an edit to an open document updates hover and references; closing falls back to the disk', async () => {
    const uri = U('news/protest.md');
    await client.open(uri, PROTEST, 'markdown');
    const addition = '\r\nPriya Raman, the chair of the Library Campaign Network, said: "We will be back."\r\n';
    const end = positionOf(PROTEST + '|', '|');
    const v0 = client.lastStatus!.version;
    await client.edit(uri, { start: end, end }, addition);
    const edited = PROTEST + addition;
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(edited, 'Raman') });
    assert.match((h!.contents as MarkupContent).value, /\*\*Priya Raman\*\* · Person/);

    // Remove "Mrs Okafor did not attend." and Okafor's references lose that mention.
    const from = positionOf(edited, 'Mrs Okafor did not attend. ');
    const to = positionOf(edited, 'Mr Whitfield said');
    await client.edit(uri, { start: from, end: to }, '');
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: U('news/council.txt') },
      position: positionOf(COUNCIL, 'Margaret Okafor'),
      context: { includeDeclaration: true },
    }))!;
    assert.ok(refs.every((r) => r.uri === U('news/council.txt')), JSON.stringify(refs));
    await client.changedSince(v0, 'a status after the edit');

    await client.close(uri);
    const back = await waitFor(async () => {
      const r = (await client.connection.sendRequest(ReferencesRequest.type, {
        textDocument: { uri: U('news/council.txt') },
        position: positionOf(COUNCIL, 'Margaret Okafor'),
        context: { includeDeclaration: true },
      }))!;
      return r.some((x) => x.uri === uri) ? r : undefined;
    }, client);
    assert.ok(back.length >= 4);
  });

  test('watched files: a created file joins the corpus, a deleted one leaves it', async () => {
    const rel = 'news/later.txt';
    const later = 'Budget row\n\nMargaret Okafor faced questions from the LCN on Monday.\n';
    writeFile(root, rel, later);
    const v0 = client.lastStatus!.version;
    await client.filesChanged([{ uri: U(rel), type: 'created' }]);
    await client.changedSince(v0, 'the created file');
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: U('news/council.txt') },
      position: positionOf(COUNCIL, 'Margaret Okafor'),
      context: { includeDeclaration: true },
    }))!;
    assert.ok(refs.some((r) => r.uri === U(rel)), JSON.stringify(refs.map((r) => r.uri)));

    unlinkSync(`${root}/${rel}`);
    const v1 = client.lastStatus!.version;
    await client.filesChanged([{ uri: U(rel), type: 'deleted' }]);
    await client.changedSince(v1, 'the deleted file');
    const after = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: U('news/council.txt') },
      position: positionOf(COUNCIL, 'Margaret Okafor'),
      context: { includeDeclaration: true },
    }))!;
    assert.ok(!after.some((r) => r.uri === U(rel)));
  });

  test('re-index scans again and ends ready', async () => {
    const before = client.statuses.length;
    await client.connection.sendRequest(ReindexRequest);
    const statuses = client.statuses.slice(before);
    assert.ok(statuses.some((s) => s.state === 'indexing'));
    assert.equal(statuses[statuses.length - 1].state, 'ready');
    assert.equal(statuses[statuses.length - 1].counts.documents, 2);
  });
});

/** Asks again after each status notification until `probe` gives a value (the server is updating from disk). */
async function waitFor<T>(probe: () => Promise<T | undefined>, client: TestClient): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    const seen = client.statuses.length;
    await client.waitForStatus(() => client.statuses.length > seen, 'the next status');
  }
  throw new Error('gave up');
}
