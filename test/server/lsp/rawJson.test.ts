// References written as JSON text (references.ts) and sent as it is by the stdio writer (connection.ts) must put on
// the wire exactly the bytes vscode-jsonrpc's own encoder makes from the plain Location objects.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CorpusIndex } from '../../../server/src/core/index';
import { jsonEncoder } from '../../../server/src/lsp/connection';
import { RawJson } from '../../../server/src/lsp/rawJson';
import { mentionLocations, mentionLocationsJson, references, referencesJson } from '../../../server/src/lsp/references';
import { positionOf } from './client';
import { FIXTURE_NAMES, stubAnalyzer } from './stubAnalyzer';

// Keys JSON must escape or that are not ASCII: an unsaved buffer's name, a percent-encoded path, a quote, a backslash.
const DOCS = [
  'file:///ws/caf%C3%A9/a.txt',
  'untitled:Café “Okafor” notes',
  'untitled:back\\slash "quoted"\ttab',
  'file:///ws/b.txt',
];
const text = (i: number) =>
  [
    i % 2 ? 'Protest at town hall\r\n' : 'Council votes — to close library\n',
    'Margaret Okafor, the leader of Brampton Council, said the decision was painful.\n\n',
    '“We have no money left,” Mrs Okafor told the meeting. 😀 Okafor later defended the plan.\n',
    'x'.repeat(i * 40),
    '\nMrs Okafor did not attend.',
  ].join('');

function corpus() {
  const index = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES, []) });
  DOCS.forEach((doc, i) => index.setDocument(doc, text(i)));
  return index;
}

const jsonOf = (raw: RawJson) => Buffer.from(raw.bytes).toString('utf8');

/** The encoder's bytes as a string (the message as a client reads it). */
async function wire(result: unknown): Promise<string> {
  return Buffer.from(await jsonEncoder.encode({ jsonrpc: '2.0', id: 7, result } as never, { charset: 'utf-8' })).toString('utf8');
}

describe('references as JSON text', () => {
  const index = corpus();
  const at = positionOf(text(0), 'Mrs Okafor', 0, 5);

  test('the same text as JSON.stringify of the locations, with and without the declaration', () => {
    const id = index.entities().find((e) => e.name.includes('Okafor'))!.id;
    for (const decl of [true, false]) {
      const plain = mentionLocations(index, id, decl)!;
      assert.ok(plain.length >= 8);
      assert.equal(jsonOf(mentionLocationsJson(index, id, decl)!), JSON.stringify(plain));
    }
    assert.equal(jsonOf(referencesJson(index, DOCS[0], at)!), JSON.stringify(references(index, DOCS[0], at)));
    // Nothing under the cursor: an empty list, as references gives.
    assert.equal(jsonOf(referencesJson(index, DOCS[0], { line: 0, character: 0 })!), JSON.stringify(references(index, DOCS[0], { line: 0, character: 0 })));
  });

  test('the writer puts the same bytes on the wire as for the plain value', async () => {
    const raw = referencesJson(index, DOCS[1], at)!;
    const plain = references(index, DOCS[1], at)!;
    assert.equal(await wire(raw), await wire(plain));
    assert.equal(await wire(raw), JSON.stringify({ jsonrpc: '2.0', id: 7, result: plain }));
    assert.equal(await wire(new RawJson(Buffer.from('[]'))), '{"jsonrpc":"2.0","id":7,"result":[]}');
  });

  test('anything else that serialises it gets the plain value', () => {
    const raw = referencesJson(index, DOCS[2], at)!;
    assert.equal(JSON.stringify({ result: raw }), JSON.stringify({ result: references(index, DOCS[2], at) }));
  });

  test('other messages are encoded as vscode-jsonrpc encodes them', async () => {
    const msg = { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'Café “x” \\ \n' } };
    const bytes = await jsonEncoder.encode(msg as never, { charset: 'utf-8' });
    assert.equal(Buffer.from(bytes).toString('utf8'), JSON.stringify(msg));
  });
});
