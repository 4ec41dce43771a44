// The built server on the shared seed articles (../shared/seeds from the repository root), when they are present.
// Structure only (which forms group together, which files they span), not counts that depend on recognition tuning.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
  SemanticTokensRequest,
  type DocumentSymbol,
  type Location,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { EntitiesRequest } from '../../../server/src/protocol';
import { TestClient, decodeTokens, positionOf, textOf } from './client';

const seeds = resolve(__dirname, '../../../../shared/seeds');
const present = existsSync(seeds) && readdirSync(seeds).some((f) => f.endsWith('.txt'));

describe('language server on the seeds', { skip: present ? false : `no seeds at ${seeds}` }, () => {
  let client: TestClient;
  const files = present ? readdirSync(seeds).filter((f) => f.endsWith('.txt')).sort() : [];
  const texts = new Map(files.map((f) => [pathToFileURL(join(seeds, f)).href, readFileSync(join(seeds, f), 'utf8').replace(/^\uFEFF/, '')]));
  const uriOf = (f: string) => pathToFileURL(join(seeds, f)).href;
  /** The first file containing `anchor`, with the anchor's position. */
  const find = (anchor: string) => {
    for (const [uri, text] of texts) if (text.includes(anchor)) return { uri, text, position: positionOf(text, anchor, 0, 1) };
    throw new Error(`no seed contains ${anchor}`);
  };
  const covered = (locs: Location[]) => locs.map((l) => textOf(texts.get(l.uri)!, l.range));

  before(async () => {
    client = await TestClient.start({ folders: [seeds] });
    await client.ready();
  });
  after(async () => client?.stop());

  test('every seed is indexed', async () => {
    const ready = await client.ready();
    assert.equal(ready.counts.documents, files.length);
    assert.ok(ready.counts.people > 0 && ready.counts.organisations > 0 && ready.counts.quotes > 0, JSON.stringify(ready.counts));
  });

  test('references of "Corbyn" span several files through its alias forms', async () => {
    const at = find('Corbyn');
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: at.uri },
      position: at.position,
      context: { includeDeclaration: true },
    }))!;
    const forms = new Set(covered(refs).map((t) => t.replace(/['’]s$/, '')));
    assert.ok(new Set(refs.map((r) => r.uri)).size >= 3, `files: ${[...new Set(refs.map((r) => r.uri))]}`);
    assert.ok(forms.has('Jeremy Corbyn'), [...forms].join(' | '));
    assert.ok(forms.has('Mr Corbyn') || forms.has('Corbyn'), [...forms].join(' | '));
    // Every form is a form of his name (full, titled, family, given, handle).
    assert.ok([...forms].every((f) => /corbyn|jeremy/i.test(f)), [...forms].join(' | '));
  });

  test('hover on "Mr Corbyn" shows Jeremy Corbyn\'s card; definition is his introduction', async () => {
    const at = find('Mr Corbyn');
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: at.uri }, position: positionOf(at.text, 'Mr Corbyn', 0, 4) });
    const card = (h!.contents as MarkupContent).value;
    assert.match(card, /\*\*Jeremy Corbyn\*\* · Person/);
    assert.match(card, /\d+ mentions in \d+ files/);
    const def = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: at.uri }, position: positionOf(at.text, 'Mr Corbyn', 0, 4) })) as Location;
    assert.match(textOf(texts.get(def.uri)!, def.range), /^Jeremy Corbyn/);
  });

  test('"JLM" groups with "Jewish Labour Movement"', async () => {
    const at = find('JLM');
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: at.uri },
      position: at.position,
      context: { includeDeclaration: true },
    }))!;
    const forms = new Set(covered(refs));
    assert.ok(forms.has('JLM') && [...forms].some((f) => /^Jewish Labour Movement/.test(f)), [...forms].join(' | '));
    const orgs = await client.connection.sendRequest(EntitiesRequest, { type: 'organisation', query: 'JLM' });
    const jlm = orgs.entities.find((e) => e.aliases.includes('JLM'))!;
    assert.ok(jlm && /Jewish Labour Movement/.test(jlm.name), JSON.stringify(orgs.entities.slice(0, 3)));
  });

  test('every seed has an outline and semantic tokens that decode to its text', async () => {
    for (const f of files) {
      const uri = uriOf(f);
      const syms = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
      assert.ok(syms.some((s) => s.name === 'People'), f);
      const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
      const decoded = decodeTokens(tokens!.data, texts.get(uri)!);
      assert.ok(decoded.length > 0, f);
      for (const t of decoded) assert.ok(t.text.length > 0 && t.type !== undefined, `${f}: ${JSON.stringify(t)}`);
    }
  });
});
