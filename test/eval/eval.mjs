#!/usr/bin/env node
// Scores Corpus Navigator against the seeds gold, through the CLI's documented JSON, and scores the anchor library
// `compromise` on the same gold in the same run, side by side.
//
//   npm run eval                      (build + this script)
//   node test/eval/eval.mjs [--errors N] [--no-write] [--compromise-errors]
//
// The shared folder is looked for at ../shared beside the repository; without it the script says so and exits 0.
// Results, with the date and commit, are written to EVAL.md (unless --no-write).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const shared = path.resolve(repo, '../shared');
const args = process.argv.slice(2);
const opt = (k) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const errorsN = Number(opt('--errors') ?? 0);
const write = !args.includes('--no-write');

const seeds = path.join(shared, 'seeds');
const goldPath = path.join(shared, 'eval/seeds-gold.json');
const tools = path.join(shared, 'eval/tools');
if (!fs.existsSync(goldPath) || !fs.existsSync(seeds) || !fs.existsSync(path.join(tools, 'score.mjs'))) {
  console.log(`eval: the shared evaluation folder (${shared}) is not here; nothing to score.`);
  process.exit(0);
}
const cli = path.join(repo, 'dist/cli.js');
if (!fs.existsSync(cli)) {
  console.error('eval: dist/cli.js is missing; run `npm run eval` (it builds first).');
  process.exit(1);
}

const { score } = await import(pathToFileURL(path.join(tools, 'score.mjs')).href);
const { cliToPred } = await import(pathToFileURL(path.join(tools, 'cli-to-pred.mjs')).href);
const gold = JSON.parse(fs.readFileSync(goldPath, 'utf8'));

