#!/usr/bin/env node
// Output-identity check for recognition speed work: analyses a fixed set of texts with the current
// `analyzeDocument` and compares every result with a baseline recorded earlier, so that an optimisation that
// changes what is recognised shows at once. Also reports single-thread throughput on the same texts.
//
//   node test/bench/golden.mjs --record      write the baseline (.bench/golden/baseline.json)
//   node test/bench/golden.mjs               compare with it; exit 1 and show the first differences if any
//   node test/bench/golden.mjs --time-only   throughput only
//
// Texts: the bundled sample corpus, the seeds (when ../shared is here), the first 1,500 files of the 10 MB bench
// corpus (`npm run bench -- --sizes 10` writes it), and the held-out UNER documents detokenised. None are committed.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dir = path.join(repo, '.bench', 'golden');
fs.mkdirSync(dir, { recursive: true });
const args = process.argv.slice(2);
const bundle = path.join(dir, `analyze-${process.pid}.cjs`);
await esbuild.build({ entryPoints: [path.join(repo, 'server/src/core/analyze.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
const { analyzeDocument } = createRequire(import.meta.url)(bundle);
fs.rmSync(bundle, { force: true });

function listTxt(root, limit = Infinity) {
  const out = [];
  const walk = (d) => {
    if (out.length >= limit || !fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= limit) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.txt')) out.push(p);
    }
  };
  walk(root);
  return out;
}

const texts = [];
for (const f of [...listTxt(path.join(repo, 'server/sample-corpus')), ...listTxt(path.resolve(repo, '../shared/seeds')), ...listTxt(path.join(repo, '.bench/corpus-10mb'), 1500)]) {
  texts.push([path.relative(repo, f), fs.readFileSync(f, 'utf8')]);
}
// Held-out documents, detokenised simply (the exact spacing does not matter here, only that it is fixed).
for (const name of ['uner-ewt.test.conll', 'uner-pud.test.conll']) {
  const f = path.resolve(repo, '../shared/train', name);
  if (!fs.existsSync(f)) continue;
  let doc = [];
  let sent = [];
  let n = 0;
  const flush = () => {
    if (doc.length) texts.push([`${name}#${n++}`, doc.join('\n')]);
    doc = [];
  };
  for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
    if (line.startsWith('# newdoc')) flush();
    if (line.startsWith('#')) continue;
    if (!line.trim()) {
      if (sent.length) doc.push(sent.join(' ').replace(/ ([.,;:!?')])/g, '$1'));
      sent = [];
      if (doc.length >= 30) flush();
      continue;
    }
    sent.push(line.split('\t')[1] ?? '');
  }
  flush();
}
if (!texts.length) {
  console.error('golden: no texts found');
  process.exit(2);
}

let chars = 0;
for (const [, t] of texts) chars += t.length;
// Warm-up, then the best of three timed passes.
for (let i = 0; i < Math.min(200, texts.length); i++) analyzeDocument(texts[i][1]);
// CPU time as well as wall time: on a shared machine the CPU time is the steadier number.
let best = Infinity;
let bestCpu = Infinity;
const results = new Array(texts.length);
for (let pass = 0; pass < 3; pass++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < texts.length; i++) results[i] = analyzeDocument(texts[i][1]);
  const c = process.cpuUsage(c0);
  best = Math.min(best, performance.now() - t0);
  bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
}
const rate = (ms) => (chars / 1e6 / (ms / 1000)).toFixed(2);
console.log(`golden: ${texts.length} texts, ${(chars / 1e6).toFixed(2)} M chars, best of 3: wall ${best.toFixed(0)} ms = ${rate(best)} M chars/s, CPU ${bestCpu.toFixed(0)} ms = ${rate(bestCpu)} M chars/CPU-s (one thread; load ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
if (args.includes('--time-only')) process.exit(0);

const serial = (a) => JSON.stringify(a);
const baseFile = path.join(dir, 'baseline.json');
if (args.includes('--record')) {
  fs.writeFileSync(baseFile, JSON.stringify(Object.fromEntries(texts.map(([k], i) => [k, serial(results[i])]))));
  console.log(`golden: baseline written to ${path.relative(repo, baseFile)}`);
  process.exit(0);
}
if (!fs.existsSync(baseFile)) {
  console.error('golden: no baseline; run with --record first (on the code before your change)');
  process.exit(2);
}
const base = JSON.parse(fs.readFileSync(baseFile, 'utf8'));
let differ = 0;
let shown = 0;
for (let i = 0; i < texts.length; i++) {
  const [k] = texts[i];
  const now = serial(results[i]);
  if (base[k] === undefined || base[k] === now) continue;
  differ++;
  if (shown++ < 5) {
    const a = base[k];
    let j = 0;
    while (j < a.length && a[j] === now[j]) j++;
    console.log(`DIFF ${k} at char ${j}:\n  was: ${a.slice(Math.max(0, j - 150), j + 150)}\n  now: ${now.slice(Math.max(0, j - 150), j + 150)}`);
  }
}
console.log(differ ? `golden: ${differ} of ${texts.length} analyses differ from the baseline` : `golden: all ${texts.length} analyses identical to the baseline`);
process.exit(differ ? 1 : 0);
