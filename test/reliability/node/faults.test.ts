// Faults are contained: a document whose analysis throws (synchronously, by rejecting, or by returning garbage) is
// reported and left out while every other document is indexed; the scan and the server host keep going; requests
// made during indexing answer from what is indexed so far; a cancelled scan stops.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { CorpusIndex } from '../../../server/src/core/index';
import type { DocAnalysis } from '../../../server/src/core/model';
import { CorpusHost, type Analyser, type FileSource, type HostClient, type ProgressReporter } from '../../../server/src/lsp/host';
import type { IndexStatus } from '../../../server/src/protocol';
import { scanFolder } from '../../../server/src/node/scan';
import { violations, workspace } from '../helpers';

const NEWS = (n: number) => `Margaret Okafor${n}, the leader of Brampton Council, said: "We will go on."\n`;
const POISON = 'POISON';

const files = () => {
  const f: Record<string, string> = {};
  for (let i = 0; i < 12; i++) f[`doc${String(i).padStart(2, '0')}.txt`] = NEWS(i);
  f['doc05.txt'] += POISON;
  return f;
};

describe('scan: a throwing analyser is contained', () => {
  for (const how of ['throws', 'rejects'] as const) {
    test(`an analyse step that ${how} skips that file with the reason; the others are indexed`, async () => {
      const root = workspace(files());
      const r = await scanFolder(root, {}, {
        analyze: (text) => {
          if (text.includes(POISON)) {
            if (how === 'throws') throw new Error('recogniser exploded');
            return Promise.reject(new Error('worker died'));
          }
          return analyzeDocument(text);
        },
      });
      assert.equal(r.index.documents().length, 11);
      const skipped = r.index.skipped();
      assert.deepEqual(skipped.map((s) => s.doc), ['doc05.txt']);
      assert.match(skipped[0].reason, /analysis failed: (recogniser exploded|worker died)/);
      assert.ok(r.index.entities().length >= 11);
    });
  }

  test("the index's own analyser throwing (injected through CorpusIndex) is contained the same way", async () => {
    const root = workspace(files());
    const index = new CorpusIndex({
      analyze: (text) => {
        if (text.includes(POISON)) throw new RangeError('Maximum call stack size exceeded');
        return analyzeDocument(text);
      },
    });
    const r = await scanFolder(root, {}, { index });
    assert.equal(index.documents().length, 11);
    assert.match(index.skipped()[0]?.reason ?? '', /analysis failed: Maximum call stack/);
    assert.equal(r.cancelled, false);
  });

  test('an analyser returning garbage (bad spans, NaN, overlaps, wrong indices) is repaired, never trusted', () => {
    const index = new CorpusIndex();
    const text = 'Margaret Okafor said: "Yes." Mrs Okafor left.';
    const good = analyzeDocument(text);
    const bad = {
      mentions: [
        ...good.mentions,
        { ...good.mentions[0], start: -5, end: 3 },
        { ...good.mentions[0], start: NaN },
        { ...good.mentions[0], start: 2, end: 9999 },
        { ...good.mentions[0], text: 'not the slice' },
        good.mentions[0],
        null,
      ],
      quotes: [{ start: 5, end: 2, text: '' }, { ...good.quotes[0], speaker: { mention: 99, rule: 'x' } }],
      roles: [{ mention: -1, text: 'x', rule: 'x' }],
      problems: 'not a list',
    } as unknown as DocAnalysis;
    index.setAnalysed('doc', text, bad);
    assert.deepEqual(violations(text, index.analysis('doc')!), []);
    index.entities();
    index.quotes();
    index.setAnalysed('doc2', text, {} as DocAnalysis);
    index.setAnalysed('doc3', text, null as unknown as DocAnalysis);
    assert.equal(index.documents().length, 3);
  });

  test('a cancelled scan stops between files and keeps what it indexed', async () => {
    const root = workspace(files());
    let done = 0;
    const r = await scanFolder(root, {}, { concurrency: 1, onProgress: (d) => void (done = d), isCancelled: () => done >= 4 });
    assert.equal(r.cancelled, true);
    assert.equal(r.index.documents().length, 4);
  });
});

