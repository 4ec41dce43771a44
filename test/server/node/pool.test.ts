import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { AnalysisPool, defaultPoolSize, type ReadSpec } from '../../../server/src/node/pool';
import { contentHash, readTextSync } from '../../../server/src/node/readText';
import { fakeAnalyse } from '../../fixtures/node/fakeAnalyse';

let dir: string;
let workerFile: string;

/** A fixture bundled into `dir` as the product's scripts are (dist/worker.js), by file name; the bundle's path. */
async function bundleFixture(name: string): Promise<string> {
  const outfile = join(dir, name.replace(/\.ts$/, '.js'));
  await build({ entryPoints: [join(__dirname, '../../fixtures/node', name)], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  return outfile;
}

before(async () => {
  // The pool runs bundled workers; the stand-in worker is bundled the same way.
  dir = mkdtempSync(join(tmpdir(), 'cn-pool-'));
  workerFile = await bundleFixture('fakeWorker.ts');
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

test('a batch of files is read in the workers: files the cache still describes come back without analysis', async () => {
  const files = join(dir, 'files');
  mkdirSync(files, { recursive: true });
  const write = (name: string, text: string, mtime: number) => {
    const p = join(files, name);
    writeFileSync(p, text);
    utimesSync(p, mtime, mtime);
    return { abs: p, st: statSync(p) };
  };
  const same = write('same.txt', 'Mr Smith met the NCC.', 1000);
  const touched = write('touched.txt', 'Jones said "yes".', 1000);
  const changed = write('changed.txt', 'Smith said "no!".', 1000);
  const fresh = write('fresh.txt', 'The BBC and Zoë Hart.', 1000);
  const specs: ReadSpec[] = [
    { abs: same.abs, maxFileSize: 1e6, known: { size: same.st.size, mtimeMs: same.st.mtimeMs, hash: 'not checked' } },
    { abs: touched.abs, maxFileSize: 1e6, known: { size: touched.st.size, mtimeMs: 1, hash: contentHash('Jones said "yes".') } },
    { abs: changed.abs, maxFileSize: 1e6, known: { size: changed.st.size, mtimeMs: 1, hash: contentHash('Smith said "yes".') } },
    { abs: fresh.abs, maxFileSize: 1e6 },
    { abs: fresh.abs, maxFileSize: 5 },
    { abs: join(files, 'missing.txt'), maxFileSize: 1e6 },
  ];
  const threaded = new AnalysisPool({ size: 2, workerFile, fallback: fakeAnalyse });
  const inThread = new AnalysisPool({ size: 0, workerFile, fallback: fakeAnalyse });
  const [a, b] = await Promise.all([threaded.readAndAnalyse(specs), inThread.readAndAnalyse(specs)]);
  await Promise.all([threaded.close(), inThread.close()]);
  assert.deepEqual(a, b, 'workers and this thread read alike');
  const [r0, r1, r2, r3, r4, r5] = a;
  assert.ok(r0.ok && r0.cached && !r0.rehashed && !r0.analysed && r0.text === 'Mr Smith met the NCC.');
  assert.ok(r1.ok && r1.cached && r1.rehashed && !r1.analysed, 'only the mtime changed: the hash says the content did not');
  assert.ok(r2.ok && !r2.cached && r2.analysed);
  assert.deepEqual(r2.analysed.analysis, fakeAnalyse('Smith said "no!".'));
  assert.ok(r3.ok && !r3.cached && r3.analysed && r3.analysed.hash === contentHash('The BBC and Zoë Hart.'));
  assert.ok(!r4.ok && /too large/.test(r4.reason));
  assert.ok(!r5.ok && /no such file/.test(r5.reason));
});

/** Files of every encoding the reader knows, and their bytes: what a worker reads must come back as this thread reads it. */
function encodedFiles(name: string): ReadSpec[] {
  const files = join(dir, name);
  mkdirSync(files, { recursive: true });
  const utf16 = (s: string, be: boolean) => {
    const le = Buffer.from(s, 'utf16le');
    if (be) for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), le]);
  };
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const contents: Array<[string, Buffer]> = [
    ['curly.txt', Buffer.from('Mr Smith said \u201cyes\u201d \u2014 twice.\r\nZo\u00eb Hart met the NCC.\n')],
    ['ascii.txt', Buffer.from('Jones met the BBC.')],
    ['bom.txt', Buffer.concat([bom, Buffer.from('Mr Smith met Jones.')])],
    // A BOM, then a zero-width no-break space that belongs to the text: only the first is taken off.
    ['bom-twice.txt', Buffer.concat([bom, bom, Buffer.from('Jones said "no".')])],
    ['utf16le.txt', utf16('Zo\u00eb \u201cHart\u201d met Smith. \ud83d\ude00', false)],
    ['utf16be.txt', utf16('Mr Smith \u2014 the NCC.', true)],
    ['invalid.txt', Buffer.from([0x4d, 0x72, 0x20, 0x53, 0x6d, 0x69, 0x74, 0x68, 0x20, 0xff, 0xfe, 0x20, 0xc3, 0x28, 0x20, 0x4a, 0x6f, 0x6e, 0x65, 0x73])],
    ['empty.txt', Buffer.alloc(0)],
    ['astral.txt', Buffer.from('\ud83d\ude00 Mr Smith \ud83d\udc4d met Zo\u00eb.')],
    ['binary.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])],
  ];
  return contents.map(([n, bytes]) => {
    const abs = join(files, n);
    writeFileSync(abs, bytes);
    return { abs, maxFileSize: 1e6 };
  });
}

test('texts read in a worker come back exactly as this thread reads them, whatever their encoding', async () => {
  const specs = encodedFiles('encodings');
  // The same files again, known to the cache (size and mtime): read, not analysed.
  const known = specs.map((s) => {
    const st = statSync(s.abs);
    return { ...s, known: { size: st.size, mtimeMs: st.mtimeMs, hash: 'not checked' } };
  });
  const pool = new AnalysisPool({ size: 1, workerFile, fallback: fakeAnalyse });
  const inThread = new AnalysisPool({ size: 0, workerFile, fallback: fakeAnalyse });
  const [reads, cached, here] = await Promise.all([pool.readAndAnalyse(specs), pool.readAndAnalyse(known), inThread.readAndAnalyse(specs)]);
  await Promise.all([pool.close(), inThread.close()]);
  assert.equal(pool.inThreadReason, undefined);
  assert.deepEqual(reads, here, 'workers and this thread read alike');
  specs.forEach((s, k) => {
    const want = readTextSync(s.abs, s.maxFileSize, true);
    const [r, c] = [reads[k], cached[k]];
    if (!want.ok) {
      assert.ok(!r.ok && !c.ok && r.reason === want.reason && c.reason === want.reason, s.abs);
      return;
    }
    assert.ok(r.ok && c.ok, s.abs);
    assert.equal(r.text, want.text, s.abs);
    assert.equal(r.text, r.text, 'the same text when read again');
    assert.equal(c.text, want.text, s.abs);
    assert.ok(c.cached && !c.analysed);
    assert.ok(!r.cached && r.analysed, s.abs);
    assert.equal(r.size, want.size);
    assert.equal(r.analysed.hash, want.hash, s.abs);
    assert.equal(want.hash, contentHash(want.text), `the hash is the text's: ${s.abs}`);
    assert.deepEqual(r.analysed.analysis, fakeAnalyse(want.text), s.abs);
  });
});

test('batches read one after another by one worker come back byte for byte, also after a file of several megabytes', async () => {
  const files = join(dir, 'batches');
  mkdirSync(files, { recursive: true });
  const write = (name: string, text: string): ReadSpec => {
    const abs = join(files, name);
    writeFileSync(abs, text);
    return { abs, maxFileSize: 16e6 };
  };
  const small = (b: number) => Array.from({ length: 5 }, (_, k) => write(`s${b}-${k}.txt`, `Batch ${b}, file ${k}: Mr Smith${k} said \u201cyes\u201d.\n`.repeat(1 + k * b)));
  // Over 4 MB: larger than a reply's bytes usually are.
  const large = write('large.txt', 'no names here, only words. '.repeat(160_000));
  const batches = [small(1), [...small(2), large, ...small(3)], small(4), [write('empty.txt', ''), { abs: join(files, 'missing.txt'), maxFileSize: 1e6 }], small(5)];
  const pool = new AnalysisPool({ size: 1, workerFile, fallback: fakeAnalyse });
  const inThread = new AnalysisPool({ size: 0, workerFile, fallback: fakeAnalyse });
  for (const specs of batches) {
    const [reads, here] = await Promise.all([pool.readAndAnalyse(specs), inThread.readAndAnalyse(specs)]);
    assert.deepEqual(reads, here);
    reads.forEach((r, k) => {
      const want = readTextSync(specs[k].abs, specs[k].maxFileSize, true);
      assert.equal(r.ok, want.ok);
      if (r.ok && want.ok) assert.equal(r.text, want.text);
    });
  }
  await Promise.all([pool.close(), inThread.close()]);
  assert.equal(pool.inThreadReason, undefined, 'every batch was answered by the worker');
});

test("a read reply whose bytes do not add up is not trusted: its files are read again in this thread", async () => {
  const specs = encodedFiles('short-bytes');
  const shortWorker = await bundleFixture('shortBytesWorker.ts');
  const pool = new AnalysisPool({ size: 1, workerFile: shortWorker, fallback: fakeAnalyse });
  const inThread = new AnalysisPool({ size: 0, workerFile, fallback: fakeAnalyse });
  const [reads, here] = await Promise.all([pool.readAndAnalyse(specs), inThread.readAndAnalyse(specs)]);
  // Later batches are answered too (each one redone here), and nothing waits forever.
  const again = await pool.readAndAnalyse(specs.slice(0, 3));
  await Promise.all([pool.close(), inThread.close()]);
  assert.deepEqual(reads, here);
  assert.deepEqual(again, here.slice(0, 3));
  const texts = reads.map((r) => (r.ok ? r.text : r.reason));
  assert.ok(texts.includes('Jones met the BBC.'));
});

test('rest: workers stop as soon as their work is done, then start again on the next request', async () => {
  const pool = new AnalysisPool({ size: 2, workerFile, fallback: fakeAnalyse, idleMs: 60_000 });
  const slots = () => (pool as unknown as { slots: unknown[] }).slots.length;
  const pending = Promise.all(docs.slice(0, 6).map((d) => pool.analyse(d)));
  let exited = false;
  const resting = pool.rest().then(() => (exited = true)); // asked while work is in flight: the work finishes first
  assert.deepEqual(await pending, docs.slice(0, 6).map(fakeAnalyse));
  assert.equal(exited, false, 'not resolved while the workers had work');
  await resting;
  assert.equal(slots(), 0, 'stopped without waiting for idleMs, and exited once rest() resolves');
  const threads = (pool as unknown as { slots: unknown[] }).slots;
  assert.equal(threads.length, 0);
  await pool.rest(); // nothing running: resolves at once
  assert.equal(pool.inThreadReason, undefined);
  assert.deepEqual(await pool.analyse(docs[2]), fakeAnalyse(docs[2]));
  assert.equal(slots(), 2, 'started again');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(slots(), 2, 'after a rest, idleMs applies again');
  await pool.close();
});

test("a worker's console output goes to stderr, never to stdout (the server's protocol stream)", async () => {
  // In a process of its own: the test runner reports on this process's stdout.
  const script = await bundleFixture('poolPrinter.ts');
  const out = spawnSync(process.execPath, [script, workerFile], { encoding: 'utf8', timeout: 30_000 });
  assert.match(out.stderr, /pool closed/);
  assert.ok(!out.stdout.includes('stray worker output'), `printed on stdout: ${JSON.stringify(out.stdout)}`);
  assert.match(out.stderr, /stray worker output/);
});
