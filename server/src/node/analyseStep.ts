// The analyse step of a scan as the hosts plug it in: the on-disk cache first, then the worker pool, and what the
// pool analysed goes back into the cache. The CLI passes `analyze` to scanFolder; the language server wraps its file
// reads with it. Both call `finish` when a scan ends so the cache is written once, not per file.

import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocAnalysis } from '../core/model';
import { IndexCache, type CacheStats } from './cache';
import type { AnalysisPool } from './pool';

export interface FileStamp {
  /** The file's path relative to the root, "/" separators: its key in the cache. */
  path: string;
  size: number;
  mtimeMs: number;
}

export class CachedAnalyser {
  readonly cache: IndexCache | undefined;

  /** Without `cacheDir` every document goes to the pool and nothing is written. */
  constructor(
    private readonly pool: AnalysisPool,
    options: { root: string; cacheDir?: string; analyzer?: string },
  ) {
    this.cache = options.cacheDir ? IndexCache.open({ dir: options.cacheDir, root: options.root, analyzer: options.analyzer }) : undefined;
  }

  /** The cached analysis when still valid, else the pool's (recorded for the next run). Fits ScanOptions.analyze. */
  analyze = (text: string, file: FileStamp): DocAnalysis | Promise<DocAnalysis> => {
    const cache = this.cache;
    if (!cache) return this.pool.analyse(text);
    const hit = cache.lookup(file.path, file.size, file.mtimeMs, text);
    if (hit) return hit;
    return this.pool.analyseHashed(text).then((r) => {
      cache.put(file.path, file.size, file.mtimeMs, r.hash, r.analysis);
      return r.analysis;
    });
  };

  /**
   * Writes the cache (if anything changed). After a complete scan, files not seen are dropped from it; after a
   * cancelled one they are kept. Never throws.
   */
  finish(complete: boolean): Promise<boolean> {
    return this.cache ? this.cache.saveAsync({ prune: complete }) : Promise.resolve(false);
  }

  get stats(): CacheStats | undefined {
    return this.cache?.stats;
  }
}

/** The CLI's default cache folder: the OS's per-user cache folder, then corpus-navigator. */
export function defaultCacheDir(): string {
  const home = homedir();
  switch (platform()) {
    case 'win32':
      return join(process.env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'corpus-navigator', 'Cache');
    case 'darwin':
      return join(home, 'Library', 'Caches', 'corpus-navigator');
    default:
      return join(process.env.XDG_CACHE_HOME || join(home, '.cache'), 'corpus-navigator');
  }
}

/**
 * The cache folder the client gives in `initializationOptions`: `cacheDir` (a path), or VS Code's `storageUri` /
 * `globalStorageUri` (URIs or paths), the workspace's own storage first. Undefined when none is usable.
 */
export function cacheDirFromInitOptions(options: unknown): string | undefined {
  if (!options || typeof options !== 'object') return undefined;
  const o = options as Record<string, unknown>;
  for (const key of ['cacheDir', 'storageUri', 'storagePath', 'globalStorageUri', 'globalStoragePath']) {
    const v = o[key];
    if (typeof v !== 'string' || !v) continue;
    if (v.startsWith('file:')) {
      try {
        return join(fileURLToPath(v), 'index-cache');
      } catch {
        continue;
      }
    }
    if (/^[a-z][a-z0-9+.-]+:/i.test(v) && !/^[a-z]:[\\/]/i.test(v)) continue; // a remote URI: not a local folder
    return key === 'cacheDir' ? v : join(v, 'index-cache');
  }
  return undefined;
}
