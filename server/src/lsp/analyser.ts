// Where the scan's analyses come from: the on-disk cache when a file is unchanged, otherwise the worker pool (which
// falls back to the server's own thread when threads cannot run). Fresh analyses go back into the cache, saved
// after each scan. Both pieces are node/'s (cache.ts, pool.ts); this only joins them for the server.

import * as path from 'node:path';
import { analyzeDocument } from '../core/analyze';
import { IndexCache } from '../node/cache';
import { AnalysisPool } from '../node/pool';
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
      const { analysis, hash } = await poolOf().analyseHashed(text);
      cache?.put(rel, size!, mtimeMs!, hash, analysis);
      return analysis;
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
