#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function, or per source line with --lines.
//
//   node test/bench/cpuprofile.mjs PROFILE [--top N] [--lines BUNDLE]
//
// --lines BUNDLE: self time per line of that bundle (e.g. dist/server.js), with the line's text, from the profile's
// position ticks. Worker threads write one profile each; run it on each.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (f) => {
  const i = args.indexOf(f);
  return i >= 0 ? args[i + 1] : undefined;
};
const file = args.find((a, i) => !a.startsWith('--') && !['--top', '--lines'].includes(args[i - 1]));
if (!file) {
  console.error('usage: cpuprofile.mjs PROFILE [--top N] [--lines BUNDLE]');
  process.exit(2);
}
const top = Number(opt('--top') ?? 30);
const p = JSON.parse(readFileSync(file, 'utf8'));
const selfMs = new Map();
for (let i = 0; i < p.samples.length; i++) selfMs.set(p.samples[i], (selfMs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
let total = 0;
for (const v of selfMs.values()) total += v;

const bundle = opt('--lines');
if (bundle) {
  const text = readFileSync(bundle, 'utf8').split('\n');
  const base = bundle.split('/').pop();
  const perTick = total / p.samples.length;
  const hits = new Map();
  for (const n of p.nodes) {
    if (!n.callFrame.url.endsWith(base)) continue;
    for (const t of n.positionTicks ?? []) hits.set(t.line, (hits.get(t.line) ?? 0) + t.ticks);
  }
  console.log(`total ${total.toFixed(0)} ms`);
  for (const [line, ticks] of [...hits].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(ticks * perTick).toFixed(0).padStart(7)} ms ${String(line).padStart(7)}  ${(text[line - 1] ?? '').trim().slice(0, 140)}`);
  }
} else {
  const byFunction = new Map();
  for (const n of p.nodes) {
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (selfMs.get(n.id) ?? 0));
  }
  console.log(`total ${total.toFixed(0)} ms`);
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${v.toFixed(1).padStart(9)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  }
}
