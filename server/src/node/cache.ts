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
  fstatSync,
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
  /** Order of creation: a save writes entries in the order of their rows, so that each spilled segment is read once. */
  seq: number;
  /** Once written to the spill file (its arrays let go): where its `i` ints start there, then its `f` floats (bytes). */
  spilled?: number;
}

interface Entry {
  size: number;
  mtimeMs: number;
  hash: string;
  seg: Segment;
  // Numbers in the entry itself, not pairs in arrays of their own: 22,535 entries at 100 MB of articles, and two
  // arrays each were 2.9 MB of the server's heap at the cold scan's peak.
  /** Where the encoded analysis (and its claims) starts in `seg`: its ints, its floats. */
  iAt: number;
  fAt: number;
  /** Looked up or put since the cache was opened (entries not seen are pruned on save). */
  seen: boolean;
  /** How many ints and floats the encoded analysis spans (set by put; -1 until measured for loaded entries). */
  ni: number;
  nf: number;
}

/** Appended segments double up to this many ints, then a new one starts (no copy of everything put so far); a full
 *  one is written to the spill file and let go. The segment being filled is in memory at the cold scan's peak: 1 MB
 *  of ints (and 256 KB of floats), not 4 + 1 MB, for a few more writes to the spill file (~70 at 100 MB of articles). */
const SEGMENT_INTS = 1 << 18;

