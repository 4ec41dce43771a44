// Where the scan's analyses come from: the on-disk cache when a file is unchanged, otherwise the worker pool (which
// falls back to the server's own thread when threads cannot run). Fresh analyses go back into the cache, saved
// after each scan. Both pieces are node/'s (cache.ts, pool.ts); this only joins them for the server.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { analyzeDocument } from '../core/analyze';
import { CorpusIndex } from '../core/index';
import { IndexCache } from '../node/cache';
import { AnalysisPool, type FileRead, type ReadSpec } from '../node/pool';
import { attachClaims, documentClaims, type DocClaims } from '../core/aliases';
import type { DocAnalysis } from '../core/model';
import { contentHash, readTextSync } from '../node/readText';
import {
  applySnapshot,
  defaultIndexCodeVersion,
  prefetchSnapshot,
  listingUnchanged,
  stampDirectories,
  readSnapshot,
  snapshotFileFor,
  statAll,
  validateFiles,
  writeSnapshot,
  type FileStamp,
  type FileTable,
  type RecordedListing,
  type SnapshotBytes,
  type SnapshotIdentity,
} from '../node/snapshot';
import type { CorpusSettings } from '../protocol';
import { toScanSettings } from './config';
import { scanPath, type Analyser, type IndexSnapshot, type ScanRead } from './host';

export interface AnalyserOptions {
  /** The folder the cache may be written to; no cache when absent. */
  cacheFolder?: string;
  /** Worker threads; default one per core; 0 = analyse in this thread. */
  workers?: number;
  /** The bundled worker script (default: worker.js beside the running bundle; see node/pool.ts). */
  workerFile?: string;
  /** How long the index must stay unchanged before a snapshot of it is written (ms); default 3000. */
  snapshotDelayMs?: number;
  /** Waits for a moment to do the next slice of the snapshot's encoding and checksum (default: the next turn of the
   *  event loop). The server waits until it has been quiet for a while, so that a burst of requests is not slowed. */
  pause?: () => Promise<void>;
  /** How long closing may spend finishing a snapshot that was waiting for a quiet moment (default SHUTDOWN_SNAPSHOT_MS). */
  shutdownSnapshotMs?: number;
  /** The identity of the code making the index (default: a hash of the bundles; see node/snapshot.ts). */
  codeVersion?: string;
  log(level: 'info' | 'warn', message: string): void;
}

/** The heap growth the server runs with (V8's --heap-growing-percent; startServer sets it at start). */
export const HEAP_GROWING_PERCENT = 20;

/** The largest text analysed in the server's thread as one of a few files on top of a snapshot (~50 ms of work). */
const FEW_MAX_CHARS = 256 * 1024;

/** How long a snapshot read ahead (`prefetch`) waits for the first scan to take it before it is let go. */
const PREFETCH_KEEP_MS = 30_000;

/**
 * Of a batch of the scan's files at least this long, the first is read and analysed in the server's thread rather
 * than a worker's: ~1.5 % of a cold scan (the host's batches are 64), spread over all of it. Otherwise that thread
 * never runs recognition before the first edit, and the first few dozen keystrokes run it unoptimised (20-40 ms
 * each instead of ~5). Spread, because code that stops running is dropped again after a few collections (V8 flushes
 * code not run through 5 of them), and a 100 MB scan runs dozens.
 */
const IN_THREAD_EVERY = 32;

/** How long a cache save waits for the workers to exit after a scan (they stop as soon as they are idle). */
const REST_WAIT_MS = 2000;

/** How long the check of the files after a restore waits for the stats made in a thread meanwhile. */
const STAT_WAIT_MS = 1000;

/** Closing waits at most this long for a pending snapshot: about what 100 MB of articles take to encode and write, and
 *  within what clients allow a server to shut down (a write cut short by an exit leaves only a temporary file). */
const SHUTDOWN_SNAPSHOT_MS = 4000;

