// The host's file system: listing and reading through the scan's own functions (node/workspace.ts), so the server
// and the CLI select and decode files the same way, and a matcher for single paths that watcher events name.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import micromatch from 'micromatch';
import { listFiles, readText, readTextSync } from '../node/workspace';
import type { CorpusSettings } from '../protocol';
import { toScanSettings } from './config';
import type { FileSource } from './host';

export function nodeFileSource(): FileSource {
  return {
    async list(folder, settings) {
      const listing = await listFiles(folder, toScanSettings(settings));
      return {
        files: listing.files.map((f) => f.abs),
        skipped: listing.skipped.map((s) => ({ path: path.join(folder, s.path), reason: s.reason })),
      };
    },
    async read(file, settings) {
      const r = await readText(file, toScanSettings(settings).maxFileSize);
      return r.ok ? { ok: true, text: r.text, size: r.size, mtimeMs: r.mtimeMs } : { ok: false, reason: r.reason };
    },
    includes: (folder, file, settings) => includes(folder, file, settings),
    // The same read and decoding as the scan's, so that a text read back is the one indexed, offset for offset.
    readSync(file, settings) {
      const r = readTextSync(file, toScanSettings(settings).maxFileSize);
      return r.ok ? { ok: true, text: r.text } : { ok: false, reason: r.reason };
    },
  };
}

/** Whether a file under `folder` is one the settings select: the same globs and `.gitignore` rules as listing. */
export async function includes(folder: string, file: string, settings: CorpusSettings): Promise<boolean> {
  const rel = path.relative(folder, file).split(path.sep).join('/');
  if (!rel || rel.startsWith('../') || path.isAbsolute(rel)) return false;
  // fast-glob (which lists) matches with micromatch; dot files are not matched by "*", as in listing.
  if (!micromatch.isMatch(rel, settings.include, { dot: false })) return false;
  if (settings.exclude.length && micromatch.isMatch(rel, settings.exclude, { dot: true })) return false;
  if (settings.useGitignore && (await gitignored(folder, rel))) return false;
  return true;
}

/** Checks the `.gitignore` of every folder from the root down to the file's own. */
async function gitignored(root: string, rel: string): Promise<boolean> {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    let content: string;
    try {
      content = await fs.readFile(path.join(root, dir, '.gitignore'), 'utf8');
    } catch {
      continue;
    }
    try {
      if (ignore().add(content).ignores(parts.slice(i).join('/'))) return true;
    } catch {
      // `ignore` rejects some odd paths; such a path is simply not ignored.
    }
  }
  return false;
}
