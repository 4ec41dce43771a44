// The index snapshot on disk: the whole CorpusIndex state (core/indexSnapshot.ts) beside the per-file analysis cache
// (cache.ts), so that reopening a workspace where nothing changed is one read plus a stat per file, not 20,000
// documents put into the index one by one.
//
// One file per workspace (its roots), in the cache folder, named by a hash of the roots. It carries what it was made
// by and for (the identity: the analyser and index code, the roots, the settings, whether texts are held) and a
// table of the files it describes (size, mtime, content hash); a snapshot whose identity differs is not used. Framing:
// magic, format, header length, CRC32 of everything after it, then a JSON header, the file table and the binary
// sections, each 8-byte aligned so that the typed arrays are views onto the one buffer read (no copy). The file table
// is columns, not JSON: its sizes and mtimes one Float64Array, its keys and hashes (and the recorded listing's paths)
// one NUL-separated text; as JSON arrays they were 5 MB of a 100 MB corpus's header, 40-60 ms to parse at every
// start. A truncated, damaged or foreign file is reported as a reason and ignored; writing goes to a temp file renamed
// over the old one, so a crash never leaves half a snapshot behind.
//
// Writing happens in idle time: the encoder runs in slices of a few milliseconds (the language server answers
// requests in between) and gives up when the index changes under it (`isStale`), to be tried again once changes
// settle. The file is written by libuv's threads in large vectored writes; the texts and rows are written from the
// index's own arrays.