export function createAnalyser(options: AnalyserOptions): Analyser & { close(): Promise<void> } {
  let pool: AnalysisPool | undefined;
  const caches = new Map<string, IndexCache>();
  let saving: Promise<unknown> = Promise.resolve();

  const poolOf = () =>
    (pool ??= new AnalysisPool({
      size: options.workers,
      workerFile: options.workerFile,
      fallback: (text) => analyzeDocument(text),
      onFallback: (reason) => options.log('info', `Analysing in the server's thread: ${reason}`),
    }));

  // The content hash of each file analysed or found in the cache, by path, with the stamp it goes with: the snapshot's
  // file table carries it, so that a file whose mtime alone changed is recognised by its content at the next start.
  const hashes = new Map<string, FileStamp>();
  const noteHash = (file: string, size: number, mtimeMs: number, hash: string | undefined) => {
    if (hash) hashes.set(file, { size, mtimeMs, hash });
  };
  const snapshots = createSnapshots(options, hashes);

  const cacheOf = (folder: string): IndexCache | undefined => {
    if (!options.cacheFolder) return undefined;
    let cache = caches.get(folder);
    if (!cache) {
      cache = IndexCache.open({ dir: options.cacheFolder, root: folder });
      if (cache.stats.discarded) options.log('info', `Index cache not used: ${cache.stats.discarded}`);
      caches.set(folder, cache);
    }
    return cache;
  };

  /** A file of the scan read here, and analysed here as the index takes it in (ScanRead.analyseHere), unless the
   *  cache knows it. */
  const readHere = async (f: { folder: string; path: string; settings: CorpusSettings }, rel: string): Promise<ScanRead> => {
    const cache = cacheOf(f.folder);
    const known = cache?.known(rel);
    // Hashed while read only when the cache's size and mtime do not vouch for the file, as a worker reads (pool.ts).
    const r = readTextSync(f.path, toScanSettings(f.settings).maxFileSize, known ?? true);
    if (!r.ok) return { ok: false, reason: r.reason };
    const { text, size, mtimeMs } = r;
    // A hash taken here that differs from the cache's is a miss the lookup would only hash again to find.
    const changed = r.hash !== undefined && known !== undefined && r.hash !== known.hash;
    if (changed) cache!.stats.misses++;
    const cached = changed ? undefined : cache?.lookup(rel, size, mtimeMs, text, r.hash !== undefined && r.hash === known?.hash);
    if (cached) {
      noteHash(f.path, size, mtimeMs, cache!.known(rel)?.hash);
      return { ok: true, text, size, mtimeMs, analysis: cached };
    }
    if (text.length > FEW_MAX_CHARS) {
      // A long file is no warm-up: analysed here it would hold up every request for seconds. A worker takes it, as
      // it would have.
      const fresh = await poolOf().analyseHashed(text);
      noteHash(f.path, size, mtimeMs, fresh.hash);
      cache?.put(rel, size, mtimeMs, fresh.hash, fresh.analysis, fresh.claims);
      return { ok: true, text, size, mtimeMs, analysis: fresh.analysis };
    }
    const hash = r.hash ?? contentHash(text);
    noteHash(f.path, size, mtimeMs, hash);
    return {
      ok: true,
      text,
      size,
      mtimeMs,
      analyseHere() {
        let analysis: DocAnalysis;
        let claims: DocClaims | undefined;
        try {
          analysis = analyzeDocument(text);
          claims = documentClaims(analysis);
        } catch {
          return undefined; // the index analyses it again, and records why it fails
        }
        // The index takes these claims instead of making them again; the spans are still checked against the text.
        attachClaims(analysis, claims);
        try {
          cache?.put(rel, size, mtimeMs, hash, analysis, claims);
        } catch {
          // not cached: analysed again at the next scan that needs it
        }
        return analysis;
      },
    };
  };

  return {
    async analyse({ folder, path: file, text, size, mtimeMs, few }) {
      // A few small files on top of a restored snapshot: analysed by the index in this thread (~5 ms for a 20 KB
      // article), rather than starting the worker threads and reading the whole cache (~60 MB at 100 MB of
      // articles) for them; the bench's warm reopen peaked at 486 MB that way, for the one article it had edited.
      if (few && text.length <= FEW_MAX_CHARS && !caches.has(folder)) {
        if (size !== undefined && mtimeMs !== undefined) noteHash(file, size, mtimeMs, contentHash(text));
        return undefined;
      }
      const cache = size !== undefined && mtimeMs !== undefined ? cacheOf(folder) : undefined;
      const rel = path.relative(folder, file).split(path.sep).join('/');
      const cached = cache?.lookup(rel, size!, mtimeMs!, text);
      if (cached) {
        noteHash(file, size!, mtimeMs!, cache!.known(rel)?.hash);
        return cached;
      }
      const { analysis, hash, claims } = await poolOf().analyseHashed(text);
      cache?.put(rel, size!, mtimeMs!, hash, analysis, claims);
      if (size !== undefined && mtimeMs !== undefined) noteHash(file, size, mtimeMs, hash);
      return analysis;
    },
    // The workers start while the folders are listed, so that the first batch does not wait for them.
    scanning() {
      poolOf().warmUp();
    },
    // The scan's files are read in the worker threads too (lsp/files.ts reads them with the same readText), so that
    // the server's thread only takes texts and analyses in: a warm reopen reads 100 MB in two threads, not here.
    async readBatch(files) {
      const pool = poolOf();
      if (pool.threads === 0) return undefined;
      const rels = files.map((f) => path.relative(f.folder, f.path).split(path.sep).join('/'));
      // The first file of a batch is read and analysed in this thread (see IN_THREAD_EVERY).
      const here = files.length >= IN_THREAD_EVERY ? 1 : 0;
      const specs: ReadSpec[] = [];
      for (let k = here; k < files.length; k++) {
        specs.push({ abs: files[k].path, maxFileSize: toScanSettings(files[k].settings).maxFileSize, known: cacheOf(files[k].folder)?.known(rels[k]) });
      }
      const reads: Array<FileRead | undefined> = await pool.readAndAnalyse(specs);
      if (here) reads.unshift(undefined);
      return Promise.all(
        reads.map(async (r, k) => {
          if (r === undefined) return readHere(files[k], rels[k]);
          if (!r.ok) return { ok: false as const, reason: r.reason };
          const cache = cacheOf(files[k].folder);
          let analysis = r.cached ? cache?.lookup(rels[k], r.size, r.mtimeMs, r.text, r.rehashed) : undefined;
          if (cache && !r.cached) cache.stats.misses++;
          // Not analysed in the worker because the cache knew it, but its entry turned out unusable: analyse it now.
          const fresh = analysis ? undefined : (r.analysed ?? (await pool.analyseHashed(r.text)));
          if (fresh) {
            analysis = fresh.analysis;
            cache?.put(rels[k], r.size, r.mtimeMs, fresh.hash, analysis, fresh.claims);
            noteHash(files[k].path, r.size, r.mtimeMs, fresh.hash);
          } else {
            noteHash(files[k].path, r.size, r.mtimeMs, cache?.known(rels[k])?.hash);
          }
          return { ok: true as const, text: r.text, size: r.size, mtimeMs: r.mtimeMs, analysis };
        }),
      );
    },
    scanned(complete) {
      // The save waits for the workers to exit (briefly: they stop as soon as they are idle), so that their heaps
      // (~100 MB each at 100 MB of articles) are gone before it runs; the two together made the cold scan's peak.
      const rested = pool ? within(pool.rest(), REST_WAIT_MS) : undefined;
      if (rested) saving = saving.then(() => rested);
      for (const [folder, cache] of caches) {
        const { hits, rehashed, misses } = cache.stats;
        options.log('info', `Index cache of ${folder}: ${hits + rehashed} analyses reused, ${misses} made.`);
        // Once written, let it go: it holds every file's encoded analysis (~60 MB at 100 MB of text) and is needed
        // again only when a file changes on disk (then it is opened again, lazily).
        saving = saving
          .then(() => cache.saveAsync({ prune: complete }).catch(() => false))
          .then(() => {
            if (caches.get(folder) === cache && !cache.changed) {
              caches.delete(folder);
              cache.dispose();
            }
          });
      }
    },
    snapshot: snapshots.read,
    prefetch: snapshots.prefetch,
    settled: snapshots.settled,
    listing: snapshots.listing,
    listed: snapshots.listed,
    async close() {
      await snapshots.flush(options.shutdownSnapshotMs ?? SHUTDOWN_SNAPSHOT_MS);
      snapshots.close();
      await saving;
      for (const cache of caches.values()) cache.dispose();
      caches.clear();
      await pool?.close();
      pool = undefined;
    },
  };
}

