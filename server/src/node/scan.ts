// Scanning a folder into a corpus index: list (workspace.ts), read and decode, analyse, index. Progress is reported
// through a callback and the scan can be cancelled between files. The analyse step is injectable so that a worker
// pool or an on-disk cache can take it over; it may be synchronous or return a promise.

import * as path from 'node:path';
import { CorpusIndex } from '../core/index';
import type { DocAnalysis } from '../core/model';
import { validateSettings, type ScanSettings } from './settings';
import { applySnapshot, defaultIndexCodeVersion, readSnapshot, snapshotFileFor, validateFiles, writeSnapshot, type FileStamp } from './snapshot';
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
  /**
   * The folder (the cache's) of the index snapshot (node/snapshot.ts): when the index starts empty, the snapshot of
   * an earlier scan of this root with these settings is restored and only the files it does not describe are read;
   * after a complete scan that changed anything, a new one is written.
   */
  snapshotDir?: string;
  /** Why a snapshot was not used, or how it was: for a log line. */
  onSnapshot?(message: string): void;
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
  /** The index started from a snapshot: only the files it did not describe went through `analyze` (a cache must not
   *  forget the others). */
  restored: boolean;
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

  const identity = { code: defaultIndexCodeVersion(), roots: [absRoot], settings };
  const snapshotFile = options.snapshotDir ? snapshotFileFor(options.snapshotDir, identity.roots) : undefined;
  const fresh = index.documents().length === 0 && index.skipped().length === 0;
  const reading = snapshotFile && fresh ? readSnapshot(snapshotFile, identity, index) : undefined;
  const listing = await listFiles(absRoot, settings);
  // The snapshot first (it goes into an empty index), then what the listing says.
  const stamps = new Map<string, FileStamp>();
  let restored = false;
  let unchanged = -1;
  const snap = await reading;
  if (snap && !snap.ok) options.onSnapshot?.(`index snapshot not used: ${snap.why}`);
  if (snap?.ok) {
    const why = applySnapshot(index, snap.sections);
    if (why) options.onSnapshot?.(`index snapshot not used: ${why}`);
    else {
      restored = true;
      unchanged = index.version;
      const listed = listing.files.map((f) => ({ key: key(f), path: f.abs, maxFileSize: settings.maxFileSize }));
      for (const [k, st] of await validateFiles(listed, snap.files, { sliceMs: 1000 })) stamps.set(k, st);
      const keep = new Set(listed.map((f) => f.key));
      for (const s of listing.skipped) keep.add(key({ path: s.path, abs: path.join(absRoot, s.path) }));
      for (const d of index.documents()) if (!keep.has(d)) index.deleteDocument(d);
      for (const { doc } of index.skipped()) if (!keep.has(doc)) index.deleteDocument(doc);
      options.onSnapshot?.(`index snapshot restored: ${snap.files.size} files, ${listed.length - stamps.size} to read again`);
    }
  }
  const skippedBefore = new Map(index.skipped().map((x) => [x.doc, x.reason]));
  for (const s of listing.skipped) {
    const doc = key({ path: s.path, abs: path.join(absRoot, s.path) });
    if (skippedBefore.get(doc) !== s.reason) index.setSkipped(doc, s.reason);
  }
  const files = restored ? listing.files.filter((f) => !stamps.has(key(f))) : listing.files;
  const total = listing.files.length;
  options.onProgress?.(0, total);

  let next = 0;
  let done = total - files.length;
  let indexed = 0;
  let stop = false;
  const one = async (f: ListedFile) => {
    const doc = key(f);
    const read = await readText(f.abs, settings.maxFileSize);
    if (!read.ok) {
      if (skippedBefore.get(doc) !== read.reason) index.setSkipped(doc, read.reason);
      return;
    }
    stamps.set(doc, { size: read.size, mtimeMs: read.mtimeMs, hash: '' });
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
  // A new snapshot when the scan was complete and the index is not the one restored as it was.
  if (snapshotFile && !stop && !(restored && index.version === unchanged)) {
    const r = await writeSnapshot(snapshotFile, identity, index, stamps, { sliceMs: 1000 });
    options.onSnapshot?.(r === 'written' ? 'index snapshot written' : `index snapshot not written: ${r}`);
  }

  return {
    index,
    root: absRoot,
    settings,
    problems,
    listed: total,
    indexed,
    skipped: index.stats().skipped,
    cancelled: stop,
    restored,
    elapsedMs: performance.now() - t0,
  };
}
