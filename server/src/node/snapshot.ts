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
  | { ok: true; sections: SnapshotSections; files: Map<string, FileStamp>; listing?: RecordedListing; ms: { read: number; check: number } }
  | { ok: false; why: string };

/**
 * Reads and checks a snapshot for `index` (its text mode is part of the identity). Never throws. `read`: the file's
 * bytes being read already (prefetchSnapshot).
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
    const r = parse(got.buf, got.crc, identity, textsOf(index));
    if (typeof r === 'string') return { ok: false, why: r };
    return { ok: true, ...r, ms: { read: t1 - t0, check: performance.now() - t1 } };
  } catch (e) {
    return { ok: false, why: `unreadable: ${(e as Error).message}` };
  }
}

/**
 * Starts reading a snapshot file before it is known whether it will be used (the settings, part of its identity,
 * come later): the read then overlaps with the server's start. Give the promise to readSnapshot; it may reject.
 */
export function prefetchSnapshot(file: string, pieceBytes = READ_PIECE): Promise<SnapshotBytes> {
  const p = readWhole(file, pieceBytes);
  // The files it describes are stat'ed once it is checked (statAll): the thread for that starts as soon as it is read,
  // not before (the read, its checksum and the server's start already share the cores).
  p.then(() => prestartStatThread(), () => undefined);
  return p;
}

/** A snapshot file's bytes, with the CRC32 of those after the framing's checksum field (computed while reading). */
export interface SnapshotBytes {
  buf: Buffer;
  crc: number;
}

/**
 * The file into one buffer of its own, in a few large reads: fs.readFile reads in 512 KB pieces, each coming back
 * through the event loop, which a busy main thread (listing the workspace meanwhile) delays. The checksum of each
 * piece is taken as it arrives, while the next one is being read: ~45 ms for 75 MB that the main thread otherwise
 * spent after the read, when the restore waits for it.
 */
async function readWhole(file: string, pieceBytes = READ_PIECE): Promise<SnapshotBytes> {
  const fh = await fsp.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.allocUnsafeSlow(size);
    let at = 0;
    let crc = 0;
    let summed = CHECKED;
    const piece = (from: number) => fh.read(buf, from, Math.min(pieceBytes, size - from), from);
    let reading = size > 0 ? piece(0) : undefined;
    while (reading) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      at += bytesRead;
      reading = at < size ? piece(at) : undefined;
      if (at > summed) {
        crc = crc32(buf.subarray(summed, at), crc);
        summed = at;
      }
    }
    // A read still under way when the file ended early must finish before the handle closes.
    await reading?.catch(() => undefined);
    const out = at === size ? buf : buf.subarray(0, at);
    return { buf: out, crc: crc >>> 0 };
  } finally {
    await fh.close();
  }
}

const READ_PIECE = 8 << 20;

function parse(
  buf: Buffer,
  crc: number,
  identity: SnapshotIdentity,
  texts: 'held' | 'fetched',
): { sections: SnapshotSections; files: Map<string, FileStamp>; listing?: RecordedListing } | string {
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
  const want = JSON.stringify({ ...identity, layout: SNAPSHOT_LAYOUT, texts });
  const have = JSON.stringify(header.identity);
  if (have !== want) return 'made by other code or for other roots or settings';
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
  if (crc !== buf.readUInt32LE(12)) return 'checksum mismatch';
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
  const strings = buf.toString('utf8', tt[0], tt[0] + tt[1]).split('\0');
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
  const files = new Map<string, FileStamp>();
  for (let k = 0; k < n; k++) files.set(strings[k], { size: stamps[k], mtimeMs: stamps[n + k], hash: strings[n + k] });
  if (files.size !== n) return 'a file listed twice';
  let listing: RecordedListing | undefined;
  if (hl) {
    let from = 2 * n;
    const folders = hl.folders.map((folder) => {
      const out = { files: strings.slice(from, from + folder.files), skipped: folder.skipped };
      from += folder.files;
      return out;
    });
    listing = { ...hl, folders };
  }
  return { sections, files, listing };
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
export function statAll(paths: readonly string[]): { results: Array<StatNow | undefined>; done: Promise<void>; stop(): void } {
  const results: Array<StatNow | undefined> = new Array(paths.length).fill(undefined);
  let stopped = false;
  let worker: Worker | undefined;
  const done = new Promise<void>((resolve) => {
    try {
      worker = takeStatThread() ?? startStatThread();
      // One string (paths cannot hold NUL) crosses to the thread as one copy; the answer comes back transferred.
      worker.postMessage(paths.join('\0'));
    } catch {
      return resolve();
    }
    worker.on('message', (out: Float64Array) => {
      if (!stopped && out.length === 2 * paths.length) {
        for (let k = 0; k < paths.length; k++) results[k] = out[2 * k] < 0 ? null : { size: out[2 * k], mtimeMs: out[2 * k + 1] };
      }
      void worker?.terminate().catch(() => undefined);
      resolve();
    });
    worker.on('error', () => resolve());
    worker.on('exit', () => resolve());
  });
  return {
    results,
    done,
    stop: () => {
      stopped = true;
      void worker?.terminate().catch(() => undefined);
    },
  };
}

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

/** The thread of statAll: given the paths (one NUL-separated string), size and mtime per path (-1: gone, or not a
 *  regular file). */
const STAT_THREAD = `
const { parentPort } = require('node:worker_threads');
const { statSync } = require('node:fs');
parentPort.once('message', (joined) => {
  const paths = joined.length ? joined.split('\\0') : [];
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
export async function validateFiles(
  files: readonly ListedForSnapshot[],
  known: ReadonlyMap<string, FileStamp>,
  options: { isCancelled?: () => boolean; sliceMs?: number; pause?: () => Promise<void>; stats?: ReadonlyMap<string, StatNow> } = {},
): Promise<Map<string, FileStamp>> {
  const sliceMs = options.sliceMs ?? 10;
  const pause = options.pause ?? (() => new Promise<void>((r) => setImmediate(r)));
  const valid = new Map<string, FileStamp>();
  let until = performance.now() + sliceMs;
  for (let k = 0; k < files.length; k++) {
    if ((k & 63) === 0 && performance.now() >= until) {
      await pause();
      if (options.isCancelled?.()) break;
      until = performance.now() + sliceMs;
    }
    const f = files[k];
    const was = known.get(f.key);
    if (!was) continue;
    let st: StatNow | undefined = options.stats?.get(f.key);
    if (st === undefined) {
      try {
        const now = statSync(f.path, { throwIfNoEntry: false });
        st = now?.isFile() ? { size: now.size, mtimeMs: now.mtimeMs } : null;
      } catch {
        st = null;
      }
    }
    if (!st || st.size !== was.size || st.size > f.maxFileSize) continue;
    if (st.mtimeMs === was.mtimeMs) {
      valid.set(f.key, was);
      continue;
    }
    if (!was.hash) continue;
    const r = readTextSync(f.path, f.maxFileSize);
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
