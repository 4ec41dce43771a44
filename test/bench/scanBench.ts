// Bundled by bench.mjs into .bench/build/scanBench.js and run in a fresh process per measurement:
//   node scanBench.js scan ROOT [--threads N] [--cache DIR] [--worker dist/worker.js]
//   node scanBench.js analyse FILE...        (single-thread analyser throughput on the given files)
// It scans through scanFolder, the CLI's scan path, with the worker pool and the on-disk cache plugged in as the
// hosts plug them, and prints one line of JSON with the timings.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeDocument } from '../../server/src/core/analyze';
import type { CorpusIndex } from '../../server/src/core/index';
import * as custom from '../../server/src/lsp/customRequests';
import { CachedAnalyser } from '../../server/src/node/analyseStep';
import { AnalysisPool } from '../../server/src/node/pool';
import { scanFolder } from '../../server/src/node/scan';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function vmHWM(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
  } catch {
    return process.memoryUsage().rss;
  }
}

async function scan(rootArg: string) {
  const root = resolve(rootArg);
  const threads = arg('--threads');
  const t0 = performance.now();
  const pool = new AnalysisPool({
    size: threads === undefined ? undefined : Number(threads),
    workerFile: arg('--worker'),
    fallback: (t) => analyzeDocument(t),
  });
  // The analyser's identity for the cache: the worker bundle that analyses (this bundle has none beside it).
  const workerFile = arg('--worker');
  const analyzer = workerFile ? createHash('sha1').update(readFileSync(workerFile)).digest('base64url') : undefined;
  const step = new CachedAnalyser(pool, { root, cacheDir: arg('--cache'), analyzer });
  const tOpen = performance.now();
  let chars = 0;
  const result = await scanFolder(root, {}, {
    analyze: (text, file) => {
      chars += text.length;
      return step.analyze(text, file);
    },
    concurrency: Number(arg('--concurrency') ?? 64),
    // The CLI's warm path: the index snapshot beside the cache, as `corpus-nav scan --cache DIR` uses it.
    snapshotDir: arg('--cache'),
  });
  const tScan = performance.now();
  // After a restored snapshot the cache saw only the files read again: it must keep the others (as cli.ts does).
  const wrote = await step.finish(!result.cancelled && !result.restored);
  const tSave = performance.now();
  const threadsUsed = pool.threads;
  const queries = process.argv.includes('--queries') ? timeQueries(result.index) : undefined;
  await pool.close();
  const stats = result.index.stats();
  console.log(
    JSON.stringify({
      threads: threadsUsed,
      inThread: pool.inThreadReason,
      files: result.indexed,
      chars,
      openMs: tOpen - t0,
      scanMs: tScan - t0,
      saveMs: tSave - tScan,
      wroteCache: wrote,
      cache: step.stats,
      stats,
      peakRss: vmHWM(),
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      queries,
    }),
  );
}

/** Milliseconds per call of the index queries the language server's requests make, on the biggest entities. */
function timeQueries(index: CorpusIndex) {
  const out: Record<string, { calls: number; avg: number; max: number }> = {};
  const time = (name: string, fn: () => unknown) => {
    const t = performance.now();
    fn();
    const ms = performance.now() - t;
    const r = (out[name] ??= { calls: 0, avg: 0, max: 0 });
    r.avg = (r.avg * r.calls + ms) / (r.calls + 1);
    r.calls++;
    r.max = Math.max(r.max, ms);
  };
  time('entities() first', () => index.entities());
  time('entities() again', () => index.entities());
  const top = index.entities().slice(0, 20);
  for (const e of top) {
    time('mentionsOf', () => index.mentionsOf(e.id));
    time('introduction', () => index.introduction(e.id));
    time('quotesBy', () => index.quotesBy(e.id));
    time('quotesBy again', () => index.quotesBy(e.id));
    time('roles', () => index.roles(e.id));
    time('roles again', () => index.roles(e.id));
    time('mentionSpansOf', () => index.mentionSpansOf(e.id));
    time('quoteCount', () => index.quoteCount(e.id));
    time('eachQuoteBy, first 3', () => {
      let n = 0;
      for (const q of index.eachQuoteBy(e.id)) if (++n >= 3 || !q) break;
    });
    time('search(prefix)', () => index.search(e.name.slice(0, 3), 250));
    time('search(initials)', () => index.search(e.name.split(' ').map((w) => w[0]).join(''), 250));
  }
  const docs = index.documents();
  for (let i = 0; i < 200; i++) {
    const doc = docs[(i * 7919) % docs.length];
    const a = index.analysis(doc);
    const m = a?.mentions[Math.floor(a.mentions.length / 2)];
    if (m) {
      time('mentionAt', () => index.mentionAt(doc, m.start + 1));
      time('entityIdOf', () => index.entityIdOf(doc, 0));
      time('quoteAt', () => index.quoteAt(doc, m.start));
    }
    time('mentionsIn', () => index.mentionsIn(doc));
  }
  // An edit: the same document set again with one more character.
  const doc = docs[Math.floor(docs.length / 2)];
  const text = index.text(doc)!;
  for (let i = 0; i < 20; i++) {
    const edited = text.slice(0, 100) + 'x'.repeat(i + 1) + text.slice(100);
    time('setDocument (edit)', () => index.setDocument(doc, edited));
    time('entities() after edit', () => index.entities());
    // What the client's Corpus view asks after every index change with People and Organisations open (the replies'
    // JSON included): the counts, then the first page of each open group.
    time('Corpus view refresh after edit', () => {
      JSON.stringify(custom.entities(index, { limit: 0 }, false));
      JSON.stringify(custom.entities(index, { type: 'person', limit: 200 }, false));
      JSON.stringify(custom.entities(index, { type: 'organisation', limit: 200 }, false));
    });
  }
  return out;
}

function analyse(files: string[]) {
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  let chars = 0;
  for (const t of texts) chars += t.length;
  analyzeDocument(texts[0]); // warm-up: lexicons load on first use
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let mentions = 0, quotes = 0;
  for (const t of texts) {
    const a = analyzeDocument(t);
    mentions += a.mentions.length;
    quotes += a.quotes.length;
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ chars, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, mentions, quotes }));
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'scan') void scan(rest[0]);
else if (command === 'analyse') analyse(rest.filter((a) => !a.startsWith('--')));
else {
  console.error('usage: scanBench.js scan ROOT [--threads N] [--cache DIR] [--worker FILE] | analyse FILE...');
  process.exit(2);
}
