// Where the scan's analyses come from: the on-disk cache when a file is unchanged, otherwise the worker pool (which
// falls back to the server's own thread when threads cannot run). Fresh analyses go back into the cache, saved
// after each scan. Both pieces are node/'s (cache.ts, pool.ts); this only joins them for the server.

import * as path from 'node:path';
import { analyzeDocument } from '../core/analyze';
import { IndexCache } from '../node/cache';
import { AnalysisPool, type ReadSpec } from '../node/pool';
import { toScanSettings } from './config';
import type { Analyser } from './host';

export interface AnalyserOptions {
  /** The folder the cache may be written to; no cache when absent. */
  cacheFolder?: string;
  /** Worker threads; default one per core; 0 = analyse in this thread. */
  workers?: number;
  log(level: 'info' | 'warn', message: string): void;
}

export function createAnalyser(options: AnalyserOptions): Analyser & { close(): Promise<void> } {
  let pool: AnalysisPool | undefined;
  const caches = new Map<string, IndexCache>();
  let saving: Promise<unknown> = Promise.resolve();

  const poolOf = () =>
    (pool ??= new AnalysisPool({
      size: options.workers,
      fallback: (text) => analyzeDocument(text),
      onFallback: (reason) => options.log('info', `Analysing in the server's thread: ${reason}`),
    }));

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

  return {
    async analyse({ folder, path: file, text, size, mtimeMs }) {
      const cache = size !== undefined && mtimeMs !== undefined ? cacheOf(folder) : undefined;
      const rel = path.relative(folder, file).split(path.sep).join('/');
      const cached = cache?.lookup(rel, size!, mtimeMs!, text);
      if (cached) return cached;
      const { analysis, hash, claims } = await poolOf().analyseHashed(text);
      cache?.put(rel, size!, mtimeMs!, hash, analysis, claims);
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
      const specs: ReadSpec[] = files.map((f, k) => ({
        abs: f.path,
        maxFileSize: toScanSettings(f.settings).maxFileSize,
        known: cacheOf(f.folder)?.known(rels[k]),
      }));
      const reads = await pool.readAndAnalyse(specs);
      return Promise.all(
        reads.map(async (r, k) => {
          if (!r.ok) return { ok: false as const, reason: r.reason };
          const cache = cacheOf(files[k].folder);
          let analysis = r.cached ? cache?.lookup(rels[k], r.size, r.mtimeMs, r.text, r.rehashed) : undefined;
          if (cache && !r.cached) cache.stats.misses++;
          // Not analysed in the worker because the cache knew it, but its entry turned out unusable: analyse it now.
          const fresh = analysis ? undefined : (r.analysed ?? (await pool.analyseHashed(r.text)));
          if (fresh) {
            analysis = fresh.analysis;
            cache?.put(rels[k], r.size, r.mtimeMs, fresh.hash, analysis, fresh.claims);
          }
          return { ok: true as const, text: r.text, size: r.size, mtimeMs: r.mtimeMs, analysis };
        }),
      );
    },
    scanned(complete) {
      for (const [folder, cache] of caches) {
        const { hits, rehashed, misses } = cache.stats;
        options.log('info', `Index cache of ${folder}: ${hits + rehashed} analyses reused, ${misses} made.`);
        saving = saving.then(() => cache.saveAsync({ prune: complete }).catch(() => false));
      }
    },
    async close() {
      await saving;
      await pool?.close();
      pool = undefined;
    },
  };
}