import { createHash } from 'node:crypto';
import { promises as fsp, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import type { CorpusIndex } from '../core/index';
import { encodeIndex, isSnapshotError, SNAPSHOT_LAYOUT, type EncodedSnapshot, type SnapshotSections } from '../core/indexSnapshot';
import { ReadOnUse } from '../core/readOnUse';
import { contentHash, readTextSync } from './readText';

const MAGIC = 0x53494e43; // "CNIS"
/** The framing's version (the layout of the state itself is SNAPSHOT_LAYOUT, part of the identity). 2: the file
 *  table in columns. */
export const SNAPSHOT_FORMAT = 2;
const PREFIX = 16;
const CHECKED = 16;

/** What a snapshot was made by and for: all of it must match for the snapshot to be used. */
export interface SnapshotIdentity {
  /** The analyser and index code (default: defaultIndexCodeVersion). */
  code: string;
  roots: string[];
  /** The settings that decide which files are indexed and how (any JSON). */
  settings: unknown;
}

/** A file as the snapshot saw it; `hash` (contentHash of the decoded text) may be '' when not known. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  hash: string;
}

/**
 * The folders' listing as the scan saw it, and the mtime of every directory under the roots taken just before it: a
 * directory's mtime changes whenever an entry is added, removed or renamed in it, so while none changed (nor the
 * .gitignore files) the listing is still what it was, and a reopen need not list 20,000 files again (fast-glob took
 * ~300 ms of the reopen). Contents are checked per file as always.
 */
export interface RecordedListing {
  dirs: string[];
  mtimes: number[];
  /** .gitignore files met on the way: their contents decide the listing too. */
  ignores: string[];
  ignoreStamps: number[];
  /** Per root, what FileSource.list gave: absolute paths, and the files skipped at listing. */
  folders: Array<{ files: string[]; skipped: Array<{ path: string; reason: string }> }>;
}

interface Header {
  identity: SnapshotIdentity & { layout: number; texts: 'held' | 'fetched' };
  /** The recorded listing, each folder's files given by their number: the paths are in the file table's text. */
  listing?: Omit<RecordedListing, 'folders'> & { folders: Array<{ files: number; skipped: Array<{ path: string; reason: string }> }> };
  /** The file table: `files` entries; a Float64Array of their sizes then their mtimes, then `tableBytes` of UTF-8:
   *  their keys, their hashes, then the listing's paths, each ended by a NUL (which no path holds). */
  files: number;
  tableBytes: number;
  odd: string[];
  /** Element counts of the sections, in file order. */
  sizes: { lengths: number; text: number; ints: number; rows: number; bytes: number; lines: number; numbers: number };
}

/** The snapshot file of a workspace: inside `dir`, named by a hash of its roots (so never anywhere else). */
export function snapshotFileFor(dir: string, roots: readonly string[]): string {
  const name = createHash('sha1').update(JSON.stringify(roots)).digest('hex').slice(0, 20);
  return join(resolve(dir), `snapshot-${name}.cns`);
}

let codeVersion: string | undefined;

/**
 * The identity of the code that makes the index's state: the worker bundle (the analyser) and the running bundle (the
 * index, alias resolution). Run from sources there is no bundle, and the identity is unique to the process, so a
 * snapshot is never reused there (as with the cache).
 */
export function defaultIndexCodeVersion(): string {
  if (codeVersion) return codeVersion;
  try {
    const h = createHash('sha1').update(readFileSync(join(__dirname, 'worker.js')));
    if (!__filename.endsWith('.js')) throw new Error('not bundled');
    h.update(readFileSync(__filename));
    codeVersion = h.digest('base64url');
  } catch {
    codeVersion = `unbundled-${process.pid}-${Date.now().toString(36)}`;
  }
  return codeVersion;
}

const textsOf = (index: CorpusIndex): 'held' | 'fetched' => (index.snapshotState().textSource ? 'fetched' : 'held');

export type ReadOutcome =
  | {
      ok: true;
      sections: SnapshotSections;
      files: FileTable;
      listing?: RecordedListing;
      /** Per folder of the listing, beside each path, its key when the file table holds it (see `listingKeys`). */
      listingKeys?: Array<Array<string | undefined>>;
      ms: { read: number; check: number };
    }
  | { ok: false; why: string };

/**
 * The snapshot's file table as read: keys, stamps and hashes in columns, in the snapshot's order (its documents'
 * order). To whoever uses it as a Map of key → FileStamp it is one (the entries are made on first use); a warm reopen
 * reads it by position instead (`keyAt`, `sizeAt`…): at 100 MB the 22,535 stamp objects and the map of them were made
 * before the restore, and all survived into it, for the collector to copy.
 */
export class FileTable extends ReadOnUse<string, FileStamp> {
  private positions: Map<string, number> | undefined;
  private loaded = false;

  constructor(
    /** keys[0..n), then their hashes (n..2n), then anything else. */
    private readonly strings: readonly string[],
    private readonly n: number,
    /** Sizes, then mtimes. */
    private readonly stamps: Float64Array,
    /** The keys as stored (UTF-8, each ended by a NUL), for statAll. */
    readonly keyBytes?: Uint8Array,
  ) {
    super();
  }

  /** Entries as read (positions describe the table as read, whatever is done to the Map since). */
  get count(): number {
    return this.n;
  }
  keyAt(k: number): string {
    return this.strings[k];
  }
  sizeAt(k: number): number {
    return this.stamps[k];
  }
  mtimeAt(k: number): number {
    return this.stamps[this.n + k];
  }
  stampAt(k: number): FileStamp {
    return { size: this.stamps[k], mtimeMs: this.stamps[this.n + k], hash: this.strings[this.n + k] };
  }
  /** The position of `key` as read, or -1. */
  indexOf(key: string): number {
    if (!this.positions) {
      this.positions = new Map();
      for (let k = 0; k < this.n; k++) this.positions.set(this.strings[k], k);
    }
    return this.positions.get(key) ?? -1;
  }
  /** Whether no key is there twice: the writer writes them in the documents' (sorted) order, so normally by one pass. */
  unique(): boolean {
    const s = this.strings;
    let k = 1;
    while (k < this.n && s[k - 1] < s[k]) k++;
    return k >= this.n || new Set(s.slice(0, this.n)).size === this.n;
  }

  override get size(): number {
    return this.loaded ? super.size : this.n;
  }
  override get(key: string): FileStamp | undefined {
    if (this.loaded) return super.get(key);
    const k = this.indexOf(key);
    return k < 0 ? undefined : this.stampAt(k);
  }
  override has(key: string): boolean {
    return this.loaded ? super.has(key) : this.indexOf(key) >= 0;
  }
  override clear(): void {
    this.loaded = true;
    super.clear();
  }
  protected readIn(): void {
    if (this.loaded) return;
    this.loaded = true;
    for (let k = 0; k < this.n; k++) super.set(this.strings[k], this.stampAt(k));
  }
}

/**
 * Reads and checks a snapshot for `index` (its text mode is part of the identity). Never throws. `read`: the file's
 * bytes being read already (prefetchSnapshot), checked and taken apart then too.
 */
export async function readSnapshot(file: string, identity: SnapshotIdentity, index: CorpusIndex, read?: Promise<SnapshotBytes>): Promise<ReadOutcome> {
  const t0 = performance.now();
  let got: SnapshotBytes;
  try {
    got = await (read ?? readWhole(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'ENOENT' ? 'none yet' : `unreadable: ${(e as Error).message}` };
  }
  const t1 = performance.now();
  try {
    const r = got.frame ?? parse(got.buf, got.crc);
    if (typeof r === 'string') return { ok: false, why: r };
    const want = JSON.stringify({ ...identity, layout: SNAPSHOT_LAYOUT, texts: textsOf(index) });
    if (JSON.stringify(r.identity) !== want) return { ok: false, why: 'made by other code or for other roots or settings' };
    if (!r.files) return { ok: false, why: r.damaged ?? 'damaged' };
    return { ok: true, sections: r.sections, files: r.files, listing: r.listing, listingKeys: r.listingKeys, ms: { read: t1 - t0, check: performance.now() - t1 + (got.frameMs ?? 0) } };
  } catch (e) {
    return { ok: false, why: `unreadable: ${(e as Error).message}` };
  }
}

/**
 * Starts reading a snapshot file before it is known whether it will be used (the settings, part of its identity,
 * come later): the read, its checksum and the taking apart of its file table then overlap with the server's start
 * (the client's answers to `initialize`, `initialized` and the settings request). Give the promise to readSnapshot;
 * it may reject.
 */
export function prefetchSnapshot(file: string, pieceBytes = READ_PIECE): Promise<SnapshotBytes> {
  const p = readWhole(file, pieceBytes).then((got) => {
    // The files it describes are stat'ed once it is taken apart (statAll): the thread for that starts now, not before
    // (the read, its checksum and the server's start already share the cores).
    prestartStatThread();
    const t = performance.now();
    try {
      got.frame = parse(got.buf, got.crc);
    } catch {
      // taken apart again by readSnapshot, which reports why
    }
    got.frameMs = performance.now() - t;
    return got;
  });
  // Handled here too: a read that fails before anyone waits for it (the file went) is no unhandled rejection.
  p.catch(() => undefined);
  return p;
}

/** A snapshot file's bytes, with the CRC32 of those after the framing's checksum field (computed while reading). */
export interface SnapshotBytes {
  buf: Buffer;
  crc: number;
  /** The bytes checked and taken apart ahead (prefetchSnapshot), before the identity was known, and how long it took. */
  frame?: Frame | string;
  frameMs?: number;
}

/**
 * The file into one buffer of its own, in a few large reads: fs.readFile reads in 512 KB pieces, each coming back
 * through the event loop, which a busy main thread (listing the workspace meanwhile) delays. The checksum of each
 * piece is taken as it arrives, while the next one is being read: ~45 ms for 75 MB that the main thread otherwise
 * spent after the read, when the restore waits for it.
 */
async function readWhole(file: string, pieceBytes = READ_PIECE): Promise<SnapshotBytes> {
  const fh = await fsp.open(file, 'r');
  // Pieces being read, in file order. Two at a time: each next read is started from the main thread's event loop,
  // which the server's start keeps busy meanwhile (answering `initialize`, taking the settings); with one at a time
  // the 76 MB of a 100 MB corpus's snapshot took ~220 ms to read beside a main thread busy 15 ms in every 20, with
  // two ~130-190 ms (~90 ms either way with the main thread idle).
  const queue: Array<{ from: number; to: number; read: Promise<{ bytesRead: number }> }> = [];
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.allocUnsafeSlow(size);
    let at = 0;
    let issued = 0;
    let crc = 0;
    let summed = CHECKED;
    const issue = () => {
      while (queue.length < READS_AHEAD && issued < size) {
        const from = issued;
        const to = Math.min(size, from + pieceBytes);
        queue.push({ from, to, read: fh.read(buf, from, to - from, from) });
        issued = to;
      }
    };
    issue();
    while (queue.length) {
      const head = queue[0];
      const { bytesRead } = await head.read;
      if (bytesRead === 0) break; // the file ended early
      head.from += bytesRead;
      at = head.from;
      // A short read (not at the end) reads the rest of its piece again.
      if (head.from < head.to) head.read = fh.read(buf, head.from, head.to - head.from, head.from);
      else queue.shift();
      issue();
      if (at > summed) {
        crc = crc32(buf.subarray(summed, at), crc);
        summed = at;
      }
    }
    const out = at === size ? buf : buf.subarray(0, at);
    return { buf: out, crc: crc >>> 0 };
  } finally {
    // Reads still under way (the file ended early, or one failed) must finish before the handle closes.
    await Promise.all(queue.map((q) => q.read.catch(() => undefined)));
    await fh.close();
  }
}

const READS_AHEAD = 2;
const READ_PIECE = 8 << 20;

/** A snapshot file checked (framing, sizes, checksum) and taken apart, its identity not yet compared (a snapshot made
 *  for other code or settings is reported as such, whatever else is wrong with it). */
type Frame =
  | { identity: unknown; damaged?: undefined; sections: SnapshotSections; files: FileTable; listing?: RecordedListing; listingKeys?: Array<Array<string | undefined>> }
  | { identity: unknown; damaged: string; sections?: undefined; files?: undefined; listing?: undefined; listingKeys?: undefined };

function parse(buf: Buffer, crc: number): Frame | string {
  if (buf.length < PREFIX) return 'truncated';
  if (buf.readUInt32LE(0) !== MAGIC) return 'not a snapshot file';
  if (buf.readUInt32LE(4) !== SNAPSHOT_FORMAT) return `format ${buf.readUInt32LE(4)}, expected ${SNAPSHOT_FORMAT}`;
  const headerLength = buf.readUInt32LE(8);
  if (PREFIX + headerLength > buf.length) return 'truncated';
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', PREFIX, PREFIX + headerLength));
  } catch {
    return 'unreadable header';
  }
  if (typeof header !== 'object' || header === null) return 'unreadable header';
  const z = header.sizes;
  if (typeof z !== 'object' || z === null) return 'unreadable header';
  let at = align8(PREFIX + headerLength);
  const spans: Array<[number, number]> = [];
  const columns = [[2 * header.files, 8], [header.tableBytes, 1], [z.lengths, 4], [z.text, 1], [z.ints, 4], [z.rows, 4], [z.bytes, 1], [z.lines, 4], [z.numbers, 8]] as const;
  for (const [n, width] of columns) {
    if (!Number.isInteger(n) || n < 0) return 'unreadable header';
    spans.push([at, n]);
    at = align8(at + n * width);
  }
  if (at !== buf.length) return buf.length < at ? 'truncated' : 'longer than its header says';
  if (crc !== buf.readUInt32LE(12)) return { identity: header.identity, damaged: 'checksum mismatch' };
  // Views need aligned offsets into the buffer; a large read has its own, aligned one.
  let ab = buf.buffer;
  let base = buf.byteOffset;
  if (base % 8 !== 0) {
    const copy = new Uint8Array(buf.length);
    copy.set(buf);
    ab = copy.buffer;
    base = 0;
  }
  const [st, tt, l, t, i, r, b, li, nu] = spans;
  const sections: SnapshotSections = {
    lengths: new Int32Array(ab, base + l[0], l[1]),
    text: new Uint8Array(ab, base + t[0], t[1]),
    odd: header.odd,
    ints: new Int32Array(ab, base + i[0], i[1]),
    rows: new Int32Array(ab, base + r[0], r[1]),
    bytes: new Uint8Array(ab, base + b[0], b[1]),
    lines: new Uint32Array(ab, base + li[0], li[1]),
    numbers: new Float64Array(ab, base + nu[0], nu[1]),
  };
  const n = header.files;
  const stamps = new Float64Array(ab, base + st[0], st[1]);
  // Each string ends in a NUL, so the split's last piece is the empty rest after the last one.
  const tableText = buf.toString('utf8', tt[0], tt[0] + tt[1]);
  const strings = tableText.split('\0');
  let expected = 2 * n;
  const hl = header.listing;
  if (hl !== undefined) {
    if (!Array.isArray(hl?.folders)) return 'unreadable header';
    for (const folder of hl.folders) {
      if (!Number.isInteger(folder?.files) || folder.files < 0) return 'unreadable header';
      expected += folder.files;
    }
  }
  if (strings.length !== expected + 1 || strings.pop() !== '') return 'file table of another size than its header says';
  // The keys' bytes: as many as their characters plus the NULs when the text is ASCII (as paths usually are).
  let keyEnd = 0;
  if (tableText.length === tt[1]) for (let k = 0; k < n; k++) keyEnd += strings[k].length + 1;
  else for (let k = 0; k < n; k++) keyEnd += Buffer.byteLength(strings[k], 'utf8') + 1;
  const files = new FileTable(strings, n, stamps, buf.subarray(tt[0], tt[0] + keyEnd));
  if (!files.unique()) return 'a file listed twice';
  if (!hl) return { identity: header.identity, sections, files };
  let from = 2 * n;
  const folders = hl.folders.map((folder) => {
    const out = { files: strings.slice(from, from + folder.files), skipped: folder.skipped };
    from += folder.files;
    return out;
  });
  return { identity: header.identity, sections, files, listing: { ...hl, folders }, listingKeys: listingKeys(strings, n, folders) };
}

