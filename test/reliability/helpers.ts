// Shared tools of the reliability suite: temporary workspaces made at run time, the invariants every analysis must
// keep, a timing check for linear time that cannot flake, and the built CLI.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after } from 'node:test';
import type { DocAnalysis } from '../../server/src/core/model';

export const repo = resolve(__dirname, '../..');

const made: string[] = [];
let cleanupRegistered = false;

/** A new temporary folder holding `files` (relative path → content); removed when the test file ends. */
export function workspace(files: Record<string, string | Uint8Array> = {}, prefix = 'cn-rel-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  made.push(root);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    after(() => {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    });
  }
  for (const [rel, content] of Object.entries(files)) put(root, rel, content);
  return root;
}

export function put(root: string, rel: string, content: string | Uint8Array): string {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** Every way an analysis can break the invariants of ARCHITECTURE.md; empty when it keeps them all. */
export function violations(text: string, a: DocAnalysis): string[] {
  const out: string[] = [];
  if (!a || !Array.isArray(a.mentions) || !Array.isArray(a.quotes) || !Array.isArray(a.roles) || !Array.isArray(a.problems)) {
    return ['the analysis is not a DocAnalysis'];
  }
  const span = (what: string, s: { start: number; end: number; text: string }) => {
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end)) out.push(`${what}: offsets are not integers`);
    else if (!(s.start >= 0 && s.start < s.end && s.end <= text.length)) out.push(`${what}: [${s.start}, ${s.end}) out of bounds (length ${text.length})`);
    else if (text.slice(s.start, s.end) !== s.text) out.push(`${what}: text ${JSON.stringify(s.text)} !== slice ${JSON.stringify(text.slice(s.start, s.end))}`);
  };
  let lastEnd = 0;
  a.mentions.forEach((m, i) => {
    span(`mention ${i}`, m);
    if (m.start < lastEnd) out.push(`mention ${i} overlaps or precedes the one before`);
    lastEnd = Math.max(lastEnd, m.end);
    if (m.type !== 'person' && m.type !== 'organisation') out.push(`mention ${i}: type ${m.type}`);
    if (typeof m.name !== 'string' || m.name.length === 0) out.push(`mention ${i}: empty name`);
  });
  a.quotes.forEach((q, i) => {
    span(`quote ${i}`, q);
    if (i > 0 && q.start < a.quotes[i - 1].start) out.push(`quote ${i} is out of order`);
    const sm = q.speaker?.mention;
    if (sm !== undefined && !(Number.isInteger(sm) && sm >= 0 && sm < a.mentions.length)) out.push(`quote ${i}: speaker mention ${sm} out of range`);
  });
  a.roles.forEach((r, i) => {
    if (!(Number.isInteger(r.mention) && r.mention >= 0 && r.mention < a.mentions.length)) out.push(`role ${i}: mention ${r.mention} out of range`);
  });
  return out;
}

export function assertValid(text: string, a: DocAnalysis, what = 'analysis'): void {
  const v = violations(text, a);
  assert.deepEqual(v, [], `${what}: ${v.slice(0, 5).join('; ')}`);
}

export function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/**
 * Linear time, checked so that it cannot flake on a loaded machine: the input grows `factor` times and the time may
 * grow at most `3 × factor` times (a quadratic step grows `factor²` times: 64× for the default 8). The small run is
 * measured against a floor so that millisecond timings do not make the ratio meaningless, a ratio over the bound is
 * measured again (best of `attempts`), and the big input must finish inside an absolute bound. Returns the best
 * attempt's timings, the big input and its result.
 */
