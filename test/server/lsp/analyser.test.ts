// The server's analyser (lsp/analyser.ts) with real worker threads: a share of a cold scan's files is analysed in the
// server's own thread (so that its first edits do not run recognition unoptimised), and that share must change
// nothing else: the same analyses, the same index as a scan in one thread, and the cache filled for every file.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { CorpusIndex } from '../../../server/src/core/index';
import type { DocAnalysis } from '../../../server/src/core/model';
import { createAnalyser } from '../../../server/src/lsp/analyser';
import { validateSettings } from '../../../server/src/lsp/config';
import { nodeFileSource } from '../../../server/src/lsp/files';
import { CorpusHost, type HostClient, type ScanRead } from '../../../server/src/lsp/host';

const repo = join(__dirname, '..', '..', '..');
const sample = join(repo, 'server', 'sample-corpus');
const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
let workerFile: string;

before(async () => {
  // The pool runs the bundled worker, as the product does (dist/worker.js).
  const out = temp('cn-analyser-build-');
  await build({ entryPoints: { worker: join(repo, 'server/src/node/worker.ts') }, outdir: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
  workerFile = join(out, 'worker.js');
});
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A folder of `n` articles: the sample corpus's, each copy with a line of its own, and one file that is skipped. */
function workspace(n: number): { root: string; files: string[] } {
  const root = temp('cn-analyser-ws-');
  const texts = readdirSync(sample)
    .filter((f) => /\.(txt|md)$/.test(f) && f !== 'README.md')
    .map((f) => readFileSync(join(sample, f), 'utf8'));
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = join(root, `a${String(i).padStart(3, '0')}.txt`);
    writeFileSync(file, `${texts[i % texts.length]}\nMs Odile Varga${i % 7} of the Harbour Trust said: "Copy ${i}."\n`);
    files.push(file);
  }
  writeFileSync(join(root, 'binary.txt'), Buffer.from([0, 1, 2, 3, 0, 0, 7]));
  return { root, files };
}

const plain = (a: DocAnalysis | undefined) => a && JSON.parse(JSON.stringify({ mentions: a.mentions, quotes: a.quotes, roles: a.roles }));
const settings = validateSettings(undefined).settings;
const log = () => undefined;

describe('analyser: a share of the scan in the server\'s thread', () => {
  test('one file of a large batch comes back to analyse here; the same analysis, and cached for the next scan', async () => {
    const { root, files } = workspace(40);
    const cacheFolder = temp('cn-analyser-cache-');
    const batch = [...files, join(root, 'binary.txt')].map((path) => ({ folder: root, path, settings }));
    const logs: string[] = [];
    const first = createAnalyser({ cacheFolder, workers: 2, workerFile, log: (_l, m) => void logs.push(m) });
    const reads = (await first.readBatch!(batch)) as ScanRead[];
    assert.equal(reads.length, batch.length);
    const here = reads.flatMap((r, k) => (r.ok && r.analyseHere ? [k] : []));
    assert.deepEqual(here, [0]);
    const r0 = reads[0] as Extract<ScanRead, { ok: true }>;
    assert.equal(r0.analysis, undefined);
    assert.equal(r0.text, readFileSync(files[0], 'utf8'));
    assert.deepEqual(plain(r0.analyseHere!()), plain(analyzeDocument(r0.text)));
    reads.forEach((r, k) => {
      if (k === batch.length - 1) return assert.equal(r.ok, false); // binary
      assert.ok(r.ok);
      if (k > 0) assert.deepEqual(plain(r.analysis), plain(analyzeDocument(r.text)), batch[k].path);
    });
    // The file analysed here went into the cache like the workers' ones: read again, nothing is analysed.
    // (The same analyser: run from sources, a cache is never saved to disk.)
    const again = (await first.readBatch!(batch)) as ScanRead[];
    again.forEach((r, k) => {
      if (k === batch.length - 1) return assert.equal(r.ok, false);
      assert.ok(r.ok && r.analysis && !r.analyseHere, batch[k].path);
      assert.deepEqual(plain(r.analysis), plain(analyzeDocument(r.text)), batch[k].path);
    });
    first.scanned!(true);
    await first.close();
    assert.ok(logs.some((m) => /: 40 analyses reused, 40 made\./.test(m)), logs.join('\n'));
  });

  test('the file read here is checked against the cache: touched is reused, changed is analysed again', async () => {
    const { root, files } = workspace(40);
    const batch = files.map((path) => ({ folder: root, path, settings }));
    const logs: string[] = [];
    const a = createAnalyser({ cacheFolder: temp('cn-analyser-cache-'), workers: 2, workerFile, log: (_l, m) => void logs.push(m) });
    for (const r of (await a.readBatch!(batch)) as ScanRead[]) if (r.ok && r.analyseHere) r.analyseHere();
    // The first file (the one read here): the same bytes with a new mtime, then new bytes of the same length.
    const later = new Date(Date.now() + 60_000);
    utimesSync(files[0], later, later);
    const touched = (await a.readBatch!(batch)) as ScanRead[];
    assert.ok(touched[0].ok && touched[0].analysis && !touched[0].analyseHere, 'touched: reused');
    const text = readFileSync(files[0], 'utf8');
    const changed = text.replace('Odile Varga', 'Odile Vargo');
    assert.equal(changed.length, text.length);
    writeFileSync(files[0], changed);
    const again = (await a.readBatch!(batch)) as ScanRead[];
    const r0 = again[0] as Extract<ScanRead, { ok: true }>;
    assert.equal(r0.analysis, undefined);
    assert.deepEqual(plain(r0.analyseHere!()), plain(analyzeDocument(changed)));
    a.scanned!(true);
    await a.close();
    // 40 made at first; then 1 reused (touched) + 39; then 1 made (changed) + 39 reused.
    assert.ok(logs.some((m) => /: 79 analyses reused, 41 made\./.test(m)), logs.join('\n'));
  });

  test('a long first file is analysed by a worker, not here', async () => {
    const { root, files } = workspace(40);
    // > 256 KB: analysed in the server's thread it would hold up requests for seconds.
    const long = readFileSync(files[0], 'utf8').repeat(Math.ceil((300 * 1024) / readFileSync(files[0], 'utf8').length));
    writeFileSync(files[0], long);
    const a = createAnalyser({ workers: 2, workerFile, log });
    const reads = (await a.readBatch!(files.map((path) => ({ folder: root, path, settings })))) as ScanRead[];
    assert.ok(reads.every((r) => r.ok && r.analysis && !r.analyseHere));
    const r0 = reads[0] as Extract<ScanRead, { ok: true }>;
    assert.equal(r0.text, long);
    assert.deepEqual(plain(r0.analysis), plain(analyzeDocument(long)));
    await a.close();
  });

  test('small batches are left to the workers', async () => {
    const { root, files } = workspace(5);
    const a = createAnalyser({ workers: 2, workerFile, log });
    const reads = (await a.readBatch!(files.map((path) => ({ folder: root, path, settings })))) as ScanRead[];
    assert.ok(reads.every((r) => r.ok && r.analysis && !r.analyseHere));
    await a.close();
  });

  test('a host scan with it ends with the index a scan in one thread gives', async () => {
    const { root } = workspace(150);
    const scan = async (withAnalyser: boolean) => {
      const client: HostClient = {
        status: () => undefined,
        log,
        progress: async () => ({ report: () => undefined, done: () => undefined, onCancel: () => undefined }),
        configuration: async (uris) => uris.map(() => ({})),
      };
      // eslint-disable-next-line prefer-const
      let host: CorpusHost;
      const index = new CorpusIndex({ textSource: (doc) => host.textOf(doc) });
      const analyser = withAnalyser ? createAnalyser({ cacheFolder: temp('cn-analyser-cache-'), workers: 2, workerFile, log, snapshotDelayMs: 60_000 }) : undefined;
      host = new CorpusHost(index, nodeFileSource(), client, analyser);
      host.setFolders([{ uri: pathToFileURL(root).href }]);
      await host.loadSettings();
      await host.rescan();
      const seen = {
        stats: index.stats(),
        skipped: index.skipped(),
        entities: index.entities(),
        per: index.entities().map((e) => [index.mentionsOf(e.id), index.quotesBy(e.id), index.roles(e.id), index.introduction(e.id)]),
        docs: index.documents().map((d) => [d, index.text(d), index.analysis(d), index.entitiesIn(d)]),
      };
      host.dispose();
      await analyser?.close();
      return seen;
    };
    assert.deepStrictEqual(await scan(true), await scan(false));
  });
});