/**
 * The index snapshots of the workspace (node/snapshot.ts), in the cache folder: read before the first scan, written
 * once the index has stayed unchanged for a while after a scan or edits, in slices of idle time.
 */
function createSnapshots(options: AnalyserOptions, hashes: ReadonlyMap<string, FileStamp>) {
  const dir = options.cacheFolder;
  /** The file table of the snapshot restored, for the hashes of files not read since. */
  let restoredFiles: ReadonlyMap<string, FileStamp> = new Map();
  /** The index version the snapshot on disk describes (nothing to write while it is the current one). */
  /** The listing the next snapshot records, with the directory mtimes taken before it (for its roots only). */
  let recorded: { roots: string; listing: RecordedListing } | undefined;
  let pendingDirs: { roots: string; dirs: Omit<RecordedListing, 'folders'> | undefined } | undefined;
  let savedVersion = -1;
  let savedIdentity = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing = false;
  let closed = false;

  const identityOf = (folders: { path: string; settings: CorpusSettings }[]): SnapshotIdentity => ({
    code: options.codeVersion ?? defaultIndexCodeVersion(),
    roots: folders.map((f) => f.path),
    settings: folders.map((f) => f.settings),
  });

  /** The snapshot file being read since the folders were known (`prefetch`), until the first scan takes it. Its files
   *  are not stat'ed then but when the scan asks for it (`read`), after the server has registered its file watchers:
   *  a file changed between an early stat and that registration would be seen by neither, and the reopened index
   *  would keep its old analysis (a review found it so, with a client slow to answer the settings request). */
  type Prefetched = { file: string; bytes: Promise<SnapshotBytes> };
  let prefetched: Prefetched | undefined;
  let prefetchTimer: ReturnType<typeof setTimeout> | undefined;
  const prefetch = (roots: string[]) => {
    prefetched = undefined;
    if (prefetchTimer) clearTimeout(prefetchTimer);
    if (!dir || closed) return;
    const file = snapshotFileFor(dir, roots);
    if (!existsSync(file)) return;
    const ahead: Prefetched = { file, bytes: prefetchSnapshot(file) };
    prefetched = ahead;
    // The code's identity (a hash of the bundles, ~5 ms) is worked out while the client answers `initialize`,
    // rather than when the scan asks for the snapshot.
    if (options.codeVersion === undefined) setImmediate(() => void tryCodeVersion());
    // Not kept for a scan that never asks for it (tens of megabytes).
    prefetchTimer = setTimeout(() => {
      if (prefetched === ahead) prefetched = undefined;
    }, PREFETCH_KEEP_MS);
    prefetchTimer.unref?.();
  };

  const read = (index: unknown, folders: { path: string; settings: CorpusSettings }[]): Promise<IndexSnapshot | undefined> | undefined => {
    const readAhead = prefetched;
    prefetched = undefined;
    const identity = dir && index instanceof CorpusIndex ? identityOf(folders) : undefined;
    const file = dir && identity ? snapshotFileFor(dir, identity.roots) : undefined;
    const ahead = readAhead?.file === file ? readAhead : undefined;
    if (!dir || !identity || !file || !(index instanceof CorpusIndex) || !existsSync(file)) return undefined;
    return readSnapshot(file, identity, index, ahead?.bytes).then((r): IndexSnapshot | undefined => {
      if (!r.ok) {
        options.log('info', `Index snapshot not used: ${r.why}`);
        return undefined;
      }
      let applyMs = 0;
      let listingReused = false;
      // Every file the snapshot lists is stat'ed, in a thread, while the host lists the folders and restores the
      // snapshot; the check against the listing only compares.
      const early = statFiles(r.files);
      return {
        listing() {
          const l = r.listing;
          // The identity (roots, settings) already matched; the directories must not have changed since.
          if (!l || l.folders.length !== folders.length || !listingUnchanged(l)) return undefined;
          recorded = { roots: JSON.stringify(identity.roots), listing: l };
          listingReused = true;
          // With each path its key where the file table has it (node/snapshot.ts listingKeys): not worked out again.
          const keys = r.listingKeys;
          return keys && keys.length === l.folders.length ? l.folders.map((f, n) => ({ ...f, keys: keys[n] })) : l.folders;
        },
        apply() {
          const t = performance.now();
          // A restore allocates about a million objects that all survive: with the heap's growth capped (which keeps
          // a scan's peak down) it ran twice as many full collections (100 MB bench corpus, in process: 1.3 → 1.0 s
          // of CPU without the cap). V8 reads the flag at each collection; 0 is its own heuristic.
          let why: string | undefined;
          setFlagsFromString('--heap-growing-percent=0');
          try {
            why = applySnapshot(index, r.sections);
          } finally {
            setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
          }
          applyMs = performance.now() - t;
          if (why) {
            options.log('info', `Index snapshot not used: ${why}`);
            return false;
          }
          restoredFiles = r.files;
          return true;
        },
        async validate(listed, isCancelled, skip) {
          const t = performance.now();
          // One folder's settings after another: the last one's limit is kept at hand.
          let last: CorpusSettings | undefined;
          let lastLimit = 0;
          const maxFileSize = ({ folder: { settings } }: (typeof listed)[number]) => {
            if (settings !== last) {
              last = settings;
              lastLimit = toScanSettings(settings).maxFileSize;
            }
            return lastLimit;
          };
          // The stats' thread ran beside the restore and is normally done by now; should it lag far behind (busy
          // cores), the files are stat'ed here instead.
          await within(early.done, STAT_WAIT_MS);
          early.stop();
          const statsAt = early.raw();
          const ahead = statsAt ? r.files.count : 0;
          const valid = await validateFiles(listed, r.files, { isCancelled, statsAt, maxFileSize, skip: skip && ((f) => skip(f.key)) });
          const checked = skip ? listed.reduce((n, f) => (skip(f.key) ? n : n + 1), 0) : listed.length;
          // Unless something else changes it now, the index is what the snapshot on disk says.
          if (valid.size === r.files.size) {
            savedVersion = index.version;
            savedIdentity = JSON.stringify(identity);
          }
          options.log(
            'info',
            `Index snapshot restored: ${r.files.size} files (read ${r.ms.read.toFixed(0)} ms, checked ${r.ms.check.toFixed(0)} ms, ` +
              `restored ${applyMs.toFixed(0)} ms, ${checked} files checked in ${(performance.now() - t).toFixed(0)} ms, ` +
              `${ahead} stat'ed ahead${listingReused ? ', listing reused' : ''}: ` +
              `${checked - valid.size} to read again).`,
          );
          return valid;
        },
      };
    });
  };

  const write = async (index: CorpusIndex, identity: SnapshotIdentity, files: () => ReadonlyMap<string, { size: number; mtimeMs: number }>) => {
    if (!dir || closed) return;
    const version = index.version;
    const id = JSON.stringify(identity);
    if (version === savedVersion && id === savedIdentity) return;
    writing = true;
    try {
      const table = new Map<string, FileStamp>();
      for (const [key, st] of files()) {
        const p = scanPath(key);
        const known = (p && hashes.get(p)) || restoredFiles.get(key);
        const hash = known && known.size === st.size && known.mtimeMs === st.mtimeMs ? known.hash : '';
        table.set(key, { size: st.size, mtimeMs: st.mtimeMs, hash });
      }
      const t = performance.now();
      const listing = recorded?.roots === JSON.stringify(identity.roots) ? recorded.listing : undefined;
      const r = await writeSnapshot(snapshotFileFor(dir, identity.roots), identity, index, table, {
        isStale: () => closed || index.version !== version,
        sliceMs: 2,
        pause: options.pause,
        listing,
      });
      if (r === 'written') {
        savedVersion = version;
        savedIdentity = id;
        options.log('info', `Index snapshot written (${table.size} files, ${(performance.now() - t).toFixed(0)} ms).`);
      } else if (r !== 'stale') options.log('warn', `Index snapshot not written: ${r}`);
    } finally {
      writing = false;
    }
  };

  const settled = (index: unknown, folders: { path: string; settings: CorpusSettings }[], files: () => ReadonlyMap<string, { size: number; mtimeMs: number }>) => {
    if (!dir || !(index instanceof CorpusIndex) || closed) return;
    const identity = identityOf(folders);
    if (timer) clearTimeout(timer);
    // After the index has stayed unchanged for a while: a scan's end is followed by requests (the first hovers), and
    // typing changes the index again and again.
    pending = () => write(index, identity, files);
    timer = setTimeout(() => {
      timer = undefined;
      if (writing) return settled(index, folders, files);
      start();
    }, options.snapshotDelayMs ?? 3000);
    timer.unref?.();
  };
  /** The write waiting for its moment, and the one running. */
  let pending: (() => Promise<void>) | undefined;
  let current: Promise<void> | undefined;
  const start = () => {
    const run = pending;
    pending = undefined;
    if (!run) return;
    current = run()
      .catch((e) => options.log('warn', `Index snapshot not written: ${(e as Error).message}`))
      .finally(() => (current = undefined));
  };
  /**
   * Before the server exits: the snapshot that was still waiting for a quiet moment (a folder closed soon after it was
   * indexed, or right after typing) is written now, within `limitMs`; the next start would otherwise read every file's
   * cache entry again. A write cut short leaves only a temporary file (snapshots are renamed into place).
   */
  const flush = async (limitMs: number) => {
    const deadline = performance.now() + limitMs;
    for (let round = 0; round < 2 && !closed; round++) {
      if (current) await within(current, deadline - performance.now());
      if (performance.now() >= deadline || current) return;
      if (!timer || !pending) return;
      clearTimeout(timer);
      timer = undefined;
      start();
    }
  };

  // Directories whose name an exclude pattern "**/NAME/**" of every folder names hold nothing listed: not walked.
  const skipNames = (folders: { settings: CorpusSettings }[]): Set<string> => {
    const sets = folders.map((f) => new Set(toScanSettings(f.settings).exclude.map((g) => /^\*\*\/([^*?[\]{}/!]+)\/\*\*$/.exec(g)?.[1]).filter((x): x is string => !!x)));
    return new Set([...(sets[0] ?? [])].filter((n) => sets.every((set) => set.has(n))));
  };
  const listing = (folders: { path: string; settings: CorpusSettings }[]) => {
    recorded = undefined;
    pendingDirs = undefined;
    if (!dir || folders.some((f) => toScanSettings(f.settings).followSymlinks)) return;
    const roots = folders.map((f) => f.path);
    pendingDirs = { roots: JSON.stringify(roots), dirs: stampDirectories(roots, skipNames(folders)) };
  };
  const listed = (folders: { path: string; settings: CorpusSettings }[], results: RecordedListing['folders'] | undefined) => {
    const roots = JSON.stringify(folders.map((f) => f.path));
    const dirs = pendingDirs?.roots === roots ? pendingDirs.dirs : undefined;
    pendingDirs = undefined;
    recorded = dirs && results ? { roots, listing: { ...dirs, folders: results } } : undefined;
  };

  return {
    read,
    prefetch,
    settled,
    listing,
    listed,
    flush,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (prefetchTimer) clearTimeout(prefetchTimer);
      prefetched = undefined;
    },
  };
}

type Stats = ReturnType<typeof statAll>;

/** Stats the files of a snapshot's table, in its order, in a thread (node/snapshot.ts statAll), which works out their
 *  paths from the keys as stored. */
function statFiles(files: FileTable): Stats {
  if (files.keyBytes) return statAll({ keys: files.keyBytes, count: files.count });
  const n = files.count;
  const paths: string[] = new Array(n);
  for (let k = 0; k < n; k++) paths[k] = scanPath(files.keyAt(k)) ?? '';
  return statAll(paths);
}

function tryCodeVersion(): string | undefined {
  try {
    return defaultIndexCodeVersion();
  } catch {
    return undefined;
  }
}

/** Waits for the promise, or for `ms`, whichever comes first. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise<void>((resolve) => (t = setTimeout(resolve, Math.max(0, ms))))]);
  clearTimeout(t);
}
