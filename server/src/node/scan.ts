// Scanning a folder into a corpus index: list (workspace.ts), read and decode, analyse, index. Progress is reported
// through a callback and the scan can be cancelled between files. The analyse step is injectable so that a worker
// pool or an on-disk cache can take it over; it may be synchronous or return a promise.

import * as path from 'node:path';
import { CorpusIndex } from '../core/index';
import type { DocAnalysis } from '../core/model';
import { validateSettings, type ScanSettings } from './settings';
import { listFiles, readText, rootProblem, type ListedFile } from './workspace';

export interface FileInfo {
  /** The document key the index uses. */
  doc: string;
  path: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  /** The index to fill (documents no longer on disk are not removed: use `index.clear()` first for a re-scan). */
  index?: CorpusIndex;
  /** Called after each file, and once with (0, total) when the listing is known. */
  onProgress?(done: number, total: number, file?: string): void;
  /** Polled between files; an LSP CancellationToken fits `token`. */
  isCancelled?(): boolean;
  token?: { readonly isCancellationRequested: boolean };
  /** Analyse a document elsewhere (worker pool, cache). Default: the index's own analyser. */
  analyze?(text: string, file: FileInfo): DocAnalysis | Promise<DocAnalysis>;
  /** The document key for a file. Default: its path relative to the root with "/" separators. */
  docKey?(file: ListedFile): string;
  /** How many files are read at once. */
  concurrency?: number;
}

export interface ScanResult {
  index: CorpusIndex;
  root: string;
  settings: ScanSettings;
  /** Messages about settings that were replaced by defaults. */
  problems: string[];
  listed: number;
  indexed: number;
  skipped: number;
  cancelled: boolean;
  elapsedMs: number;
}

export class ScanError extends Error {}

/**
 * Scans `root` into an index. Throws ScanError (with a message fit for a user) only when the root itself cannot be
 * scanned; every problem with a single file becomes a skipped entry in the index.
 */
export async function scanFolder(root: string, rawSettings: unknown = {}, options: ScanOptions = {}): Promise<ScanResult> {
  const t0 = performance.now();
  const { settings, problems } = validateSettings(rawSettings);
  const absRoot = path.resolve(root);
  const why = await rootProblem(absRoot);
  if (why) throw new ScanError(why);
  const index = options.index ?? new CorpusIndex();
  const cancelled = () => !!(options.isCancelled?.() || options.token?.isCancellationRequested);
  const key = options.docKey ?? ((f: ListedFile) => f.path);

  const listing = await listFiles(absRoot, settings);
  for (const s of listing.skipped) index.setSkipped(key({ path: s.path, abs: path.join(absRoot, s.path) }), s.reason);
  const files = listing.files;
  const total = files.length;
  options.onProgress?.(0, total);

  let next = 0;
  let done = 0;
  let indexed = 0;
  let stop = false;
  const one = async (f: ListedFile) => {
    const doc = key(f);
    const read = await readText(f.abs, settings.maxFileSize);
    if (!read.ok) {
      index.setSkipped(doc, read.reason);
      return;
    }
    try {
      if (options.analyze) {
        const info: FileInfo = { doc, path: f.path, abs: f.abs, size: read.size, mtimeMs: read.mtimeMs };
        const analysis = await options.analyze(read.text, info);
        index.setAnalysed(doc, read.text, analysis);
        indexed++;
      } else {
        index.setDocument(doc, read.text);
        if (index.has(doc)) indexed++;
      }
    } catch (e) {
      index.setSkipped(doc, `analysis failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const lane = async () => {
    while (!stop && next < files.length) {
      if (cancelled()) {
        stop = true;
        break;
      }
      const f = files[next++];
      await one(f);
      done++;
      options.onProgress?.(done, total, f.path);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 8, files.length || 1));
  await Promise.all(Array.from({ length: lanes }, lane));

  return {
    index,
    root: absRoot,
    settings,
    problems,
    listed: total,
    indexed,
    skipped: index.stats().skipped,
    cancelled: stop,
    elapsedMs: performance.now() - t0,
  };
}
