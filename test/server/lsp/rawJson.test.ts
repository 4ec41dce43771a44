// References written as JSON text (references.ts) and sent as it is by the stdio writer (connection.ts) must put on
// the wire exactly the bytes vscode-jsonrpc's own encoder makes from the plain Location objects.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamMessageWriter } from 'vscode-languageserver/node';
import { CorpusIndex } from '../../../server/src/core/index';
import { jsonEncoder } from '../../../server/src/lsp/connection';
import { RawJson } from '../../../server/src/lsp/rawJson';
import { locationOf } from '../../../server/src/lsp/locate';
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

describe('references as JSON text: positions kept per entity, framing in place', () => {
  const okafor = (index: CorpusIndex) => index.entities().find((e) => e.name.includes('Okafor'))!.id;

  test('numbers of every width: lines and characters past 10, 100, 1,000 and 10,000', () => {
    const index = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES, []) });
    const long = `${'\n'.repeat(1234)}${'y '.repeat(6000)}Mrs Okafor spoke.\n${'z'.repeat(99)} Okafor\n\rOkafor`;
    index.setDocument('file:///ws/long.txt', long);
    index.setDocument(DOCS[3], text(3));
    const id = okafor(index);
    const plain = mentionLocations(index, id)!;
    assert.ok(plain.some((l) => l.range.start.line >= 1000 && l.range.start.character >= 10_000));
    assert.equal(jsonOf(mentionLocationsJson(index, id)!), JSON.stringify(plain));
  });

  test('an edit that moves the mentions is in the next answer, as the line tables give it', () => {
    const index = corpus();
    const id = okafor(index);
    const before = jsonOf(mentionLocationsJson(index, id)!);
    assert.equal(jsonOf(mentionLocationsJson(index, id)!), before, 'asked again, unchanged');
    // Two lines more at the top of one document, then a mention removed from another.
    index.setDocument(DOCS[1], `New line\n\n${text(1)}`);
    index.setDocument(DOCS[2], text(2).replace('Mrs Okafor did not attend.', ''));
    const after = jsonOf(mentionLocationsJson(index, id)!);
    assert.notEqual(after, before);
    // Worked out another way: every mention's range from its document's line table (locate.ts).
    const expected = index.mentionsOf(id).map((r) => locationOf(index, r.doc, r.mention.start, r.mention.end));
    assert.equal(after, JSON.stringify(expected));
    assert.equal(after, JSON.stringify(mentionLocations(index, id)));
  });

  test('a cancelled request answers nothing and leaves nothing half made behind', () => {
    const index = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES, []) });
    for (let i = 0; i < 600; i++) index.setDocument(`file:///ws/many/${i}.txt`, `${'\n'.repeat(i % 7)}Mrs Okafor said so. Okafor left.`);
    const id = okafor(index);
    assert.equal(mentionLocationsJson(index, id, true, { isCancellationRequested: true }), undefined);
    assert.equal(mentionLocations(index, id, true, { isCancellationRequested: true }), undefined);
    const plain = mentionLocations(index, id)!;
    assert.equal(plain.length, 1200);
    assert.equal(jsonOf(mentionLocationsJson(index, id)!), JSON.stringify(plain));
  });

  test('the same answer framed twice, and with ids too long for the room before it', async () => {
    const index = corpus();
    const raw = mentionLocationsJson(index, okafor(index))!;
    const plain = mentionLocations(index, okafor(index))!;
    for (const id of [1, 2_147_483_647, 'short', 'x'.repeat(300), 'quote " and \\ and “é”'])
      assert.equal(
        Buffer.from(await jsonEncoder.encode({ jsonrpc: '2.0', id, result: raw } as never, { charset: 'utf-8' })).toString('utf8'),
        JSON.stringify({ jsonrpc: '2.0', id, result: plain }),
      );
    // The answer itself is untouched by the framing.
    assert.equal(jsonOf(raw), JSON.stringify(plain));
  });

  test('asked again: the kept answer as it is (no copy), framed anew for each response, until the entity changes', async () => {
    const index = corpus();
    const id = okafor(index);
    const first = mentionLocationsJson(index, id)!;
    const again = mentionLocationsJson(index, id)!;
    assert.equal(jsonOf(again), jsonOf(first));
    assert.equal(again.bytes, first.bytes, 'the same bytes, not a copy: no memory outside the heap per request');
    // The writer frames a response in the room around the bytes and writes it before it frames the next (rawJson.ts):
    // each response then carries its own id, and the answer's bytes are never touched.
    const plain = JSON.stringify(mentionLocations(index, id));
    for (const rid of [1, 'second', 2_147_483_647, 'x'.repeat(300), 3]) {
      const sent = Buffer.from(await jsonEncoder.encode({ jsonrpc: '2.0', id: rid, result: again } as never, { charset: 'utf-8' })).toString('utf8');
      assert.equal(sent, `{"jsonrpc":"2.0","id":${JSON.stringify(rid)},"result":${plain}}`);
      assert.equal(jsonOf(first), plain);
    }
    // Without the declaration: another answer, kept apart from the first.
    const noDecl = jsonOf(mentionLocationsJson(index, id, false)!);
    assert.equal(noDecl, JSON.stringify(mentionLocations(index, id, false)));
    assert.notEqual(noDecl, jsonOf(first));
    assert.equal(jsonOf(mentionLocationsJson(index, id)!), jsonOf(first));
    assert.equal(jsonOf(mentionLocationsJson(index, id, false)!), noDecl);
    // An edit that moves one mention by a character: the next answer has it where it is now.
    index.setDocument(DOCS[3], text(3).replace('Mrs Okafor did not attend.', ' Mrs Okafor did not attend.'));
    const moved = jsonOf(mentionLocationsJson(index, id)!);
    assert.notEqual(moved, jsonOf(first));
    assert.equal(moved, JSON.stringify(mentionLocations(index, id)));
    assert.equal(jsonOf(mentionLocationsJson(index, id, false)!), JSON.stringify(mentionLocations(index, id, false)));
  });

  test('one kept answer as the result of responses written back to back to a slow reader: each arrives whole, with its own id', async () => {
    // Answers of ~100 KB, more of them than the socket's buffers hold.
    const index = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES, []) });
    for (let i = 0; i < 600; i++) index.setDocument(`file:///ws/many/${i}.txt`, `${'\n'.repeat(i % 7)}Mrs Okafor said so. Okafor left.`);
    const id = okafor(index);
    const raw = mentionLocationsJson(index, id)!;
    const plain = JSON.stringify(mentionLocations(index, id));
    // The server's writer (connection.ts: vscode-jsonrpc's stream writer with the RawJson encoder) over a socket, as
    // stdout is: responses are handed to it without waiting, as handlers finishing one after another do, and the
    // reader takes nothing until all are handed over, so writes queue behind each other.
    const dir = mkdtempSync(join(tmpdir(), 'cn-raw-'));
    const path = join(dir, 's.sock');
    const received: Buffer[] = [];
    let peer: Socket | undefined;
    const server = createServer((s) => {
      peer = s;
      s.pause();
      s.on('data', (c: Buffer) => received.push(c));
    });
    await new Promise<void>((r) => server.listen(path, r));
    const out = connect(path);
    await new Promise<void>((r) => out.on('connect', r));
    const writer = new StreamMessageWriter(out, { charset: 'utf-8', contentTypeEncoder: jsonEncoder });
    const ids = [1, 'two', 3, 'x'.repeat(200), 5];
    const big = Array.from({ length: 40 }, () => mentionLocationsJson(index, id)!);
    const writes = [...ids.map((rid) => writer.write({ jsonrpc: '2.0', id: rid, result: mentionLocationsJson(index, id)! } as never))];
    for (const r of big) writes.push(writer.write({ jsonrpc: '2.0', id: 9, result: r } as never));
    await new Promise((r) => setTimeout(r, 20));
    peer!.resume();
    await Promise.all(writes);
    out.end();
    await new Promise((r) => peer!.on('end', r));
    server.close();
    rmSync(dir, { recursive: true, force: true });
    const bodies = Buffer.concat(received).toString('utf8').split(/Content-Length: \d+\r\n\r\n/).slice(1);
    assert.deepEqual(bodies, [...ids, ...big.map(() => 9)].map((rid) => `{"jsonrpc":"2.0","id":${JSON.stringify(rid)},"result":${plain}}`));
    assert.ok(raw.bytes.length > 100_000);
    assert.equal(jsonOf(raw), plain);
    writer.dispose();
  });

  test('lines and characters of up to seven digits', () => {
    const index = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES, []) });
    index.setDocument('file:///ws/tall.txt', `${'\n'.repeat(123_456)}Mrs Okafor\n${'y'.repeat(1_234_567)} Okafor`);
    const id = okafor(index);
    const plain = mentionLocations(index, id)!;
    assert.ok(plain.some((l) => l.range.start.line === 123_457 && l.range.start.character === 1_234_568));
    assert.equal(jsonOf(mentionLocationsJson(index, id)!), JSON.stringify(plain));
  });

  test('answers for many entities and indexes in turn stay right (the kept few are pushed out, never mixed up)', () => {
    const indexes = [corpus(), corpus(), corpus()];
    indexes[1].setDocument(DOCS[0], `Top line\n${text(0)}`);
    indexes[2].deleteDocument(DOCS[1]);
    for (let round = 0; round < 3; round++) {
      for (const index of indexes) {
        for (const e of index.entities()) {
          for (const decl of [true, false]) assert.equal(jsonOf(mentionLocationsJson(index, e.id, decl)!), JSON.stringify(mentionLocations(index, e.id, decl)));
        }
      }
    }
    // A cancelled request answers nothing, whether or not an answer is kept.
    const index = indexes[0];
    const id = okafor(index);
    assert.equal(mentionLocationsJson(index, 'person:nobody-at-all', true, { isCancellationRequested: true })?.bytes.length ?? 2, 2);
    assert.equal(jsonOf(mentionLocationsJson(index, id)!), JSON.stringify(mentionLocations(index, id)));
  });
});