/**
 * Which listed paths are files of the table, found walking both in order (the listing is recorded in the order it was
 * listed, the table in the documents' order; on one folder of plain names they are the same): per folder, beside each
 * path, its key when found. A reopen then need not turn 22,535 paths into keys again (with the keys turned into paths
 * for the stats, ~80–90 ms of the 100 MB reopen's main thread, the strings made included; statAll does that in its
 * thread now).
 *
 * A table key K and a path p go together when K is "file://" + p and p holds no "%": every key is a canonical file
 * URL (pathToFileURL's, as the scan's and the watcher's keys are), so such a p is exactly the path K stands for, and
 * pathToFileURL(p) gives K back (nothing in p to escape, else K would hold it escaped). Anything else is left for the
 * host to work out as it always did.
 */
export function listingKeys(
  strings: readonly string[],
  n: number,
  folders: ReadonlyArray<{ files: readonly string[] }>,
): Array<Array<string | undefined>> {
  const posix = process.platform !== 'win32';
  let t = 0;
  return folders.map(({ files }) => {
    const out: Array<string | undefined> = new Array(files.length).fill(undefined);
    for (let j = 0; j < files.length && posix && t < n; j++) {
      const p = files[j];
      const k = strings[t];
      // (A slice compared is about twice as fast as startsWith + endsWith here, in code that runs once per start.)
      if (k.length === p.length + 7 && p.charCodeAt(0) === 47 /* / */ && k.slice(7) === p && k.startsWith('file://') && p.indexOf('%') < 0) {
        out[j] = k;
        t++;
      }
    }
    return out;
  });
}

