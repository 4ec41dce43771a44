// The analyse step of scanFolder (the CLI's scan) with the on-disk cache first, then the worker pool; what the pool
// analysed goes back into the cache, written once by `finish` when the scan ends. (The language server joins the
// same two pieces in lsp/analyser.ts, per workspace folder.)

import { homedir, platform } from 'node:os';
import { join } from 'node:path';
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
      cache.put(file.path, file.size, file.mtimeMs, r.hash, r.analysis, r.claims);
      return r.analysis;
    });
  };

  /**
   * Writes the cache (if anything changed). After a complete scan, files not seen are dropped from it; after a
   * cancelled one they are kept. Never throws. The cache is done with afterwards (its spill file is let go).
   */
  async finish(complete: boolean): Promise<boolean> {
    if (!this.cache) return false;
    try {
      return await this.cache.saveAsync({ prune: complete });
    } finally {
      this.cache.dispose();
    }
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
