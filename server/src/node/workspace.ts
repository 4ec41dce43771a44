// Listing the files of a folder that a scan should read: include/exclude globs (fast-glob), `.gitignore` files
// (ignore), symbolic links not followed unless the settings say so. Reading a file is readText.ts's (re-exported
// here). Problems come back as reasons, never as exceptions.

import { promises as fs, readdir as readdirCb, realpathSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { describeError } from './readText';
import type { ScanSettings } from './settings';

export { describeError, formatBytes, readText, readTextSync, type ReadResult } from './readText';

export interface ListedFile {
  /** Relative to the root, "/" separators: the CLI's document key. */
  path: string;
  abs: string;
}

export interface Listing {
  files: ListedFile[];
  /** Files matched by the globs but not read (symbolic links not followed, broken links, loops). */
  skipped: Array<{ path: string; reason: string }>;
}

/** A clear message when `root` cannot be scanned, or undefined when it is a readable folder. */
export async function rootProblem(root: string): Promise<string | undefined> {
  let st: Stats;
  try {
    st = await fs.stat(root);
  } catch (e) {
    return `${root}: ${describeError(e, 'cannot open the folder')}`;
  }
  if (!st.isDirectory()) return `${root}: not a folder (give a folder of text files to scan)`;
  try {
    await fs.readdir(root);
  } catch (e) {
    return `${root}: ${describeError(e, 'cannot list the folder')}`;
  }
  return undefined;
}


/**
 * fast-glob's file system when links are followed, except that a folder reached again through a link cycle ("self ->
 * .", "sub/up -> ..") reads as empty: fast-glob has no cycle check, and two such links made the walk exponential in
 * its depth limit (a scan that never ends).
 */
function loopSafeFs(root: string): { readdir: (...args: unknown[]) => void } {
  const real = new Map<string, string | null>();
  const realOf = (p: string): string | null => {
    let r = real.get(p);
    if (r === undefined) {
      try {
        r = realpathSync(p);
      } catch {
        r = null;
      }
      real.set(p, r);
    }
    return r;
  };
  const inCycle = (dir: string): boolean => {
    const r = realOf(dir);
    if (!r) return false;
    for (let up = path.dirname(dir); ; up = path.dirname(up)) {
      if (realOf(up) === r) return true;
      if (path.dirname(up) === up) return false;
    }
  };
  return {
    readdir(...args: unknown[]) {
      const dir = path.resolve(root, String(args[0]));
      const callback = args[args.length - 1] as (e: NodeJS.ErrnoException | null, files: unknown[]) => void;
      if (inCycle(dir)) {
        process.nextTick(callback, null, []);
        return;
      }
      (readdirCb as (...a: unknown[]) => void)(...args);
    },
  };
}

interface GitIgnore {
  /** Folder of the .gitignore relative to the root, "" or ending in "/". */
  dir: string;
  ig: Ignore;
}

async function loadGitignores(root: string, settings: ScanSettings): Promise<GitIgnore[]> {
  const found = await fg('**/.gitignore', {
    cwd: root,
    dot: true,
    ignore: settings.exclude,
    followSymbolicLinks: settings.followSymlinks,
    suppressErrors: true,
    onlyFiles: true,
    deep: settings.followSymlinks ? 32 : Infinity,
    ...(settings.followSymlinks ? { fs: loopSafeFs(root) } : {}),
  });
  const out: GitIgnore[] = [];
  for (const rel of found) {
    try {
      const content = await fs.readFile(path.join(root, rel), 'utf8');
      const dir = rel.slice(0, rel.length - '.gitignore'.length);
      out.push({ dir, ig: ignore().add(content) });
    } catch {
      // An unreadable .gitignore ignores nothing.
    }
  }
  return out.sort((a, b) => a.dir.length - b.dir.length);
}

function gitignored(rel: string, rules: GitIgnore[]): boolean {
  for (const { dir, ig } of rules) {
    if (dir && !rel.startsWith(dir)) continue;
    try {
      if (ig.ignores(rel.slice(dir.length))) return true;
    } catch {
      // `ignore` rejects some odd paths; such a path is simply not ignored.
    }
  }
  return false;
}

/** The files under `root` that the settings select, sorted by path. */
export async function listFiles(root: string, settings: ScanSettings): Promise<Listing> {
  const rules = settings.useGitignore ? await loadGitignores(root, settings) : [];
  const entries = await fg(settings.include, {
    cwd: root,
    ignore: settings.exclude,
    dot: false,
    onlyFiles: false,
    objectMode: true,
    followSymbolicLinks: settings.followSymlinks,
    suppressErrors: true,
    unique: true,
    // A symlink loop would otherwise nest without end when links are followed.
    deep: settings.followSymlinks ? 32 : Infinity,
    ...(settings.followSymlinks ? { fs: loopSafeFs(root) } : {}),
  });
  const files: ListedFile[] = [];
  const skipped: Listing['skipped'] = [];
  const real = new Set<string>();
  for (const entry of entries) {
    const rel = entry.path.replace(/\\/g, '/');
    if (rules.length && gitignored(rel, rules)) continue;
    const abs = path.join(root, rel);
    const d = entry.dirent;
    if (d.isDirectory()) continue;
    if (d.isSymbolicLink()) {
      if (!settings.followSymlinks) {
        skipped.push({ path: rel, reason: 'symbolic link, not followed (enable followSymlinks to read it)' });
        continue;
      }
    }
    if (settings.followSymlinks) {
      // The same file reached through several links is read once, under its first path.
      try {
        const target = await fs.realpath(abs);
        const st = await fs.stat(target);
        if (!st.isFile()) continue;
        if (real.has(target)) continue;
        real.add(target);
      } catch (e) {
        skipped.push({ path: rel, reason: describeError(e, 'cannot resolve the link') });
        continue;
      }
    } else if (!d.isFile()) {
      continue;
    }
    files.push({ path: rel, abs });
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  files.sort(byPath);
  skipped.sort(byPath);
  return { files, skipped };
}