/**
 * Restores `index` (empty) from a read snapshot; returns why not, or undefined. Never throws: a damaged snapshot
 * leaves the index as it was.
 */
export function applySnapshot(index: CorpusIndex, sections: SnapshotSections): string | undefined {
  try {
    index.restoreSnapshot(sections);
    return undefined;
  } catch (e) {
    return `${isSnapshotError(e) ? 'damaged' : 'not restorable'}: ${(e as Error).message}`;
  }
}

export interface WriteOptions {
  /** Milliseconds of encoding per slice before the event loop gets a turn; default 4. */
  sliceMs?: number;
  /** Polled between slices: true gives up (the index changed; the caller tries again later). */
  isStale?: () => boolean;
  /** How to wait between slices; default setImmediate. */
  pause?: () => Promise<void>;
}

/**
 * Writes a snapshot of `index` describing `files` (by document key: documents not listed are restored but read again
 * at the next start). Resolves 'written', 'stale' (the index changed meanwhile: nothing written) or a reason it
 * failed. Never rejects.
 */
export async function writeSnapshot(
  file: string,
  identity: SnapshotIdentity,
  index: CorpusIndex,
  files: ReadonlyMap<string, FileStamp>,
  options: WriteOptions & { listing?: RecordedListing } = {},
): Promise<'written' | 'stale' | string> {
  const sliceMs = options.sliceMs ?? 4;
  const pause = options.pause ?? (() => new Promise<void>((r) => setImmediate(r)));
  const stale = () => options.isStale?.() ?? false;
  let enc: EncodedSnapshot;
  try {
    // Summaries first (usually done already in idle time): a snapshot carries them only when all are current, and
    // then a warm reopen's first request need not compute them.
    for (;;) {
      const until = performance.now() + sliceMs;
      if (index.prepareSummaries(() => performance.now() > until)) break;
      await pause();
      if (stale()) return 'stale';
    }
    const it = encodeIndex(index.snapshotState());
    for (;;) {
      const until = performance.now() + sliceMs;
      let step = it.next();
      while (!step.done && performance.now() < until) step = it.next();
      if (step.done) {
        enc = step.value;
        break;
      }
      await pause();
      if (stale()) return 'stale';
    }
  } catch (e) {
    return `cannot encode the index: ${(e as Error).message}`;
  }
  const keys: string[] = [];
  const stampList: FileStamp[] = [];
  for (const key of enc.docs) {
    const s = files.get(key);
    if (!s) continue;
    keys.push(key);
    stampList.push(s);
  }
  const n = keys.length;
  const stamps = new Float64Array(2 * n);
  const tableStrings = keys.slice();
  for (let k = 0; k < n; k++) {
    stamps[k] = stampList[k].size;
    stamps[n + k] = stampList[k].mtimeMs;
    tableStrings.push(stampList[k].hash);
  }
  const l = options.listing;
  if (l) for (const folder of l.folders) for (const p of folder.files) tableStrings.push(p);
  const tableText = Buffer.from(tableStrings.length ? `${tableStrings.join('\0')}\0` : '', 'utf8');
  const count = (list: ArrayLike<number>[]) => list.reduce((n, a) => n + a.length, 0);
  const header: Header = {
    identity: { ...identity, layout: SNAPSHOT_LAYOUT, texts: textsOf(index) },
    ...(l ? { listing: { ...l, folders: l.folders.map((f) => ({ files: f.files.length, skipped: f.skipped })) } } : {}),
    files: n,
    tableBytes: tableText.length,
    odd: enc.odd,
    sizes: {
      lengths: enc.lengths.length,
      text: enc.text.length,
      ints: enc.ints.length,
      rows: count(enc.rows),
      bytes: count(enc.bytes),
      lines: count(enc.lines),
      numbers: enc.numbers.length,
    },
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(align8(PREFIX + headerBytes.length));
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(SNAPSHOT_FORMAT, 4);
  head.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(head, PREFIX);
  const pieces: Uint8Array[] = [head];
  let length = head.length;
  const section = (parts: ArrayBufferView[]) => {
    for (const p of parts) {
      if (p.byteLength === 0) continue;
      pieces.push(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
      length += p.byteLength;
    }
    const pad = align8(length) - length;
    if (pad) {
      pieces.push(new Uint8Array(pad));
      length += pad;
    }
  };
  section([stamps]);
  section([tableText]);
  section([enc.lengths]);
  section([enc.text]);
  section([enc.ints]);
  section(enc.rows);
  section(enc.bytes);
  section(enc.lines);
  section([enc.numbers]);
  // The checksum, in slices too (it reads every byte once).
  let crc = crc32(head.subarray(CHECKED));
  let until = performance.now() + sliceMs;
  // A megabyte at a time: the integer section alone is tens of megabytes on a large corpus.
  for (let k = 1; k < pieces.length; k++) {
    for (let at = 0; at < pieces[k].length; at += CRC_CHUNK) {
      crc = crc32(pieces[k].subarray(at, at + CRC_CHUNK), crc);
      if (performance.now() >= until) {
        await pause();
        if (stale()) return 'stale';
        until = performance.now() + sliceMs;
      }
    }
  }
  head.writeUInt32LE(crc >>> 0, 12);

  const dir = resolve(file, '..');
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await fsp.mkdir(dir, { recursive: true });
    const fh = await fsp.open(tmp, 'w');
    try {
      // Vectored writes of up to 1024 pieces (IOV_MAX): one system call per thousand documents, not one each.
      for (let k = 0; k < pieces.length; k += 1024) {
        const batch = pieces.slice(k, k + 1024);
        const want = batch.reduce((n, p) => n + p.byteLength, 0);
        const { bytesWritten } = await fh.writev(batch);
        // A short write is possible in principle: finish the batch piece by piece.
        let skip = bytesWritten;
        for (const p of bytesWritten < want ? batch : []) {
          if (skip >= p.byteLength) {
            skip -= p.byteLength;
            continue;
          }
          let from = skip;
          skip = 0;
          while (from < p.byteLength) from += (await fh.write(p, from, p.byteLength - from)).bytesWritten;
        }
      }
    } finally {
      await fh.close();
    }
    // The rows were written from the index's own arrays, after the checksum: a change meanwhile (rows live in slabs
    // whose space may be reused) could have altered them. Such a file is not kept.
    if (stale()) {
      await fsp.rm(tmp, { force: true });
      return 'stale';
    }
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    return `cannot write ${file}: ${(e as Error).message}`;
  }
  removeOldTemps(dir);
  return 'written';
}

/** Temp files a crashed writer left behind an hour ago or more. Only this module's files are touched. */
function removeOldTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!/^snapshot-[0-9a-f]{20}\.cns\.\d+\.[0-9a-z]+\.tmp$/.test(name)) continue;
    try {
      const p = join(dir, name);
      if (Date.now() - statSync(p).mtimeMs > 3600_000) rmSync(p, { force: true });
    } catch {
      // another process may be writing or removing it
    }
  }
}

