// The on-disk index cache: what each file's analysis was, so that reopening an unchanged corpus skips analysis.
//
// One file per workspace root, inside the cache folder the host gives (the LSP client's storage folder, or the CLI's
// --cache folder), named after a hash of the root so that it can never point outside that folder. Per file it keeps
// the relative path, size, mtime, a content hash of the decoded text, and the analysis in the columnar form of
// analysisCodec.ts. A lookup trusts size + mtime; when only the mtime differs it hashes the text and still reuses the
// analysis if the content is the same. The whole file carries a format version, the analyser's version and a CRC32:
// anything that does not match is treated as no cache at all, and it is rewritten atomically (temp file + rename), so
// a crash mid-write never leaves a corrupt cache behind. Saving also removes the caches of roots that no longer exist
// (the CLI scanning temporary folders would otherwise fill the user's cache folder).

import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  promises as fsp,
} from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import type { DocAnalysis } from '../core/model';
import { AnalysisReader, encodeAnalyses, type EncodedAnalyses } from './analysisCodec';
import { contentHash } from './pool';

const MAGIC = 0x43494e43; // "CNIC"
export const CACHE_FORMAT = 2;
/** magic, format, header length, crc32 (of everything after it), root length; then the root, the header, the data. */
const PREFIX = 20;
const CHECKED = 16;

export interface CacheOptions {
  /** The cache folder; created when missing. Nothing is written anywhere else. */
  dir: string;
  /** The workspace root the cache describes (its absolute path or URI). */
  root: string;
  /** The analyser's version: a cache made by another analyser is discarded. Default: a hash of the worker bundle. */
  analyzer?: string;
}

export interface CacheStats {
  /** Files whose cached analysis was reused on size + mtime. */
  hits: number;
  /** Files whose mtime changed but whose content hash matched. */
  rehashed: number;
  misses: number;
  /** Why the cache file was not used, when it was not. */
  discarded?: string;
}

interface Entry {
  size: number;
  mtimeMs: number;
  hash: string;
  /** Built, or handed to put(). */
  analysis?: DocAnalysis;
  /** Where the encoded analysis starts in the loaded file, when not built yet. */
  at?: [number, number];
  /** Looked up or put since the cache was opened (entries not seen are pruned on save). */
  seen: boolean;
}

interface Header {
  root: string;
  analyzer: string;
  files: Array<[path: string, size: number, mtimeMs: number, hash: string, intAt: number, floatAt: number]>;
  strings: string[];
  ints: number;
  floats: number;
}

export class IndexCache {
  readonly file: string;
  readonly stats: CacheStats = { hits: 0, rehashed: 0, misses: 0 };
  private readonly entries = new Map<string, Entry>();
  private loaded?: EncodedAnalyses;
  private dirty = false;
  private readonly analyzer: string;

  private constructor(private readonly options: CacheOptions) {
    this.file = cacheFileFor(options.dir, options.root);
    this.analyzer = options.analyzer ?? defaultAnalyzerVersion();
  }

  /** Opens the cache of `root` in `dir`; a missing, stale or corrupt file gives an empty cache (never throws). */
  static open(options: CacheOptions): IndexCache {
    const cache = new IndexCache(options);
    cache.load();
    return cache;
  }

  /** Files the cache knows. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached analysis of `path` if it is still valid for a file of this size and mtime whose decoded text is
   * `text`. The text is hashed only when the mtime differs; it is also what the mentions' `text` are sliced from.
   */
  lookup(path: string, size: number, mtimeMs: number, text: string): DocAnalysis | undefined {
    const e = this.entries.get(path);
    if (!e || e.size !== size) {
      this.stats.misses++;
      return undefined;
    }
    if (e.mtimeMs !== mtimeMs) {
      if (contentHash(text) !== e.hash) {
        this.stats.misses++;
        return undefined;
      }
      e.mtimeMs = mtimeMs;
      this.dirty = true;
      this.stats.rehashed++;
    } else {
      this.stats.hits++;
    }
    e.seen = true;
    if (!e.analysis) {
      try {
        e.analysis = this.reader(e).next(text);
        if (!plausible(e.analysis, text)) throw new Error('offsets out of range');
      } catch {
        // A damaged entry behind a valid checksum should not happen; treat it as a miss and let it be redone.
        this.entries.delete(path);
        this.dirty = true;
        this.stats.misses++;
        return undefined;
      }
      e.at = undefined;
    }
    return e.analysis;
  }

  /** Records a fresh analysis (the hash is contentHash of the text, as the pool returns it). */
  put(path: string, size: number, mtimeMs: number, hash: string, analysis: DocAnalysis): void {
    this.entries.set(path, { size, mtimeMs, hash, analysis, seen: true });
    this.dirty = true;
  }