// ---------------------------------------------------------------- the product, through the CLI JSON
const t0 = process.hrtime.bigint();
const run = spawnSync(process.execPath, [cli, 'scan', seeds, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const cliMs = Number(process.hrtime.bigint() - t0) / 1e6;
if (run.status !== 0) {
  console.error(`eval: the CLI failed (exit ${run.status}):\n${run.stderr}`);
  process.exit(1);
}
const { pred: ours, warnings } = cliToPred(JSON.parse(run.stdout), { system: 'corpus-navigator' });
for (const w of warnings) console.error(`eval: cli-to-pred warning: ${w}`);
const rOurs = score(gold, ours, { docsDir: seeds, errors: errorsN });

// ---------------------------------------------------------------- the anchor: compromise
const require = createRequire(import.meta.url);
const nlp = require('compromise');
const anchor = { system: 'compromise', files: {} };
const clean = (text, start, end) => {
  // compromise's spans carry punctuation and possessives with them; give it the name only, as the gold has it.
  while (start < end && !/[\p{L}\p{N}@]/u.test(text[start])) start++;
  for (;;) {
    const tail = text.slice(Math.max(start, end - 2), end);
    if (end > start && !/[\p{L}\p{N}]/u.test(text[end - 1])) end--;
    else if (/^['’]s$/i.test(tail)) end -= 2;
    else break;
  }
  return [start, end];
};
const c0 = process.hrtime.bigint();
let bytes = 0;
for (const name of fs.readdirSync(seeds).filter((f) => f.endsWith('.txt')).sort()) {
  const text = fs.readFileSync(path.join(seeds, name), 'utf8').replace(/^\uFEFF/, '');
  bytes += Buffer.byteLength(text);
  const doc = nlp(text);
  const mentions = [];
  const add = (list, type) => {
    for (const x of list) {
      const o = x.offset;
      if (!o) continue;
      const [s, e] = clean(text, o.start, o.start + o.length);
      if (e > s) mentions.push({ start: s, end: e, type, entity: `${type}:${text.slice(s, e).toLowerCase()}` });
    }
  };
  add(doc.people().json({ offset: true }), 'person');
  add(doc.organizations().json({ offset: true }), 'organisation');
  mentions.sort((a, b) => a.start - b.start || b.end - a.end);
  const quotes = [];
  for (const x of doc.quotations().json({ offset: true })) {
    if (x.offset) quotes.push({ start: x.offset.start, end: x.offset.start + x.offset.length, speaker: null });
  }
  anchor.files[name] = { mentions, quotes };
}
const compromiseMs = Number(process.hrtime.bigint() - c0) / 1e6;
const rAnchor = score(gold, anchor, { docsDir: seeds, errors: args.includes('--compromise-errors') ? errorsN : 0 });

// ---------------------------------------------------------------- report
const pct = (x) => (x === null || x === undefined ? '  n/a' : (100 * x).toFixed(1).padStart(5));
const rows = [];
const row = (label, a, b) => rows.push(`| ${label.padEnd(34)} | ${String(a).padStart(18)} | ${String(b).padStart(18)} |`);
rows.push(`| ${'measure (seeds gold)'.padEnd(34)} | ${'corpus-navigator'.padStart(18)} | ${'compromise 14'.padStart(18)} |`);
rows.push(`|${'-'.repeat(36)}|${'-'.repeat(20)}|${'-'.repeat(20)}|`);
for (const t of ['person', 'organisation']) {
  for (const kind of ['exact', 'lenient']) {
    const a = rOurs.entities[t][kind];
    const b = rAnchor.entities[t][kind];
    row(`${t} ${kind === 'exact' ? 'exact' : 'overlap'} P / R / F1`, `${pct(a.p)} ${pct(a.r)} ${pct(a.f1)}`, `${pct(b.p)} ${pct(b.r)} ${pct(b.f1)}`);
  }
}
row('quotes (overlap>=50%) P / R / F1', `${pct(rOurs.quotes.overlap50.p)} ${pct(rOurs.quotes.overlap50.r)} ${pct(rOurs.quotes.overlap50.f1)}`, `${pct(rAnchor.quotes.overlap50.p)} ${pct(rAnchor.quotes.overlap50.r)} ${pct(rAnchor.quotes.overlap50.f1)}`);
row('quotes exact (trimmed) F1', pct(rOurs.quotes.exact.f1), pct(rAnchor.quotes.exact.f1));
const spk = (r) => `${pct(r.quotes.speaker.accuracy)} (${r.quotes.speaker.correct}/${r.quotes.speaker.matchedWithNamedGoldSpeaker})`;
row('speaker accuracy', spk(rOurs), spk(rAnchor));
const bc = (r) => (r.aliasGrouping && r.aliasGrouping.matched ? `${pct(r.aliasGrouping.bcubed.p)} ${pct(r.aliasGrouping.bcubed.r)} ${pct(r.aliasGrouping.bcubed.f1)}` : 'n/a');
row('alias B-cubed P / R / F1', bc(rOurs), bc(rAnchor));
row('time for the 5 seeds (ms)', `${cliMs.toFixed(0)} (CLI, incl. start)`, compromiseMs.toFixed(0));

const targets = [
  ['people F1 (exact)', rOurs.entities.person.exact.f1, 0.97],
  ['organisations F1 (exact)', rOurs.entities.organisation.exact.f1, 0.92],
  ['quotations F1', rOurs.quotes.overlap50.f1, 0.95],
  ['speaker accuracy', rOurs.quotes.speaker.accuracy, 0.9],
  ['alias B-cubed F1', rOurs.aliasGrouping?.bcubed?.f1, 0.95],
];
const targetLines = targets.map(([k, v, t]) => `- ${k}: ${pct(v).trim()}% (target ${(t * 100).toFixed(0)}%) ${v >= t ? 'met' : 'NOT met'}`);

console.log(rows.join('\n'));
console.log('\n' + targetLines.join('\n'));
if (errorsN && rOurs.errors) {
  for (const [k, list] of Object.entries(rOurs.errors)) {
    if (!list.length) continue;
    console.log(`\n-- ${k} errors (first ${list.length})`);
    for (const e of list) console.log('  ' + JSON.stringify(e));
  }
}
if (errorsN && args.includes('--compromise-errors') && rAnchor.errors) {
  for (const [k, list] of Object.entries(rAnchor.errors)) {
    if (!list.length) continue;
    console.log(`\n-- compromise ${k} errors (first ${list.length})`);
    for (const e of list) console.log('  ' + JSON.stringify(e));
  }
}

if (write) {
  let commit = 'unknown';
  let dirty = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }).trim() ? ' (with uncommitted changes)' : '';
  } catch {
    /* not a git checkout */
  }
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const out = [
    '# Evaluation',
    '',
    'Recognition scored against the seeds gold (`../shared/eval/seeds-gold.json`, rules in `../shared/eval/GUIDELINES.md`) with',
    'the shared scorer, through the CLI JSON (`node dist/cli.js scan ../shared/seeds --json` → `cli-to-pred.mjs` → `score.mjs`),',
    'and the anchor library `compromise` (`.people()`, `.organizations()`, `.quotations()` with offsets, spans trimmed of',
    'punctuation and possessives) on the same gold in the same run. Regenerate with `npm run eval`.',
    '',
    `Last run: ${date}, commit ${commit}${dirty}, Node ${process.version}.`,
    '',
    '```',
    rows.join('\n'),
    '```',
    '',
    'Targets (exact spans on the seeds):',
    '',
    ...targetLines,
    '',
    ...heldOutSection(),
  ];
  fs.writeFileSync(path.join(repo, 'EVAL.md'), out.join('\n') + '\n');
  console.log('\nwrote EVAL.md');
}

/** The held-out check (UNER news/web text), kept from test/eval/heldout.mjs's last run if it wrote one. */
function heldOutSection() {
  const p = path.join(repo, 'test/eval/heldout-results.md');
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').trimEnd().split('\n') : [];
}