const CRC_CHUNK = 1 << 20;

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** A file's size and mtime now, or null when it is gone or not a regular file. */
export type StatNow = { size: number; mtimeMs: number } | null;

/**
 * Stats files in a thread of their own, while the main thread does other work (restoring the snapshot): `results`
 * fills when the thread is done (`done` resolves then, or when it failed: never rejects). Queued one by one as
 * fs.stat calls instead, the calls and their callbacks took ~0.3 s of the main thread for 22,500 files; statSync in a
 * thread is ~0.15 s on the other core. `stop()` ends the thread; whoever needs stats not in `results` stats the
 * files itself.
 */
export function statAll(files: readonly string[] | { keys: Uint8Array; count: number }): {
  results: Array<StatNow | undefined>;
  /** The answer as it came: size and mtime per path, one after the other (size -1: gone or not a file); undefined
   *  until it came (or when stopped before). `results` is the same as objects, made when first asked for. */
  raw(): Float64Array | undefined;
  done: Promise<void>;
  stop(): void;
} {
  let got: Float64Array | undefined;
  let results: Array<StatNow | undefined> | undefined;
  let stopped = false;
  let worker: Worker | undefined;
  const byKeys = isKeyBytes(files) ? files : undefined;
  const n = byKeys ? byKeys.count : (files as readonly string[]).length;
  const done = new Promise<void>((resolve) => {
    try {
      worker = takeStatThread() ?? startStatThread();
      // One string (paths cannot hold NUL) crosses to the thread as one copy, or the keys' bytes as they are in the
      // snapshot (the thread works out their paths: ~25 ms of the main thread's reopen at 100 MB, with the strings it
      // made); the answer comes back transferred.
      if (byKeys) {
        // A copy of its own (a view would carry its whole buffer, the snapshot, across), handed over without another.
        const keys = new Uint8Array(byKeys.keys);
        worker.postMessage({ keys }, [keys.buffer]);
      } else worker.postMessage((files as readonly string[]).join('\0'));
    } catch {
      return resolve();
    }
    worker.on('message', (out: Float64Array) => {
      if (!stopped && out.length === 2 * n) {
        got = out;
        results = undefined;
      }
      void worker?.terminate().catch(() => undefined);
      resolve();
    });
    worker.on('error', () => resolve());
    worker.on('exit', () => resolve());
  });
  return {
    get results() {
      if (!results) {
        const out = got;
        results = new Array(n).fill(undefined);
        if (out) for (let k = 0; k < n; k++) results[k] = out[2 * k] < 0 ? null : { size: out[2 * k], mtimeMs: out[2 * k + 1] };
      }
      return results;
    },
    raw: () => got,
    done,
    stop: () => {
      stopped = true;
      void worker?.terminate().catch(() => undefined);
    },
  };
}

