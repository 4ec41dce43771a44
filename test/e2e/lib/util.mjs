// Small helpers the editor tests share: logging with elapsed time, checks that collect failures, the build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './corpus.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function logger(tag) {
  const t0 = Date.now();
  return (...a) => console.error(`[${tag} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
}

/** Collects named checks; `ok` is false once any check failed. */
export class Checks {
  constructor() { this.passed = []; this.failed = []; }
  check(name, cond, detail) {
    if (cond) this.passed.push(name);
    else this.failed.push(detail ? `${name}: ${detail}` : name);
    return !!cond;
  }
  get ok() { return this.failed.length === 0; }
}

export function which(cmd) {
  for (const d of (process.env.PATH || '').split(path.delimiter)) {
    const f = path.join(d, cmd);
    try { fs.accessSync(f, fs.constants.X_OK); return f; } catch { /* next */ }
  }
  return undefined;
}

/** Bundles dist/ (fast); throws with esbuild's output when it fails. */
export function build() {
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node esbuild.mjs failed:\n${r.stdout}${r.stderr}`);
}

/** `npm run package` → the VSIX path (the newest .vsix in the root). */
export function packageVsix() {
  const r = spawnSync('npm', ['run', '-s', 'package'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  const vsix = fs.readdirSync(ROOT).filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ f, t: fs.statSync(path.join(ROOT, f)).mtimeMs })).sort((a, b) => b.t - a.t)[0];
  if (!vsix) throw new Error('npm run package made no .vsix in the project root');
  return path.join(ROOT, vsix.f);
}

/** "<uri or path>" → path relative to `folder` with "/" separators. */
export function relFile(folder, uriOrPath) {
  let p = uriOrPath;
  if (p.startsWith('file://')) p = decodeURIComponent(new URL(p).pathname);
  return path.relative(folder, p).split(path.sep).join('/');
}