/** Bytes a save writes at a time (its only buffer: the rows themselves are never copied whole). */
const CHUNK_BYTES = 1 << 20;

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
  /**
   * Every string id in every segment indexes this. A string may be listed more than once while the cache is filled
   * (`repeats`): a worker's strings are taken in through its own memo (`memos`), without a corpus-wide string → id
   * map, since the index keeps one of the same strings already (83,000 of them at 100 MB of articles: a 3.7 MB map at
   * the scan's peak). A save lists each string once.
   */
  private strings: string[] = [];
  /** Ids of the strings of analyses made in this thread (which have no memo): a few hundred documents a scan. */
  private freshIds = new Map<string, number>();
  /** Some string is listed twice (see `strings`). */
  private repeats = false;
  private tail?: Segment;
  private segments = 0;
  /** Where full segments go (see Spill); undefined until the first one fills, false when it cannot be made. */
  private spill?: Spill | false;
  /** Some rows no longer belong to any entry (replaced, deleted, pruned): a save writes only the strings still used. */
  private dead = false;
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
      this.dead = true;
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
    const e = this.append(src.enc, src.at, fresh, size, mtimeMs, hash);
    if (this.entries.has(path)) this.dead = true;
    this.entries.set(path, e);
    this.touch();
  }

  /** Copies one encoded document into the tail segment, its string ids turned into the cache's: the entry for it. */
  private append(enc: EncodedAnalyses, from: [number, number], fresh: boolean, size: number, mtimeMs: number, hash: string): Entry {
    const [i0, f0] = from;
    const r = new AnalysisReader(enc).at(from);
    r.skip();
    const [i1, f1] = r.position;
    const ni = i1 - i0, nf = f1 - f0;
    const seg = this.room(ni, nf);
    const e: Entry = { size, mtimeMs, hash, seg, iAt: seg.i, fAt: seg.f, seen: true, ni, nf };
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
    return e;
  }

  /**
   * Which of a batch's string ids this cache has interned, as which (-1: not yet).
   * Keyed by the string list, not the batch: every batch of one worker shares one list that grows (analysisCodec.ts),
   * so a string is interned once per worker, not once per batch.
   */
  private readonly memos = new WeakMap<readonly string[], Int32Array>();
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

  /** A new id for a string the caller's memo does not know (`copy`: an analysis made in this thread, whose strings
   *  are looked up among those of the other such analyses; the worker's memo knows the others). */
  private intern(s: string, copy: boolean): number {
    let id = copy ? this.freshIds.get(s) : undefined;
    if (id === undefined) {
      id = this.strings.length;
      const own = copy ? unshared(s) : s;
      this.strings.push(own);
      if (copy) this.freshIds.set(own, id);
      // The file read at start lists each string once; anything added since may repeat one of them or another's.
      this.repeats = true;
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
    // A cold scan of 100 MB of articles puts ~70 MB of rows: kept in memory until the save, they stood at the
    // server's peak. A full segment goes to the spill file instead, and is read back from there when needed.
    if (s) this.spillSegment(s);
    const next: Segment = { ints: new Int32Array(Math.max(s ? SEGMENT_INTS : 4096, ni)), floats: new Float64Array(Math.max(s ? SEGMENT_INTS / 8 : 512, nf)), i: 0, f: 0, seq: ++this.segments };
    this.tail = next;
    return next;
  }

  private spillSegment(seg: Segment): void {
    if (this.spill === undefined) this.spill = Spill.open(this.options.dir, this.file) ?? false;
    if (!this.spill) return;
    const at = this.spill.append(seg.ints.subarray(0, seg.i), seg.floats.subarray(0, seg.f));
    if (at === undefined) return; // kept in memory, as it was
    seg.spilled = at;
    seg.ints = EMPTY_INTS;
    seg.floats = EMPTY_FLOATS;
  }

  delete(path: string): void {
    if (this.entries.delete(path)) {
      this.dead = true;
      this.touch();
    }
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
  /**
   * Lets go of the spill file (its disk space is given back at once). For a cache that is done with: entries whose rows
   * were spilled cannot be read after this. Saving first is the caller's business.
   */
  dispose(): void {
    if (this.spill) this.spill.close();
    this.spill = false;
  }

  save(options: { prune?: boolean } = {}): boolean {
    if (options.prune) this.prune();
    if (!this.dirty || !this.reusable) return false;
    try {
      const plan = this.plan();
      mkdirSync(this.options.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
      try {
        const fd = openSync(tmp, 'w');
        try {
          const put = (b: Uint8Array, position?: number) => {
            for (let at = 0; at < b.length; ) at += writeSync(fd, b, at, b.length - at, position === undefined ? null : position + at);
          };
          for (const piece of this.pieces(plan)) put(piece);
          put(plan.crc(), 12);
        } finally {
          closeSync(fd);
        }
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
      const changes = this.changes;
      const plan = this.plan();
      await fsp.mkdir(this.options.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
      try {
        const handle = await fsp.open(tmp, 'w');
        try {
          // One piece at a time (a piece is a view of a buffer the next one reuses: written before it is made).
          const put = async (b: Uint8Array, position?: number) => {
            for (let at = 0; at < b.length; ) at += (await handle.write(b, at, b.length - at, position === undefined ? null : position + at)).bytesWritten;
          };
          for (const piece of this.pieces(plan)) await put(piece);
          await put(plan.crc(), 12);
        } finally {
          await handle.close();
        }
        await fsp.rename(tmp, this.file);
      } catch (e) {
        await fsp.rm(tmp, { force: true });
        throw e;
      }
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
        this.dead = true;
        this.touch();
      }
    }
  }

  private reader(e: Entry): AnalysisReader {
    const seg = e.seg;
    if (seg.spilled === undefined || !this.spill) return new AnalysisReader({ ints: seg.ints, floats: seg.floats, strings: this.strings }).at([e.iAt, e.fAt]);
    // Only put() makes entries in a spilled segment, and it records their extent.
    const ints = this.spill.ints(seg, e.iAt, e.ni);
    const floats = this.spill.floats(seg, e.fAt, e.nf);
    return new AnalysisReader({ ints, floats, strings: this.strings }).at([0, 0]);
  }

  /** Records how many ints and floats a loaded entry's encoded analysis spans (put records it for its own). */
  private measure(e: Entry): void {
    if (e.ni >= 0) return;
    const r = this.reader(e);
    r.skip();
    const [i1, f1] = r.position;
    e.ni = i1 - e.iAt;
    e.nf = f1 - e.fAt;
  }

  /**
   * What a save writes: the live entries in the order of their rows (so that each spilled segment is read once per
   * pass), where each goes in the file, and the strings they use — renumbered only when some rows died (a cold scan's
   * strings are all used, and then the rows are written as they are). The rows are not copied here: `pieces` reads
   * them a chunk at a time as they are written, so a save holds no second copy of the cache (~70 MB at 100 MB of text).
   */
  private plan(): SavePlan {
    const live: LiveRows[] = [];
    for (const [path, e] of this.entries) {
      this.measure(e);
      live.push({ path, size: e.size, mtimeMs: e.mtimeMs, hash: e.hash, seg: e.seg, iAt: e.iAt, fAt: e.fAt, ni: e.ni, nf: e.nf });
    }
    live.sort((a, b) => a.seg.seq - b.seg.seq || a.iAt - b.iAt);
    let strings: string[];
    let renumber: Int32Array | undefined;
    if (!this.dead && !this.repeats) strings = this.strings.slice();
    else {
      // Each string once, at the first id that has it (a map for the save only: see `strings`).
      const used: string[] = [];
      const byValue = new Map<string, number>();
      const ids = new Int32Array(this.strings.length).fill(-1);
      const take = (id: number) => {
        if (ids[id] < 0) {
          const s = this.strings[id];
          let to = byValue.get(s);
          if (to === undefined) {
            to = used.length;
            used.push(s);
            byValue.set(s, to);
          }
          ids[id] = to;
        }
        return ids[id];
      };
      if (this.dead) {
        // Only the strings some live row uses.
        const scratch = new Rows(() => this.spill);
        for (const r of live) remapStrings(scratch.intsOf(r, true), 0, take);
      } else {
        // Every string is used by some row when none died.
        for (let id = 0; id < this.strings.length; id++) take(id);
      }
      strings = used;
      renumber = ids;
    }
    const files: Header['files'] = [];
    let ni = 0, nf = 0;
    for (const r of live) {
      files.push([r.path, r.size, r.mtimeMs, r.hash, ni, nf]);
      ni += r.ni;
      nf += r.nf;
    }
    const header: Header = { root: this.options.root, analyzer: this.analyzer, files, strings, ints: ni, floats: nf };
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
    let sum = 0;
    return {
      head,
      live,
      renumber,
      sum: (piece) => (sum = crcOn(piece, sum)),
      crc: () => {
        const b = Buffer.alloc(4);
        b.writeUInt32LE(sum, 0);
        return b;
      },
    };
  }

  /**
   * The file's bytes after `plan`, in file order (the prefix's checksum is written last, over them): the head, every
   * entry's floats, then every entry's ints with their strings renumbered. Each piece is a view of one reused buffer:
   * write it before asking for the next.
   */
  private *pieces(plan: SavePlan): Generator<Uint8Array> {
    plan.sum(plan.head.subarray(CHECKED));
    yield plan.head;
    const chunk = new Uint8Array(CHUNK_BYTES);
    const rows = new Rows(() => this.spill);
    let used = 0;
    const flush = function* () {
      if (used === 0) return;
      const piece = chunk.subarray(0, used);
      plan.sum(piece);
      used = 0;
      yield piece;
    };
    for (const r of plan.live) {
      const src = rows.floatsOf(r);
      const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
      for (let k = 0; k < bytes.length; ) {
        if (used === chunk.length) yield* flush();
        const n = Math.min(bytes.length - k, chunk.length - used);
        chunk.set(bytes.subarray(k, k + n), used);
        used += n;
        k += n;
      }
    }
    yield* flush();
    const renumber = plan.renumber;
    for (const r of plan.live) {
      const bytes = r.ni * 4;
      if (used + bytes > chunk.length) yield* flush();
      // An entry is renumbered where it lies in the chunk (a document larger than the chunk gets its own copy).
      const ints = bytes <= chunk.length ? new Int32Array(chunk.buffer, used, r.ni) : new Int32Array(r.ni);
      ints.set(rows.intsOf(r, false));
      if (renumber) remapStrings(ints, 0, (id) => renumber[id]);
      if (bytes <= chunk.length) used += bytes;
      else {
        const piece = new Uint8Array(ints.buffer);
        plan.sum(piece);
        yield piece;
      }
    }
    yield* flush();
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r');
      const why = this.parse(fd);
      if (why) {
        this.entries.clear();
        this.strings = [];
        this.stats.discarded = why;
        this.touch(); // rewrite it at the next save
      }
    } catch (e) {
      this.entries.clear();
      this.strings = [];
      this.stats.discarded = `unreadable: ${(e as Error).message}`;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * Reads the file; returns why it cannot be used, or undefined. The rows are read straight into the typed arrays
   * that keep them, not the whole file into a buffer first (that was twice the cache's size at once).
   */
  private parse(fd: number): string | undefined {
    const length = fstatSync(fd).size;
    if (length < PREFIX) return 'truncated';
    const prefix = readAt(fd, Buffer.alloc(PREFIX), 0);
    if (prefix.readUInt32LE(0) !== MAGIC) return 'not a cache file';
    if (prefix.readUInt32LE(4) !== CACHE_FORMAT) return `format ${prefix.readUInt32LE(4)}, expected ${CACHE_FORMAT}`;
    const expected = prefix.readUInt32LE(12);
    const headerLength = prefix.readUInt32LE(8);
    const headerAt = PREFIX + prefix.readUInt32LE(16);
    const floatsAt = align8(headerAt + headerLength);
    if (floatsAt > length) return crcOf(fd, prefix, length) === expected ? 'truncated' : 'checksum mismatch';
    const head = readAt(fd, Buffer.alloc(floatsAt), 0);
    let header: Header | undefined;
    try {
      header = JSON.parse(head.toString('utf8', headerAt, headerAt + headerLength));
    } catch {
      header = undefined;
    }
    const layout = !!header && Number.isSafeInteger(header.floats) && Number.isSafeInteger(header.ints) && header.floats >= 0 && header.ints >= 0;
    if (!layout || floatsAt + header!.floats * 8 + header!.ints * 4 !== length) {
      if (crcOf(fd, prefix, length) !== expected) return 'checksum mismatch';
      return header ? 'truncated' : 'unreadable header';
    }
    const h = header!;
    // Checked before the rows are read: after every update of the analyser the whole file (~70 MB at 100 MB of text)
    // would be read and checksummed only to be thrown away. (A header damaged into another version or root is
    // refused all the same, under that reason.)
    if (h.analyzer !== this.analyzer) return 'made by another analyser version';
    if (h.root !== this.options.root) return 'made for another root';
    const floats = new Float64Array(h.floats);
    const ints = new Int32Array(h.ints);
    readAt(fd, new Uint8Array(floats.buffer), floatsAt);
    readAt(fd, new Uint8Array(ints.buffer), floatsAt + h.floats * 8);
    if (crcOn(new Uint8Array(ints.buffer), crcOn(new Uint8Array(floats.buffer), crc32(head.subarray(CHECKED)))) !== expected) return 'checksum mismatch';
    const seg: Segment = { ints, floats, i: ints.length, f: floats.length, seq: 0 };
    this.strings = h.strings;
    for (const [path, size, mtimeMs, hash, intAt, floatAt] of h.files) {
      this.entries.set(path, { size, mtimeMs, hash, seg, iAt: intAt, fAt: floatAt, seen: false, ni: -1, nf: -1 });
    }
    return undefined;
  }
}

interface LiveRows {
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  seg: Segment;
  iAt: number;
  fAt: number;
  ni: number;
  nf: number;
}

interface SavePlan {
  head: Buffer;
  live: LiveRows[];
  /** Old string id → new, when the strings are renumbered. */
  renumber?: Int32Array;
  /** Adds a piece to the checksum (in file order). */
  sum(piece: Uint8Array): void;
  /** The checksum's four bytes, once every piece was summed. */
  crc(): Buffer;
}

const EMPTY_INTS: Int32Array = new Int32Array(0);
const EMPTY_FLOATS: Float64Array = new Float64Array(0);

/**
 * The rows of one entry for a save, from memory or the spill file; a spilled segment is read whole, once, while the
 * save goes through its entries (they come in the order of their rows). Read at the time of the call: a segment
 * spilled while an asynchronous save waits is then read from the file. Every segment is read into the same two
 * buffers: a new pair for each would be ~70 MB of short-lived memory per save at 100 MB of text.
 */
class Rows {
  private seg?: Segment;
  private ints: Int32Array = EMPTY_INTS;
  private floats: Float64Array = EMPTY_FLOATS;
  private intsBuffer: Int32Array = EMPTY_INTS;
  private floatsBuffer: Float64Array = EMPTY_FLOATS;
  private intsRead = false;
  private floatsRead = false;
  /** The cache's spill file as it is when read (a segment may be spilled while an asynchronous save waits). */
  constructor(private readonly spill: () => Spill | false | undefined) {}

  private of(seg: Segment) {
    if (this.seg !== seg) {
      this.seg = seg;
      this.ints = EMPTY_INTS;
      this.floats = EMPTY_FLOATS;
      this.intsRead = this.floatsRead = false;
    }
  }

  /** The entry's ints; `copy`: a copy the caller may change. */
  intsOf(r: LiveRows, copy: boolean): Int32Array {
    const seg = r.seg;
    let from: Int32Array;
    const at = r.iAt;
    if (seg.spilled === undefined) from = seg.ints;
    else {
      this.of(seg);
      if (!this.intsRead) {
        const spill = this.spill();
        if (this.intsBuffer.length < seg.i) this.intsBuffer = new Int32Array(Math.max(SEGMENT_INTS, seg.i));
        this.ints = spill ? spill.ints(seg, 0, seg.i, this.intsBuffer) : EMPTY_INTS;
        this.intsRead = true;
      }
      from = this.ints;
    }
    const view = from.subarray(at, at + r.ni);
    if (view.length !== r.ni) throw new Error('cache rows missing');
    return copy ? view.slice() : view;
  }

  floatsOf(r: LiveRows): Float64Array {
    const seg = r.seg;
    let from: Float64Array;
    if (seg.spilled === undefined) from = seg.floats;
    else {
      this.of(seg);
      if (!this.floatsRead) {
        const spill = this.spill();
        if (this.floatsBuffer.length < seg.f) this.floatsBuffer = new Float64Array(Math.max(SEGMENT_INTS / 8, seg.f));
        this.floats = spill ? spill.floats(seg, 0, seg.f, this.floatsBuffer) : EMPTY_FLOATS;
        this.floatsRead = true;
      }
      from = this.floats;
    }
    const view = from.subarray(r.fAt, r.fAt + r.nf);
    if (view.length !== r.nf) throw new Error('cache rows missing');
    return view;
  }
}

/** Closes (and removes, where it could not be removed while open) the spill file of a cache that was let go. */
const spillFiles = new FinalizationRegistry<{ fd: number; path?: string }>(({ fd, path }) => {
  try {
    closeSync(fd);
    if (path) rmSync(path, { force: true });
  } catch {
    // nothing more to do
  }
});

/**
 * Where a cache's full segments go while it fills (a cold scan), in the cache folder: read back for a lookup of an
 * entry in one and by the save. Removed right after it is opened where the system allows it (the open handle keeps
 * it readable), else when the cache is let go; one a crash left behind is removed by a later save (removeOrphans).
 */
class Spill {
  private end = 0;
  private closed = false;
  private constructor(
    private readonly fd: number,
    private readonly kept: string | undefined,
  ) {}

  static open(dir: string, file: string): Spill | undefined {
    const path = `${file}.${process.pid}.${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}.spill`;
    let fd: number | undefined;
    try {
      mkdirSync(dir, { recursive: true });
      fd = openSync(path, 'wx+'); // never someone else's file of that name
      let kept: string | undefined;
      try {
        rmSync(path);
      } catch {
        kept = path;
      }
      const spill = new Spill(fd, kept);
      spillFiles.register(spill, { fd, path: kept }, spill);
      return spill;
    } catch {
      if (fd !== undefined) closeSync(fd);
      return undefined;
    }
  }

  /** Gives the file's space back now rather than whenever the collector gets to it (which may be never). Unregistered
   *  first: a finalizer running later would close a descriptor number that may by then be another file's. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    spillFiles.unregister(this);
    try {
      closeSync(this.fd);
      if (this.kept) rmSync(this.kept, { force: true });
    } catch {
      // nothing more to do
    }
  }

  /** Writes a segment's rows; returns where they start, or undefined when they could not be written. */
  append(ints: Int32Array, floats: Float64Array): number | undefined {
    const at = this.end;
    try {
      let pos = at;
      for (const a of [ints, floats]) {
        const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
        for (let k = 0; k < bytes.length; ) {
          const n = writeSync(this.fd, bytes, k, bytes.length - k, pos);
          k += n;
          pos += n;
        }
      }
      this.end = pos;
      return at;
    } catch {
      return undefined;
    }
  }

  /** `into`: a buffer to read into when it is large enough (the result is then a view of it). */
  ints(seg: Segment, from: number, count: number, into?: Int32Array): Int32Array {
    const out = into && into.length >= count ? into.subarray(0, count) : new Int32Array(count);
    readAt(this.fd, new Uint8Array(out.buffer, out.byteOffset, out.byteLength), seg.spilled! + from * 4);
    return out;
  }

  floats(seg: Segment, from: number, count: number, into?: Float64Array): Float64Array {
    const out = into && into.length >= count ? into.subarray(0, count) : new Float64Array(count);
    readAt(this.fd, new Uint8Array(out.buffer, out.byteOffset, out.byteLength), seg.spilled! + seg.i * 4 + from * 8);
    return out;
  }
}

/** Fills `into` from the file at `position`; throws when the file ends first. */
function readAt<T extends Uint8Array>(fd: number, into: T, position: number): T {
  for (let k = 0; k < into.length; ) {
    const n = readSync(fd, into, k, into.length - k, position + k);
    if (n <= 0) throw new Error('unexpected end of file');
    k += n;
  }
  return into;
}

/** crc32 continued over `bytes`. An empty piece leaves it as it is (zlib.crc32 of an empty array over a zero-length
 *  ArrayBuffer returns 0 in Node 20, whatever the running value: a cache with no floats failed its own check). */
function crcOn(bytes: Uint8Array, sum: number): number {
  return bytes.length > 0 ? crc32(bytes, sum) : sum;
}

/** The checksum of the whole file, read a piece at a time (its layout did not add up: damaged, or cut short?). */
function crcOf(fd: number, prefix: Buffer, length: number): number {
  let sum = crc32(prefix.subarray(CHECKED));
  const buf = Buffer.alloc(CHUNK_BYTES);
  for (let pos = prefix.length; pos < length; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, length - pos), pos);
    if (n <= 0) break;
    sum = crc32(buf.subarray(0, n), sum);
    pos += n;
  }
  return sum;
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
    if (file === keep || !/^index-[0-9a-f]{20}\.cnc(\.\d+\.[0-9a-z]+\.(tmp|spill))?$/.test(name)) continue;
    try {
      if (name.endsWith('.tmp') || name.endsWith('.spill')) {
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