const isKeyBytes = (x: readonly string[] | { keys: Uint8Array; count: number }): x is { keys: Uint8Array; count: number } => !Array.isArray(x);

/**
 * Starts a thread for statAll before its paths are known (they come from the snapshot's file table): starting a thread
 * takes 50-100 ms, which then passes while the snapshot is checked and the folders' listing is confirmed, and the
 * stats are done before the restore on the main thread is. A thread nobody takes within STAT_THREAD_KEEP_MS ends.
 */
export function prestartStatThread(): void {
  if (spare) return;
  try {
    const worker = startStatThread();
    const timer = setTimeout(() => {
      if (spare?.worker === worker) spare = undefined;
      void worker.terminate().catch(() => undefined);
    }, STAT_THREAD_KEEP_MS);
    timer.unref?.();
    spare = { worker, timer };
    // A thread that failed to start, or ended, is not handed out (statAll would wait for it forever).
    const drop = () => {
      if (spare?.worker === worker) spare = undefined;
    };
    worker.once('error', drop);
    worker.once('exit', drop);
  } catch {
    // statAll starts one itself
  }
}

let spare: { worker: Worker; timer: ReturnType<typeof setTimeout> } | undefined;
const STAT_THREAD_KEEP_MS = 30_000;

function takeStatThread(): Worker | undefined {
  const s = spare;
  spare = undefined;
  if (s) clearTimeout(s.timer);
  return s?.worker;
}