  delete(path: string): void {
    if (this.entries.delete(path)) this.dirty = true;
  }

  /** True when save() would write. */
  get changed(): boolean {
    return this.dirty && this.reusable;
  }

  /** A cache made by an analyser without a stable identity (run from sources) could never be read again. */
  private get reusable(): boolean {
    return !this.analyzer.startsWith('unbundled-');
  }

  /**
   * Writes the cache if anything changed. `prune` drops the files neither looked up nor put since opening (call it
   * after a complete scan, so that deleted files leave the cache). Never throws; returns whether it wrote.
   */
  save(options: { prune?: boolean } = {}): boolean {
    if (options.prune) this.prune();
    if (!this.dirty || !this.reusable) return false;
    try {
      const bytes = this.serialise();
      mkdirSync(this.options.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
      try {
        writeFileSync(tmp, bytes);
        renameSync(tmp, this.file);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
      this.dirty = false;
      removeOrphans(this.options.dir, this.file);
      return true;
    } catch {
      return false;
    }
  }

  /** Asynchronous save for hosts that must not block (the language server): same file, same checks. */
  async saveAsync(options: { prune?: boolean } = {}): Promise<boolean> {
    if (options.prune) this.prune();
    if (!this.dirty || !this.reusable) return false;
    try {
      const bytes = this.serialise();
      await fsp.mkdir(this.options.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
      try {
        await fsp.writeFile(tmp, bytes);
        await fsp.rename(tmp, this.file);
      } catch (e) {
        await fsp.rm(tmp, { force: true });
        throw e;
      }
      this.dirty = false;
      removeOrphans(this.options.dir, this.file);
      return true;
    } catch {
      return false;
    }
  }

  private prune() {
    for (const [p, e] of this.entries) {
      if (!e.seen) {
        this.entries.delete(p);
        this.dirty = true;
      }
    }
  }

  private reader(e: Entry): AnalysisReader {
    return new AnalysisReader(this.loaded!).at(e.at!);
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    let buf: Buffer;
    try {
      buf = readFileSync(this.file);
    } catch (e) {
      this.stats.discarded = `unreadable: ${(e as Error).message}`;
      return;
    }
    const why = this.parse(buf);
    if (why) {
      this.entries.clear();
      this.loaded = undefined;
      this.stats.discarded = why;
      this.dirty = true; // rewrite it at the next save
    }
  }

  /** Reads the file; returns why it cannot be used, or undefined. */
  private parse(buf: Buffer): string | undefined {
    if (buf.length < PREFIX) return 'truncated';
    if (buf.readUInt32LE(0) !== MAGIC) return 'not a cache file';
    if (buf.readUInt32LE(4) !== CACHE_FORMAT) return `format ${buf.readUInt32LE(4)}, expected ${CACHE_FORMAT}`;
    const headerLength = buf.readUInt32LE(8);
    if (crc32(buf.subarray(CHECKED)) !== buf.readUInt32LE(12)) return 'checksum mismatch';
    const headerAt = PREFIX + buf.readUInt32LE(16);
    if (headerAt + headerLength > buf.length) return 'truncated';
    let header: Header;
    try {
      header = JSON.parse(buf.toString('utf8', headerAt, headerAt + headerLength));
    } catch {
      return 'unreadable header';
    }
    if (header.analyzer !== this.analyzer) return 'made by another analyser version';
    if (header.root !== this.options.root) return 'made for another root';
    const floatsAt = align8(headerAt + headerLength);
    const intsAt = floatsAt + header.floats * 8;
    if (intsAt + header.ints * 4 !== buf.length) return 'truncated';
    // Copy into aligned typed arrays (a Buffer's offset into its pool need not be aligned).
    const floats = new Float64Array(header.floats);
    new Uint8Array(floats.buffer).set(buf.subarray(floatsAt, intsAt));
    const ints = new Int32Array(header.ints);
    new Uint8Array(ints.buffer).set(buf.subarray(intsAt, intsAt + header.ints * 4));
    this.loaded = { ints, floats, strings: header.strings };
    for (const [path, size, mtimeMs, hash, intAt, floatAt] of header.files) {
      this.entries.set(path, { size, mtimeMs, hash, at: [intAt, floatAt], seen: false });
    }
    return undefined;
  }

  private serialise(): Buffer {
    const analyses: DocAnalysis[] = [];
    // An entry never built is rebuilt without its text: encoding only needs offsets, not the sliced strings.
    for (const e of this.entries.values()) analyses.push(e.analysis ?? this.reader(e).next(''));
    const enc = encodeAnalyses(analyses);
    // Per-document positions, found by walking the encoded batch once.
    const walker = new AnalysisReader(enc);
    const files: Header['files'] = [];
    for (const [p, e] of this.entries) {
      const [intAt, floatAt] = walker.position;
      walker.skip();
      files.push([p, e.size, e.mtimeMs, e.hash, intAt, floatAt]);
    }
    const header: Header = {
      root: this.options.root,
      analyzer: this.analyzer,
      files,
      strings: enc.strings,
      ints: enc.ints.length,
      floats: enc.floats.length,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const rootBytes = Buffer.from(this.options.root, 'utf8');
    const floatsAt = align8(PREFIX + rootBytes.length + headerBytes.length);
    const total = floatsAt + enc.floats.byteLength + enc.ints.byteLength;
    const out = Buffer.alloc(total);
    out.writeUInt32LE(MAGIC, 0);
    out.writeUInt32LE(CACHE_FORMAT, 4);
    out.writeUInt32LE(headerBytes.length, 8);
    out.writeUInt32LE(rootBytes.length, 16);
    rootBytes.copy(out, PREFIX);
    headerBytes.copy(out, PREFIX + rootBytes.length);
    Buffer.from(enc.floats.buffer, enc.floats.byteOffset, enc.floats.byteLength).copy(out, floatsAt);
    Buffer.from(enc.ints.buffer, enc.ints.byteOffset, enc.ints.byteLength).copy(out, floatsAt + enc.floats.byteLength);
    out.writeUInt32LE(crc32(out.subarray(CHECKED)), 12);
    return out;
  }
}

/** The cache file of a root: inside `dir`, named by a hash of the root, so never anywhere else. */
export function cacheFileFor(dir: string, root: string): string {
  const name = createHash('sha1').update(root).digest('hex').slice(0, 20);
  return join(resolve(dir), `index-${name}.cnc`);
}

let analyzerVersion: string | undefined;

/**
 * The analyser's identity: a hash of the worker bundle next to the running bundle (dist/worker.js holds the whole
 * analyser), so that a rebuilt analyser never reuses analyses made by an older one. Run from sources (tests, tsx)
 * there is no bundle to hash, and the identity is unique to the process: nothing cached is ever reused there.
 */
export function defaultAnalyzerVersion(): string {
  if (analyzerVersion) return analyzerVersion;
  try {
    analyzerVersion = createHash('sha1').update(readFileSync(join(__dirname, 'worker.js'))).digest('base64url');
  } catch {
    analyzerVersion = `unbundled-${process.pid}-${Date.now().toString(36)}`;
  }
  return analyzerVersion;
}

/**
 * Removes the caches in `dir` whose root folder no longer exists (scans of temporary folders would otherwise pile
 * up in the user's cache folder), and temp files a crashed writer left behind an hour ago or more. Only files this
 * module names (index-*.cnc and their temp files) are ever touched. Never throws.
 */
function removeOrphans(dir: string, keep: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = join(resolve(dir), name);
    if (file === keep || !/^index-[0-9a-f]{20}\.cnc(\.\d+\.[0-9a-z]+\.tmp)?$/.test(name)) continue;
    try {
      if (name.endsWith('.tmp')) {
        if (Date.now() - statSync(file).mtimeMs > 3600_000) rmSync(file, { force: true });
        continue;
      }
      const root = rootOf(file);
      if (root !== undefined && isAbsolute(root) && !existsSync(root)) rmSync(file, { force: true });
    } catch {
      // another process may be writing or removing it: leave it
    }
  }
}

/** The root a cache file describes, read from its prefix alone. */
function rootOf(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const prefix = Buffer.alloc(PREFIX);
    if (readSync(fd, prefix, 0, PREFIX, 0) < PREFIX || prefix.readUInt32LE(0) !== MAGIC || prefix.readUInt32LE(4) !== CACHE_FORMAT) return undefined;
    const length = prefix.readUInt32LE(16);
    if (length > 64 * 1024) return undefined;
    const root = Buffer.alloc(length);
    if (readSync(fd, root, 0, length, PREFIX) < length) return undefined;
    return root.toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** A cheap sanity check of decoded offsets against the text they index. */
function plausible(a: DocAnalysis, text: string): boolean {
  const n = text.length;
  for (const m of a.mentions) if (!(m.start >= 0 && m.start < m.end && m.end <= n)) return false;
  for (const q of a.quotes) if (!(q.start >= 0 && q.start <= q.end && q.end <= n)) return false;
  return true;
}
