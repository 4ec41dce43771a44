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
  writeSync,
  promises as fsp,
} from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { documentClaims, type DocClaims } from '../core/aliases';
import type { DocAnalysis, NameForm } from '../core/model';
import { unshared } from '../core/text';
import { AnalysisReader, encodeAnalyses, type EncodedAnalyses } from './analysisCodec';
import { encodedFormOf } from './pool';
import { contentHash } from './readText';

const MAGIC = 0x43494e43; // "CNIC"
export const CACHE_FORMAT = 3;
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

/**
 * Encoded rows (analysisCodec.ts layout) whose string ids index the cache's one string table: the loaded file's, or
 * one put() appends to. Only this compact form is kept: a decoded analysis would keep its document's text alive
 * (Mention.text is a slice of it) until the next save.
 */
interface Segment {
  ints: Int32Array;
  floats: Float64Array;
  /** How much of the arrays is used. */
  i: number;
  f: number;
}

interface Entry {
  size: number;
  mtimeMs: number;
  hash: string;
  seg: Segment;
  /** Where the encoded analysis (and its claims) starts in `seg`. */
  at: [number, number];
  /** Looked up or put since the cache was opened (entries not seen are pruned on save). */
  seen: boolean;
}

/** Appended segments double up to this many ints, then a new one starts (no copy of everything put so far). */
const SEGMENT_INTS = 1 << 20;

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
  /** Every string id in every segment indexes this; `ids` is built on the first put. */
  private strings: string[] = [];
  private ids?: Map<string, number>;
  private tail?: Segment;
  /** Counts put() calls: string ids a save renumbers must not be mixed with ones put meanwhile. */
  private puts = 0;
  private dirty = false;
  /** Counts changes, so that a change made while an asynchronous save writes is not forgotten by it. */
  private changes = 0;
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
   * `text`. The text is hashed only when the mtime differs (unless `hashChecked`: whoever read the file compared its
   * hash with `known(path)` already); it is also what the mentions' `text` are sliced from.
   */
  lookup(path: string, size: number, mtimeMs: number, text: string, hashChecked = false): DocAnalysis | undefined {
    const e = this.entries.get(path);
    if (!e || e.size !== size) {
      this.stats.misses++;
      return undefined;
    }
    if (e.mtimeMs !== mtimeMs) {
      if (!hashChecked && contentHash(text) !== e.hash) {
        this.stats.misses++;
        return undefined;
      }
      e.mtimeMs = mtimeMs;
      this.touch();
      this.stats.rehashed++;
    } else {
      this.stats.hits++;
    }
    e.seen = true;
    // Decoded afresh for every lookup and not kept: the index holds the analysis; the cache keeps its encoded form.
    // Its claims come attached (aliases.ts takeClaims), so the index does not compute them again.
    try {
      const analysis = this.reader(e).next(text);
      if (!plausible(analysis, text)) throw new Error('offsets out of range');
      return analysis;
    } catch {
      // A damaged entry behind a valid checksum should not happen; treat it as a miss and let it be redone.
      this.entries.delete(path);
      this.touch();
      this.stats.misses++;
      return undefined;
    }
  }

  /** What the cache knows of a file (size, mtime, content hash), for a reader elsewhere to check the file against. */
  known(path: string): { size: number; mtimeMs: number; hash: string } | undefined {
    const e = this.entries.get(path);
    return e && { size: e.size, mtimeMs: e.mtimeMs, hash: e.hash };
  }

  /** Records a fresh analysis (the hash is contentHash of the text, as the pool returns it) and its claims when
   *  known (else they are computed here). Only its encoded form is kept, not `analysis`. */
  put(path: string, size: number, mtimeMs: number, hash: string, analysis: DocAnalysis, claims?: DocClaims): void {
    // A worker's analysis: copy its rows from the batch it came in (its claims are in them when the worker made any).
    let src = encodedFormOf(analysis);
    let fresh = false;
    if (!src) {
      let c = claims;
      if (!c) {
        try {
          c = documentClaims(analysis);
        } catch {
          c = undefined; // the index computes them again on load, and reports why they fail
        }
      }
      src = { enc: encodeAnalyses([analysis], [c]), at: [0, 0] };
      fresh = true;
    }
    const [seg, at] = this.append(src.enc, src.at, fresh);
    this.entries.set(path, { size, mtimeMs, hash, seg, at, seen: true });
    this.puts++;
    this.touch();
  }

  /** Copies one encoded document into the tail segment, its string ids turned into the cache's. */
  private append(enc: EncodedAnalyses, from: [number, number], fresh: boolean): [Segment, [number, number]] {
    const [i0, f0] = from;
    const r = new AnalysisReader(enc).at(from);
    r.skip();
    const [i1, f1] = r.position;
    const ni = i1 - i0, nf = f1 - f0;
    const seg = this.room(ni, nf);
    const at: [number, number] = [seg.i, seg.f];
    seg.ints.set(enc.ints.subarray(i0, i1), seg.i);
    seg.floats.set(enc.floats.subarray(f0, f1), seg.f);
    // Strings of an analysis made in this thread may be slices of its document: flattened, so they do not keep it.
    const memo = fresh ? undefined : this.memo(enc);
    remapStrings(seg.ints, seg.i, (id) => {
      if (memo && memo[id] >= 0) return memo[id];
      const own = this.intern(enc.strings[id], fresh);
      if (memo) memo[id] = own;
      return own;
    });
    seg.i += ni;
    seg.f += nf;
    return [seg, at];
  }

  /**
   * Which of a batch's string ids this cache has interned, as which (-1: not yet); forgotten when a save renumbers.
   * Keyed by the string list, not the batch: every batch of one worker shares one list that grows (analysisCodec.ts),
   * so a string is interned once per worker, not once per batch.
   */
  private memos = new WeakMap<readonly string[], Int32Array>();
  private memo(enc: EncodedAnalyses): Int32Array {
    const list = enc.strings;
    let memo = this.memos.get(list);
    if (!memo || memo.length < list.length) {
      const grown = new Int32Array(Math.max(list.length, (memo?.length ?? 0) * 2)).fill(-1);
      if (memo) grown.set(memo);
      this.memos.set(list, (memo = grown));
    }
    return memo;
  }

  private intern(s: string, copy: boolean): number {
    if (!this.ids) {
      this.ids = new Map();
      for (let k = 0; k < this.strings.length; k++) this.ids.set(this.strings[k], k);
    }
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      const own = copy ? unshared(s) : s;
      this.strings.push(own);
      this.ids.set(own, id);
    }
    return id;
  }

  /** The tail segment, with room for `ni` ints and `nf` floats. */
  private room(ni: number, nf: number): Segment {
    const s = this.tail;
    if (s && s.i + ni <= s.ints.length && s.f + nf <= s.floats.length) return s;
    if (s && s.ints.length < SEGMENT_INTS) {
      const ints = new Int32Array(Math.max(s.ints.length * 2, s.i + ni));
      ints.set(s.ints.subarray(0, s.i));
      const floats = new Float64Array(Math.max(s.floats.length * 2, s.f + nf));
      floats.set(s.floats.subarray(0, s.f));
      s.ints = ints;
      s.floats = floats;
      return s;
    }
    const next: Segment = { ints: new Int32Array(Math.max(s ? SEGMENT_INTS : 4096, ni)), floats: new Float64Array(Math.max(s ? SEGMENT_INTS / 8 : 512, nf)), i: 0, f: 0 };
    this.tail = next;
    return next;
  }

  delete(path: string): void {
    if (this.entries.delete(path)) this.touch();
  }

  private touch(): void {
    this.dirty = true;
    this.changes++;
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
      const { pieces, adopt } = this.serialise();
      mkdirSync(this.options.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
      try {
        const fd = openSync(tmp, 'w');
        try {
          for (const piece of pieces) for (let at = 0; at < piece.length; ) at += writeSync(fd, piece, at);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, this.file);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
      adopt();
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
      const changes = this.changes;
      const { pieces, adopt } = this.serialise();
      await fsp.mkdir(this.options.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
      try {
        await fsp.writeFile(tmp, pieces);
        await fsp.rename(tmp, this.file);
      } catch (e) {
        await fsp.rm(tmp, { force: true });
        throw e;
      }
      adopt();
      // Entries put or looked up again while writing: still to be written next time.
      if (this.changes === changes) this.dirty = false;
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
        this.touch();
      }
    }
  }

  private reader(e: Entry): AnalysisReader {
    return new AnalysisReader({ ints: e.seg.ints, floats: e.seg.floats, strings: this.strings }).at(e.at);
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
      this.strings = [];
      this.stats.discarded = why;
      this.touch(); // rewrite it at the next save
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
    const seg: Segment = { ints, floats, i: ints.length, f: floats.length };
    this.strings = header.strings;
    for (const [path, size, mtimeMs, hash, intAt, floatAt] of header.files) {
      this.entries.set(path, { size, mtimeMs, hash, seg, at: [intAt, floatAt], seen: false });
    }
    return undefined;
  }

  /**
   * The file's bytes in pieces, and `adopt`, to call once they are written. Each live entry's rows are copied as
   * they are (nothing is decoded), with the strings renumbered so that only those still used are written; `adopt`
   * then makes that compact copy the cache's only one (unless something was put meanwhile: its ids are the old ones).
   */
  private serialise(): { pieces: Buffer[]; adopt: () => void } {
    let ni = 0, nf = 0;
    const spans: Array<[i0: number, i1: number, f0: number, f1: number]> = [];
    for (const e of this.entries.values()) {
      const r = this.reader(e);
      r.skip();
      const [i1, f1] = r.position;
      spans.push([e.at[0], i1, e.at[1], f1]);
      ni += i1 - e.at[0];
      nf += f1 - e.at[1];
    }
    const ints = new Int32Array(ni);
    const floats = new Float64Array(nf);
    const strings: string[] = [];
    const renumber = new Int32Array(this.strings.length).fill(-1);
    const files: Header['files'] = [];
    const positions: Array<[number, number]> = [];
    let i = 0, f = 0, k = 0;
    for (const [p, e] of this.entries) {
      const [i0, i1, f0, f1] = spans[k++];
      ints.set(e.seg.ints.subarray(i0, i1), i);
      floats.set(e.seg.floats.subarray(f0, f1), f);
      remapStrings(ints, i, (id) => {
        if (renumber[id] < 0) {
          renumber[id] = strings.length;
          strings.push(this.strings[id]);
        }
        return renumber[id];
      });
      files.push([p, e.size, e.mtimeMs, e.hash, i, f]);
      positions.push([i, f]);
      i += i1 - i0;
      f += f1 - f0;
    }
    const entries = [...this.entries.values()];
    const puts = this.puts;
    const adopt = () => {
      if (this.puts !== puts) return;
      const seg: Segment = { ints, floats, i: ints.length, f: floats.length };
      this.strings = strings;
      this.ids = undefined;
      this.memos = new WeakMap();
      this.tail = undefined;
      entries.forEach((e, n) => {
        e.seg = seg;
        e.at = positions[n];
      });
    };
    const header: Header = { root: this.options.root, analyzer: this.analyzer, files, strings, ints: ints.length, floats: floats.length };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const rootBytes = Buffer.from(this.options.root, 'utf8');
    const floatsAt = align8(PREFIX + rootBytes.length + headerBytes.length);
    const head = Buffer.alloc(floatsAt);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(CACHE_FORMAT, 4);
    head.writeUInt32LE(headerBytes.length, 8);
    head.writeUInt32LE(rootBytes.length, 16);
    rootBytes.copy(head, PREFIX);
    headerBytes.copy(head, PREFIX + rootBytes.length);
    const floatBytes = Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
    const intBytes = Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength);
    head.writeUInt32LE(crc32(intBytes, crc32(floatBytes, crc32(head.subarray(CHECKED)))), 12);
    return { pieces: [head, floatBytes, intBytes], adopt };
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

/**
 * Replaces every string id of the encoded document at `i` with `map(id)` (absent ones, -1, stay). Mirrors the row
 * layout of analysisCodec.ts encodeAnalyses; test/server/node/cache.test.ts checks the two agree.
 */
function remapStrings(ints: Int32Array, i: number, map: (id: number) => number): void {
  const m = (at: number) => {
    if (ints[at] !== NONE) ints[at] = map(ints[at]);
  };
  const nm = ints[i], nq = ints[i + 1], nr = ints[i + 2], np = ints[i + 3];
  i += 4;
  for (let k = 0; k < nm; k++, i += 8) {
    if (ints[i + 3] >= FORM_STRINGS) ints[i + 3] = map(ints[i + 3] - FORM_STRINGS) + FORM_STRINGS;
    m(i + 4);
    m(i + 5);
    m(i + 6);
    m(i + 7);
  }
  for (let k = 0; k < nq; k++, i += 6) {
    m(i + 4);
    m(i + 5);
  }
  for (let k = 0; k < nr; k++, i += 3) {
    m(i + 1);
    m(i + 2);
  }
  for (let k = 0; k < np; k++, i += 4) m(i);
  const nc = ints[i++];
  if (nc === NONE) return;
  for (let k = 0; k < nm + nc; k++, i += 3) {
    m(i);
    m(i + 1);
  }
}

const NONE = -1;

/** Where the codec's ids of unlisted name forms start (its list of known forms is not exported): found by encoding
 *  one mention whose form is unknown, so it stays right if that list changes. */
const FORM_STRINGS = (() => {
  const probe = '\u0000form';
  const enc = encodeAnalyses([{ mentions: [{ start: 0, end: 1, text: 'x', type: 'person', form: probe as NameForm, name: 'x', rule: 'x', confidence: 1 }], quotes: [], roles: [], problems: [] }]);
  return enc.ints[7] - enc.strings.indexOf(probe);
})();


/** A cheap sanity check of decoded offsets against the text they index. */
function plausible(a: DocAnalysis, text: string): boolean {
  const n = text.length;
  for (const m of a.mentions) if (!(m.start >= 0 && m.start < m.end && m.end <= n)) return false;
  for (const q of a.quotes) if (!(q.start >= 0 && q.start <= q.end && q.end <= n)) return false;
  return true;
}