function startStatThread(): Worker {
  const worker = new Worker(STAT_THREAD, { eval: true });
  worker.unref();
  return worker;
}

/** The thread of statAll: given the paths (one NUL-separated string) or file keys (UTF-8, each ended by a NUL), size
 *  and mtime per path (-1: gone, or not a regular file). */
const STAT_THREAD = `
const { parentPort } = require('node:worker_threads');
const { statSync } = require('node:fs');
const { fileURLToPath } = require('node:url');
// A file key's path, as lsp/host.ts scanPath gives it: a key is a canonical file URL (pathToFileURL's), so one with
// no escape in it is "file://" + its path; anything else goes through fileURLToPath ('' when it is no file URL).
const posix = process.platform !== 'win32';
const pathOf = (key) => {
  if (posix && key.startsWith('file:///') && key.indexOf('%') < 0) return key.slice(7);
  try {
    return fileURLToPath(key);
  } catch {
    return '';
  }
};
parentPort.once('message', (given) => {
  let paths;
  if (typeof given === 'string') paths = given.length ? given.split('\\0') : [];
  else {
    const keys = Buffer.from(given.keys.buffer, given.keys.byteOffset, given.keys.length).toString('utf8').split('\\0');
    keys.pop();
    paths = keys.map(pathOf);
  }
  const out = new Float64Array(2 * paths.length);
  for (let k = 0; k < paths.length; k++) {
    let st;
    try {
      st = statSync(paths[k], { throwIfNoEntry: false });
    } catch {
      st = undefined;
    }
    if (st && st.isFile()) {
      out[2 * k] = st.size;
      out[2 * k + 1] = st.mtimeMs;
    } else out[2 * k] = -1;
  }
  parentPort.postMessage(out, [out.buffer]);
});
`;

/** A listed file to check against the snapshot's table. */
export interface ListedForSnapshot {
  key: string;
  path: string;
  maxFileSize: number;
}

/**
 * The listed files the snapshot still describes, with their stamps now: same size and mtime, or same size and
 * content (hashed only then, as the cache does). Stats in slices of `sliceMs` so that requests are answered
 * meanwhile. Files not returned are to be read again (changed, new, or unreadable now).
 */