class MemFiles implements FileSource {
  constructor(readonly files: Record<string, string>) {}
  async list(folder: string) {
    return { files: Object.keys(this.files).map((f) => `${folder}/${f}`).sort(), skipped: [] };
  }
  async read(path: string) {
    const text = this.files[path.slice(path.lastIndexOf('/') + 1)];
    return text === undefined ? { ok: false as const, reason: 'no such file or folder (deleted or renamed?)' } : { ok: true as const, text };
  }
  async includes() {
    return true;
  }
}

class Recorder implements HostClient {
  statuses: IndexStatus[] = [];
  logs: string[] = [];
  cancel?: () => void;
  status(s: IndexStatus) {
    this.statuses.push(s);
  }
  log(level: string, message: string) {
    this.logs.push(`${level}: ${message}`);
  }
  async progress(): Promise<ProgressReporter> {
    return { report: () => undefined, done: () => undefined, onCancel: (l) => void (this.cancel = l) };
  }
  async configuration(uris: string[]) {
    return uris.map(() => ({}));
  }
}

describe('server host: faults and requests during indexing', () => {
  for (const how of ['throws synchronously', 'rejects', 'resolves to garbage'] as const) {
    test(`a worker analyser that ${how} on one file: the others are indexed and the host keeps answering`, async () => {
      const index = new CorpusIndex();
      const client = new Recorder();
      const host = new CorpusHost(index, new MemFiles(files()), client);
      const analyser: Analyser = {
        analyse(file) {
          if (file.text.includes(POISON)) {
            if (how === 'throws synchronously') throw new Error('worker exploded');
            if (how === 'rejects') return Promise.reject(new Error('worker died'));
            return Promise.resolve({ mentions: [{ start: 1e9 }], quotes: 7 } as unknown as DocAnalysis);
          }
          return Promise.resolve(analyzeDocument(file.text));
        },
      };
      host.useAnalyser(analyser);
      host.setFolders([{ uri: 'file:///ws' }]);
      await host.rescan();
      const last = client.statuses[client.statuses.length - 1];
      assert.equal(last.state, 'ready');
      // The poisoned document is either left out with a reason or indexed from the index's own analysis: never lost
      // silently, never taking the others with it.
      assert.ok(index.documents().length >= 11, `indexed: ${index.documents().length}; logs: ${client.logs.join('\n')}`);
      for (const d of index.documents()) assert.deepEqual(violations(index.text(d)!, index.analysis(d)!), []);
      assert.ok(!client.logs.some((l) => /Indexing failed/.test(l)), client.logs.join('\n'));
      host.didChange('file:///ws/new.txt', NEWS(99));
      host.flush();
      assert.ok(index.has('file:///ws/new.txt'));
    });
  }

  test('requests during indexing answer from what is indexed so far; a cancel stops the scan', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 400; i++) many[`f${String(i).padStart(3, '0')}.txt`] = NEWS(i).repeat(20);
    const index = new CorpusIndex();
    const client = new Recorder();
    const host = new CorpusHost(index, new MemFiles(many), client);
    host.setFolders([{ uri: 'file:///ws' }]);
    const scan = host.rescan();
    // Poll like a client would: each answer is consistent with the index at that moment.
    const seen: number[] = [];
    while (host.indexing || seen.length === 0) {
      const n = index.documents().length;
      seen.push(n);
      assert.equal(index.entities().length >= 0, true);
      if (n > 0) assert.ok(index.mentionsIn(index.documents()[0]).length > 0);
      if (n >= 100) host.cancel();
      await new Promise((r) => setImmediate(r));
    }
    await scan;
    assert.ok(seen.some((n) => n > 0 && n < 400), `answers came while indexing: ${seen.slice(0, 10).join(',')}…`);
    assert.ok(index.documents().length < 400, 'the cancel stopped the scan');
    const last = client.statuses[client.statuses.length - 1];
    assert.equal(last.state, 'ready');
    assert.equal(last.cancelled, true);
  });
});