export function assertLinear<T>(
  what: string,
  make: (n: number) => string,
  run: (text: string) => T,
  opts: { n: number; factor?: number; floorMs?: number; maxMs?: number; attempts?: number },
): { smallMs: number; bigMs: number; ratio: number; big: string; result: T } {
  const factor = opts.factor ?? 8;
  const floor = opts.floorMs ?? 100;
  const maxMs = opts.maxMs ?? 60_000;
  const small = make(opts.n);
  const big = make(opts.n * factor);
  run(small); // warm up the JIT so the small run is not mostly compilation
  let best: { smallMs: number; bigMs: number; ratio: number; result: T } | undefined;
  // A busy machine can stall any one run; a ratio over the bound is measured again (up to `attempts` times) and the
  // best attempt counts. A quadratic step fails every attempt, and one that blows the absolute bound fails at once.
  for (let attempt = 0; attempt < (opts.attempts ?? 3); attempt++) {
    const smallMs = Math.min(timed(() => run(small)).ms, timed(() => run(small)).ms);
    const { value: result, ms: bigMs } = timed(() => run(big));
    assert.ok(bigMs < maxMs, `${what}: ${big.length} characters took ${bigMs.toFixed(0)} ms (bound ${maxMs} ms)`);
    const ratio = bigMs / Math.max(smallMs, floor);
    if (!best || ratio < best.ratio) best = { smallMs, bigMs, ratio, result };
    if (ratio <= 3 * factor) break;
  }
  assert.ok(
    best!.ratio <= 3 * factor,
    `${what}: ${factor}× the input took ${best!.ratio.toFixed(1)}× the time (${best!.smallMs.toFixed(0)} ms → ${best!.bigMs.toFixed(0)} ms, best of ${opts.attempts ?? 3}); linear allows ${3 * factor}×`,
  );
  return { ...best!, big };
}

// ---------------------------------------------------------------------------------------------------------------
// The built CLI

const cliJs = join(repo, 'dist', 'cli.js');
let cliBuilt = false;

/** Builds dist/ once if the CLI bundle is missing (npm test builds first; `node test/run.mjs` alone may not). */
export function ensureBuilt(): string {
  if (!cliBuilt && !existsSync(cliJs)) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 0, `node esbuild.mjs failed: ${r.stderr}`);
  }
  cliBuilt = true;
  return cliJs;
}

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number; nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const cli = ensureBuilt();
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cli, ...args], {
    cwd: options.cwd ?? repo,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
    env: options.env ?? process.env,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export interface CliJson {
  root: string;
  files: Array<{ path: string; skipped?: string }>;
  entities: Array<{ id: string; type: string; name: string; aliases: string[]; mentions: Array<{ file: string; start: number; end: number; text: string }> }>;
  quotes: Array<{ file: string; start: number; end: number; text: string; speaker: string | null; speakerText: string | null }>;
}

/** `corpus-nav scan <root> --json` parsed; fails the test with stderr on a non-zero exit. */
export function scanJson(root: string, extra: string[] = []): CliJson {
  const r = runCli(['scan', root, '--json', '--compact', ...extra]);
  assert.equal(r.code, 0, `corpus-nav scan failed (${r.code}): ${r.err}`);
  return JSON.parse(r.out) as CliJson;
}

export function fileEntry(json: CliJson, path: string) {
  return json.files.find((f) => f.path === path);
}

/** Sentences of the nlp-corpus package (odd English of many registers), read straight from its data files. */
export function nlpSentences(max = 5000): string[] {
  const dir = join(repo, 'node_modules', 'nlp-corpus', 'builds');
  const out: string[] = [];
  for (let i = 0; i < 100 && out.length < max; i++) {
    const file = join(dir, `doc-${i}.json`);
    if (!existsSync(file)) continue;
    for (const s of JSON.parse(readFileSync(file, 'utf8')) as unknown[]) {
      if (typeof s === 'string') out.push(s);
      if (out.length >= max) break;
    }
  }
  return out;
}

/** Whether the process can read a file whose permissions forbid it (root can), so permission tests know to inject. */
export function permissionsBite(): boolean {
  return typeof process.getuid === 'function' && process.getuid() !== 0;
}

/** Runs `fn` with `process.env[name]` set, restoring it afterwards. */
export function withEnv<T>(name: string, value: string, fn: () => T): T {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

export const writeText = (file: string, text: string) => writeFileSync(file, text);
