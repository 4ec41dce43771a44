import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { AnalysisPool, contentHash, defaultPoolSize } from '../../../server/src/node/pool';
import { fakeAnalyse } from '../../fixtures/node/fakeAnalyse';

let dir: string;
let workerFile: string;

before(async () => {
  // The pool runs bundled workers (dist/worker.js in the product); bundle the stand-in worker the same way.
  dir = mkdtempSync(join(tmpdir(), 'cn-pool-'));
  workerFile = join(dir, 'worker.js');
  await build({
    entryPoints: [join(__dirname, '../../fixtures/node/fakeWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: workerFile,
    logLevel: 'silent',
  });
});

after(() => rmSync(dir, { recursive: true, force: true }));

const docs = Array.from({ length: 60 }, (_, i) =>
  `Document ${i}: Mr Smith${i} met the NCC. "We are ready for ${'x'.repeat(i * 37)}," Jones said.\n`.repeat(1 + (i % 5)),
);

test('worker threads give the same analyses and hashes as analysing in this thread', async () => {
  const pool = new AnalysisPool({ size: 2, workerFile, fallback: fakeAnalyse, batchChars: 500 });
  assert.equal(pool.threads, 2);
  const results = await Promise.all(docs.map((d) => pool.analyseHashed(d)));
  await pool.close();
  assert.equal(pool.inThreadReason, undefined);
  results.forEach((r, i) => {
    assert.deepEqual(r.analysis, fakeAnalyse(docs[i]));
    assert.equal(r.hash, contentHash(docs[i]));
  });
});

test('requests made one at a time, while earlier ones are in flight, are all answered', async () => {
  const pool = new AnalysisPool({ size: 2, workerFile, fallback: fakeAnalyse });
  const out = [];
  for (const d of docs.slice(0, 10)) out.push(await pool.analyse(d));
  const burst = await Promise.all(docs.map((d) => pool.analyse(d)));
  await pool.close();
  assert.deepEqual(out, docs.slice(0, 10).map(fakeAnalyse));
  assert.deepEqual(burst, docs.map(fakeAnalyse));
});

test('without a worker file the pool analyses in this thread and says why', async () => {
  let reason = '';
  const pool = new AnalysisPool({ workerFile: join(dir, 'missing.js'), fallback: fakeAnalyse, onFallback: (r) => (reason = r) });
  assert.equal(pool.threads, 0);
  assert.match(reason, /no worker file/);
  const results = await Promise.all(docs.slice(0, 5).map((d) => pool.analyse(d)));
  assert.deepEqual(results, docs.slice(0, 5).map(fakeAnalyse));
  await pool.close();
});

test('size 0 means in-thread analysis', async () => {
  const pool = new AnalysisPool({ size: 0, workerFile, fallback: fakeAnalyse });
  assert.equal(pool.threads, 0);
  assert.deepEqual(await pool.analyse(docs[3]), fakeAnalyse(docs[3]));
  await pool.close();
});

test('a worker that dies mid-batch has its documents redone here; the others carry on', async () => {
  const pool = new AnalysisPool({ size: 2, workerFile, fallback: (t) => fakeAnalyse(t.replace('CRASH-THE-WORKER', 'crash-the-worker')), batchChars: 200 });
  const input = [...docs.slice(0, 20), 'CRASH-THE-WORKER now', ...docs.slice(20, 40)];
  const results = await Promise.all(input.map((d) => pool.analyse(d)));
  await pool.close();
  assert.equal(results.length, input.length);
  assert.deepEqual(results[21], fakeAnalyse(docs[20]));
  assert.equal(results[20].mentions.length, 0); // "crash-the-worker now" has no capitalised words
});

test('an analyser that throws gives an empty analysis with a problem, never a rejection', async () => {
  for (const size of [0, 1]) {
    const pool = new AnalysisPool({ size, workerFile, fallback: fakeAnalyse });
    const a = await pool.analyse('Some THROW-IN-ANALYSER text');
    await pool.close();
    assert.equal(a.mentions.length, 0);
    assert.match(a.problems[0].message, /analysis failed/);
  }
});

test('jobs queued when the pool closes are still answered', async () => {
  const pool = new AnalysisPool({ size: 2, workerFile, fallback: fakeAnalyse });
  const pending = Promise.all(docs.map((d) => pool.analyse(d)));
  await pool.close();
  assert.deepEqual(await pending, docs.map(fakeAnalyse));
});

test('the default size is the available parallelism, at least one', () => {
  assert.ok(defaultPoolSize() >= 1);
});

test('idle workers stop after idleMs and start again on the next request', async () => {
  const pool = new AnalysisPool({ size: 2, workerFile, fallback: fakeAnalyse, idleMs: 50 });
  assert.deepEqual(await pool.analyse(docs[1]), fakeAnalyse(docs[1]));
  const running = (pool as unknown as { slots: unknown[] }).slots.length;
  assert.equal(running, 2);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((pool as unknown as { slots: unknown[] }).slots.length, 0, 'stopped while idle');
  assert.equal(pool.inThreadReason, undefined, 'stopping on purpose is not a failure');
  assert.deepEqual(await Promise.all(docs.slice(0, 8).map((d) => pool.analyse(d))), docs.slice(0, 8).map(fakeAnalyse));
  assert.equal((pool as unknown as { slots: unknown[] }).slots.length, 2, 'started again');
  await pool.close();
});