export async function validateFiles<F extends { key: string; path: string } = ListedForSnapshot>(
  files: readonly F[],
  known: ReadonlyMap<string, FileStamp>,
  options: {
    isCancelled?: () => boolean;
    sliceMs?: number;
    pause?: () => Promise<void>;
    stats?: ReadonlyMap<string, StatNow>;
    /** With `known` a FileTable: stats made ahead by position in it (statAll's raw answer for its files in order). */
    statsAt?: Float64Array;
    /** A file's size limit (default: its maxFileSize). */
    maxFileSize?: (f: F) => number;
    /** Files left out (neither checked nor returned). */
    skip?: (f: F) => boolean;
  } = {},
): Promise<Map<string, FileStamp>> {
  const limitOf = options.maxFileSize ?? ((f: F) => (f as unknown as ListedForSnapshot).maxFileSize);
  const sliceMs = options.sliceMs ?? 10;
  const pause = options.pause ?? (() => new Promise<void>((r) => setImmediate(r)));
  const valid = new Map<string, FileStamp>();
  // A FileTable is read by position: the listed files come in its order as a rule, so the next one is tried first.
  const table = known instanceof FileTable ? known : undefined;
  const statsAt = table && options.statsAt?.length === 2 * table.count ? options.statsAt : undefined;
  let next = 0;
  let until = performance.now() + sliceMs;
  for (let k = 0; k < files.length; k++) {
    if ((k & 63) === 0 && performance.now() >= until) {
      await pause();
      if (options.isCancelled?.()) break;
      until = performance.now() + sliceMs;
    }
    const f = files[k];
    if (options.skip?.(f)) continue;
    const maxFileSize = limitOf(f);
    let st: StatNow | undefined;
    let was: FileStamp | undefined;
    if (table) {
      const t = next < table.count && table.keyAt(next) === f.key ? next : table.indexOf(f.key);
      if (t < 0) continue;
      next = t + 1;
      if (statsAt) {
        const size = statsAt[2 * t];
        // The common case, unchanged, without an object per stat.
        if (size === table.sizeAt(t) && statsAt[2 * t + 1] === table.mtimeAt(t) && size <= maxFileSize) {
          valid.set(f.key, table.stampAt(t));
          continue;
        }
        st = size < 0 ? null : { size, mtimeMs: statsAt[2 * t + 1] };
      }
      was = table.stampAt(t);
    } else was = known.get(f.key);
    if (!was) continue;
    if (st === undefined) st = options.stats?.get(f.key);
    if (st === undefined) {
      try {
        const now = statSync(f.path, { throwIfNoEntry: false });
        st = now?.isFile() ? { size: now.size, mtimeMs: now.mtimeMs } : null;
      } catch {
        st = null;
      }
    }
    if (!st || st.size !== was.size || st.size > maxFileSize) continue;
    if (st.mtimeMs === was.mtimeMs) {
      valid.set(f.key, was);
      continue;
    }
    if (!was.hash) continue;
    const r = readTextSync(f.path, maxFileSize);
    if (r.ok && r.size === was.size && contentHash(r.text) === was.hash) valid.set(f.key, { size: r.size, mtimeMs: r.mtimeMs, hash: was.hash });
  }
  return valid;
}

/**
 * The mtime of every directory under the roots (and the .gitignore files met), for RecordedListing; undefined past
 * `limit` directories (a tree that large is listed every time). Directories named by an exclude pattern "**\/NAME/**"
 * of every root are not entered: nothing in them is listed. Synchronous: ~50 ms for 100 folders of 22,500 files.
 */
export function stampDirectories(roots: readonly string[], skipNames: ReadonlySet<string>, limit = 20_000): Omit<RecordedListing, 'folders'> | undefined {
  const out = { dirs: [] as string[], mtimes: [] as number[], ignores: [] as string[], ignoreStamps: [] as number[] };
  const todo = [...roots];
  // A directory changed within the last seconds may change again within the same mtime tick (coarse on some file
  // systems) after this walk, unseen: such a listing is not recorded (as git treats "racy" entries).
  const racy = Date.now() - 3000;
  try {
    while (todo.length) {
      const dir = todo.pop()!;
      const mtime = statSync(dir).mtimeMs;
      if (mtime >= racy) return undefined;
      out.dirs.push(dir);
      out.mtimes.push(mtime);
      if (out.dirs.length > limit) return undefined;
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        if (d.isDirectory()) {
          if (!skipNames.has(d.name)) todo.push(join(dir, d.name));
        } else if (d.name === '.gitignore') {
          const p = join(dir, d.name);
          const st = statSync(p);
          out.ignores.push(p);
          out.ignoreStamps.push(st.mtimeMs, st.size);
        }
      }
    }
  } catch {
    return undefined;
  }
  return out;
}

/** Whether every directory and .gitignore of a recorded listing is as it was (then so is the listing). */
export function listingUnchanged(l: RecordedListing): boolean {
  try {
    for (let k = 0; k < l.dirs.length; k++) if (statSync(l.dirs[k], { throwIfNoEntry: false })?.mtimeMs !== l.mtimes[k]) return false;
    for (let k = 0; k < l.ignores.length; k++) {
      const st = statSync(l.ignores[k], { throwIfNoEntry: false });
      if (!st || st.mtimeMs !== l.ignoreStamps[2 * k] || st.size !== l.ignoreStamps[2 * k + 1]) return false;
    }
    return true;
  } catch {
    return false;
  }
}
