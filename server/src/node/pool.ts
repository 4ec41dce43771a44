// A small pool of worker threads that analyse documents, so that a cold scan uses every core.
//
// Both ends of the protocol live here (the worker entry, worker.ts, only plugs the analyser in), so they cannot
// drift. Documents are queued and sent in batches of about `batchChars` characters; each worker keeps up to two
// batches in flight so it never waits for the main thread, and a burst of requests made while the workers are busy
// coalesces into larger batches, which keeps messaging overhead low. Results come back in the columnar form of
// analysisCodec.ts with their typed arrays transferred, not cloned, each with its alias claims (computed in the
// worker, so that the main thread only inserts). A scan can also hand whole batches of files to read
// (`readAndAnalyse`): the worker stats, reads and decodes them and analyses only those the cache's record no longer
// describes, so that neither reading nor analysis happens on the main thread.
//
// When workers cannot start (no worker file, a sandbox without threads) or die, the pool analyses in the calling
// thread instead, one document per macrotask so that the host stays responsive; callers never see the difference.

import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker, parentPort } from 'node:worker_threads';
import { takeClaims, type DocClaims } from '../core/aliases';
import type { DocAnalysis } from '../core/model';
import { AnalysisEncoder, AnalysisReader, joinStrings, StringList, type EncodedAnalyses } from './analysisCodec';
import { decodeText } from '../core/text';
import { contentHash, readTextSync } from './readText';

export type Analyse = (text: string) => DocAnalysis;
/** What the worker side computes from an analysis besides it: the alias claims (core/aliases.ts documentClaims). */
export type Claim = (analysis: DocAnalysis) => DocClaims;

export interface Analysed {
  analysis: DocAnalysis;
  /** The content hash of the text (see contentHash), computed where the analysis was made. */
  hash: string;
  /** The analysis's alias claims as objects, when given. A worker's come in the rows `analysis` was lazily decoded
   *  from (analysisCodec.ts lazy), which the index and the cache read directly: then this is not set. */
  claims?: DocClaims;
}

export interface PoolOptions {
  /** Worker threads to start; default: the available parallelism, at least 1. 0 analyses in the calling thread. */
  size?: number;
  /** The bundled worker entry (dist/worker.js); default: worker.js next to the running bundle. */
  workerFile?: string;
  /** The in-thread analyser, used when no worker can run (and when a worker dies in the middle of a batch). */
  fallback: Analyse;
  /** Characters of text per message; default 256 Ki. */
  batchChars?: number;
  /**
   * Idle workers are stopped after this many milliseconds without work (and start again on the next request), so a
   * server that finished its scan does not keep their memory; default 10 s, 0 never.
   */
  idleMs?: number;
  /** Called once if the pool gives up on threads, with the reason (for a log line). */
  onFallback?: (reason: string) => void;
}

// The batch each worker-made analysis was decoded from, so that the cache can keep those rows (cache.ts put) instead
// of encoding the analysis again; weak, so a batch lives no longer than its analyses do.
const encodedForms = new WeakMap<object, { enc: EncodedAnalyses; at: [number, number] }>();

/** Records that `analysis` was decoded from `enc` at `at` (exported for tests). */
export function rememberEncodedForm(analysis: object, enc: EncodedAnalyses, at: [number, number]): void {
  encodedForms.set(analysis, { enc, at });
}

/** Where `analysis` came from, when it was decoded from a worker's batch (and its claims, if any, are in it too). */
export function encodedFormOf(analysis: object): { enc: EncodedAnalyses; at: [number, number] } | undefined {
  return encodedForms.get(analysis);
}

interface Job {
  text: string;
  resolve: (r: Analysed) => void;
}

/** A file for the worker to read (as readText.ts does), and to analyse unless `known` still describes it. */
export interface ReadSpec {
  abs: string;
  maxFileSize: number;
  /** What the cache knows of the file: when size and mtime match, or only the size and the content hash do, the
   *  file is not analysed and `cached` comes back true. */
  known?: { size: number; mtimeMs: number; hash: string };
}

export type FileRead =
  | { ok: false; reason: string }
  | {
      ok: true;
      text: string;
      size: number;
      mtimeMs: number;
      /** `known` still holds (by size + mtime, or by content hash when only the mtime changed: `rehashed`). */
      cached: boolean;
      rehashed?: boolean;
      /** When not cached: the analysis, its content hash and claims. */
      analysed?: Analysed;
    };

interface ReadJob {
  specs: ReadSpec[];
  resolve: (r: FileRead[]) => void;
}

interface Batch {
  id: number;
  jobs: Job[];
  read?: ReadJob;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Batch>;
  /** The strings the worker has sent so far (analysisCodec.ts StringList): each comes once, later batches refer to it. */
  strings: string[];
  /** Stopped on purpose (idle): its exit is not a death. */
  retired?: boolean;
}

type Request = { id: number; texts: string[] } | { id: number; files: ReadSpec[] };

/**
 * A read reply: per file a reason, or what was read and whether it was analysed (those are in `enc`, in order). The
 * texts are not in it: each file's bytes as read (`size` of them) follow the previous file's in the reply's `bytes`.
 */
type WireRead = { reason: string } | { size: number; mtimeMs: number; cached: boolean; rehashed?: boolean; hash?: string };

type Reply =
  | { id: number; enc: EncodedAnalyses; hashes: string[] }
  | { id: number; enc: EncodedAnalyses; reads: WireRead[]; bytes: Uint8Array }
  | { id: number; error: string };

const MAX_IN_FLIGHT = 2;

export class AnalysisPool {
  private readonly queue: Job[] = [];
  private queueHead = 0;
  private queuedChars = 0;
  private slots: Slot[] = [];
  private nextId = 1;
  private scheduled = false;
  private closed = false;
  private inThreadRunning = false;
  private readonly batchChars: number;
  private readonly fallback: Analyse;
  private fallbackReason: string | undefined;

  constructor(private readonly options: PoolOptions) {
    this.fallback = options.fallback;
    this.batchChars = options.batchChars ?? 256 * 1024;
    const size = options.size ?? defaultPoolSize();
    const file = resolve(options.workerFile ?? join(__dirname, 'worker.js'));
    if (size <= 0) {
      this.giveUp('pool size 0');
      return;
    }
    if (!existsSync(file)) {
      this.giveUp(`no worker file at ${file}`);
      return;
    }
    // Threads start on the first request: a warm reopen answered from the cache never pays for them.
    this.pendingStart = { file, size };
    this.started = { file, size };
  }

  private started: { file: string; size: number } | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  /** Set by `rest`: the next time the workers have nothing to do, they stop at once. */
  private resting = false;

  /**
   * Stops the workers as soon as they have nothing left to do, instead of after `idleMs`: a scan has ended and nothing
   * else is expected of them soon. A worker's heap is ~100 MB after 50 MB of articles; kept for `idleMs`, the two of
   * them stood beside the cache save and the snapshot encoding, at the server's peak of memory. Resolves once they
   * have exited (their memory is given back then, not when they are asked to stop).
   */
  rest(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    // Nothing running nor about to start: nothing to stop (and the next work's workers keep the usual idleMs).
    if (this.closed || (this.slots.length === 0 && this.queueHead >= this.queue.length && this.reads.length === 0)) return Promise.resolve();
    this.resting = true;
    const stopped = new Promise<void>((resolve) => this.restWaiters.push(resolve));
    this.armIdle();
    return stopped;
  }

  /** Resolved once the workers a `rest` asked to stop have exited (or the pool no longer has any). */
  private restWaiters: Array<() => void> = [];
  private wakeRestWaiters() {
    for (const w of this.restWaiters.splice(0)) w();
  }

  /** Stops the workers once nothing has been asked of them for `idleMs`; the next request starts them again. */
  private armIdle() {
    const ms = this.resting ? 1 : (this.options.idleMs ?? 10_000);
    if (!ms || this.closed || !this.started || this.slots.length === 0 || this.idleTimer) return;
    if (this.queueHead < this.queue.length || this.slots.some((s) => s.inFlight.size > 0)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.closed || this.queueHead < this.queue.length || this.slots.some((s) => s.inFlight.size > 0)) return;
      this.resting = false;
      const slots = this.slots;
      this.slots = [];
      const exits = slots.map((s) => {
        s.retired = true;
        return s.worker.terminate().catch(() => 0);
      });
      this.pendingStart = this.started;
      // Their heaps are gone only once they have exited: whoever waits for that (the cache save) waits until then.
      void Promise.all(exits).then(() => this.wakeRestWaiters());
    }, ms);
    this.idleTimer.unref();
  }

  private pendingStart: { file: string; size: number } | undefined;

  private startWorkers() {
    const p = this.pendingStart;
    if (!p) return;
    this.pendingStart = undefined;
    for (let i = 0; i < p.size; i++) this.start(p.file);
  }

  /** Starts the worker threads now rather than at the first request (a host that is about to scan hides their start
   *  behind its listing); they stop again after `idleMs` without work. */
  warmUp(): void {
    if (this.closed || !this.pendingStart) return;
    this.startWorkers();
    this.armIdle();
  }

  /** Worker threads running, or to be started by the first request (0 when analysing in the calling thread). */
  get threads(): number {
    return this.pendingStart ? this.pendingStart.size : this.slots.length;
  }

  /** Why the pool analyses in the calling thread, if it does. */
  get inThreadReason(): string | undefined {
    return this.fallbackReason;
  }

  analyse(text: string): Promise<DocAnalysis> {
    return this.analyseHashed(text).then((r) => r.analysis);
  }

  analyseHashed(text: string): Promise<Analysed> {
    return new Promise((resolve) => {
      this.queue.push({ text, resolve });
      this.queuedChars += text.length;
      this.schedule();
    });
  }

  /**
   * Reads files in a worker (stat, read, decode: the main thread only receives the texts) and analyses those the
   * cache cannot answer for. One call is one message: give it a batch (the language server's scan gives 64 files).
   * Never rejects; a file that cannot be read comes back with the reason, as readText gives it.
   */
  readAndAnalyse(specs: ReadSpec[]): Promise<FileRead[]> {
    if (specs.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.reads.push({ specs, resolve });
      this.schedule();
    });
  }

  private readonly reads: ReadJob[] = [];

  /** Jobs queued or being analysed (a read batch counts its files). */
  get pending(): number {
    let n = this.queue.length - this.queueHead;
    for (const r of this.reads) n += r.specs.length;
    for (const s of this.slots) for (const b of s.inFlight.values()) n += b.read ? b.read.specs.length : b.jobs.length;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pendingStart = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) for (const b of s.inFlight.values()) this.redoInThread(b);
    for (const r of this.reads.splice(0)) this.readInThread(r);
    this.pumpInThread();
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
    this.wakeRestWaiters();
  }

  private start(file: string) {
    let worker: Worker;
    try {
      // A smaller young generation than V8's default (3 × 16 MB semi-spaces) trims ~100 MB of the server's peak on
      // 100 MB of text for no measurable CPU (8 MB: −10 MB more, +8 % CPU). The old generation stays unlimited: a
      // multi-megabyte single-line document must still fit.
      // A worker's stdout would otherwise be the process's: the server speaks the protocol on it, so anything a
      // worker printed (a library's warning, say) would break the stream. It goes to stderr, the client's log.
      worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 16 }, stdout: true });
      worker.stdout.pipe(process.stderr, { end: false });
    } catch (e) {
      this.onWorkerDeath(undefined, `worker did not start: ${(e as Error).message}`);
      return;
    }
    const slot: Slot = { worker, inFlight: new Map(), strings: [] };
    this.slots.push(slot);
    // Idle workers must not keep the process alive; busy ones must (see send and onReply).
    worker.unref();
    worker.on('message', (reply: Reply) => this.onReply(slot, reply));
    worker.on('error', (e) => this.onWorkerDeath(slot, `worker error: ${e.message}`));
    worker.on('exit', (code) => {
      if (!this.closed && !slot.retired) this.onWorkerDeath(slot, `worker exited with code ${code}`);
    });
  }

  private onReply(slot: Slot, reply: Reply) {
    const batch = slot.inFlight.get(reply.id);
    if (!batch) return;
    slot.inFlight.delete(reply.id);
    if (slot.inFlight.size === 0) slot.worker.unref();
    if ('enc' in reply) {
      const strings = joinStrings(reply.enc, slot.strings);
      if (!strings) {
        // Not expected (replies come in order): this worker's rows cannot be read any more; go on without it.
        this.redoInThread(batch);
        this.onWorkerDeath(slot, 'worker strings out of step');
        return;
      }
      slot.strings = strings;
    }
    if ('error' in reply) {
      // The batch failed as a whole (it should not: analysis never throws); redo it here, one document at a time.
      this.redoInThread(batch);
    } else if (batch.read) {
      if (!('reads' in reply) || !this.resolveReads(batch.read, reply.reads, reply.enc, reply.bytes)) this.readInThread(batch.read);
    } else if (!('hashes' in reply)) {
      this.runInThread(batch.jobs);
    } else {
      const results: Analysed[] = [];
      try {
        const reader = new AnalysisReader(reply.enc);
        for (let k = 0; k < batch.jobs.length; k++) {
          // Decoded lazily: the index and the cache take the rows, and no Mention object is made here.
          const at = reader.position;
          const analysis = reader.lazy(batch.jobs[k].text, true);
          rememberEncodedForm(analysis, reply.enc, at);
          results.push({ analysis, hash: reply.hashes[k] });
        }
      } catch {
        for (const r of results) takeClaims(r.analysis);
        this.runInThread(batch.jobs);
        this.schedule();
        return;
      }
      for (let k = 0; k < batch.jobs.length; k++) batch.jobs[k].resolve(results[k]);
    }
    this.schedule();
  }

  private onWorkerDeath(slot: Slot | undefined, reason: string) {
    if (slot) {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      for (const b of slot.inFlight.values()) this.redoInThread(b);
      slot.inFlight.clear();
      slot.worker.terminate().catch(() => 0);
    }
    if (this.slots.length === 0) {
      this.giveUp(reason);
      this.wakeRestWaiters();
    }
    this.schedule();
  }

  private giveUp(reason: string) {
    if (this.fallbackReason === undefined) {
      this.fallbackReason = reason;
      this.options.onFallback?.(reason);
    }
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a microtask: a caller that queues many documents in one go gets them batched together.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump() {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    if (!this.closed) this.startWorkers();
    if (this.slots.length === 0) {
      const jobs = this.queue.slice(this.queueHead);
      this.queue.length = 0;
      this.queueHead = 0;
      this.queuedChars = 0;
      this.runInThread(jobs);
      for (const r of this.reads.splice(0)) this.readInThread(r);
      return;
    }
    // Give each worker batches, least loaded first, while there is work and room. Reads first: a scan waits on them.
    for (;;) {
      if (this.queueHead >= this.queue.length && this.reads.length === 0) break;
      let best: Slot | undefined;
      for (const s of this.slots) if (s.inFlight.size < MAX_IN_FLIGHT && (!best || s.inFlight.size < best.inFlight.size)) best = s;
      if (!best) break;
      const read = this.reads.shift();
      if (read) this.sendRead(best, read);
      else this.send(best, this.takeBatch());
    }
    if (this.queueHead >= this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
    this.armIdle();
  }

  /** Takes queued jobs up to the batch size, but spreads a short queue over the idle workers. */
  private takeBatch(): Job[] {
    const idle = this.slots.filter((s) => s.inFlight.size === 0).length;
    const limit = Math.min(this.batchChars, Math.max(1, Math.ceil(this.queuedChars / Math.max(1, idle))));
    const jobs: Job[] = [];
    let taken = 0;
    while (this.queueHead < this.queue.length && (jobs.length === 0 || taken < limit)) {
      const job = this.queue[this.queueHead++];
      jobs.push(job);
      taken += job.text.length;
    }
    this.queuedChars -= taken;
    return jobs;
  }

  private sendRead(slot: Slot, read: ReadJob) {
    const id = this.nextId++;
    slot.inFlight.set(id, { id, jobs: [], read });
    slot.worker.ref();
    try {
      slot.worker.postMessage({ id, files: read.specs } satisfies Request);
    } catch (e) {
      this.onWorkerDeath(slot, `could not post to worker: ${(e as Error).message}`);
    }
  }

  /**
   * Turns a worker's read reply into results; false when it does not fit the request (then it is redone here). A
   * result's `text` is decoded from the file's bytes when it is first read, not here: see serveAnalyses.
   */
  private resolveReads(read: ReadJob, wire: WireRead[], enc: EncodedAnalyses, bytes: Uint8Array): boolean {
    if (!Array.isArray(wire) || wire.length !== read.specs.length || !(bytes instanceof Uint8Array)) return false;
    const out: FileRead[] = [];
    let from = 0;
    try {
      const reader = new AnalysisReader(enc);
      for (const w of wire) {
        if ('reason' in w) {
          out.push({ ok: false, reason: w.reason });
          continue;
        }
        if (!(w.size >= 0) || from + w.size > bytes.length) return false;
        const text = textOf(bytes.subarray(from, (from += w.size)));
        if (w.cached) {
          out.push({ ok: true, get text() { return text(); }, size: w.size, mtimeMs: w.mtimeMs, cached: true, ...(w.rehashed ? { rehashed: true } : {}) });
        } else {
          const at = reader.position;
          const analysis = reader.lazy(text, true);
          rememberEncodedForm(analysis, enc, at);
          const analysed: Analysed = { analysis, hash: w.hash ?? contentHash(text()) };
          out.push({ ok: true, get text() { return text(); }, size: w.size, mtimeMs: w.mtimeMs, cached: false, analysed });
        }
      }
    } catch {
      return false;
    }
    if (from !== bytes.length) return false;
    read.resolve(out);
    return true;
  }

  private redoInThread(b: Batch) {
    if (b.read) this.readInThread(b.read);
    else this.runInThread(b.jobs);
  }

  /** Reads (and analyses) a read batch in this thread, one file per macrotask, as `runInThread` does. */
  private readInThread(read: ReadJob) {
    const out: FileRead[] = new Array(read.specs.length);
    let pending = read.specs.length;
    read.specs.forEach((spec, k) => {
      const r = readOne(spec);
      if (r.kind !== 'analyse') {
        out[k] = r.result;
        if (--pending === 0) read.resolve(out);
        return;
      }
      const { text, size, mtimeMs } = r;
      this.inThreadQueue.push({
        text,
        resolve: (analysed) => {
          out[k] = { ok: true, text, size, mtimeMs, cached: false, analysed };
          if (--pending === 0) read.resolve(out);
        },
      });
    });
    this.pumpInThread();
  }

  private send(slot: Slot, jobs: Job[]) {
    const id = this.nextId++;
    slot.inFlight.set(id, { id, jobs });
    slot.worker.ref();
    const request: Request = { id, texts: jobs.map((j) => j.text) };
    try {
      slot.worker.postMessage(request);
    } catch (e) {
      this.onWorkerDeath(slot, `could not post to worker: ${(e as Error).message}`);
    }
  }

  private inThreadQueue: Job[] = [];
  private inThreadHead = 0;

  /** Analyses jobs in this thread, one per macrotask. */
  private runInThread(jobs: Job[]) {
    for (const j of jobs) this.inThreadQueue.push(j);
    this.pumpInThread();
  }

  private pumpInThread() {
    if (this.inThreadRunning) return;
    this.inThreadRunning = true;
    const step = () => {
      const job = this.inThreadQueue[this.inThreadHead++];
      if (!job) {
        this.inThreadQueue = [];
        this.inThreadHead = 0;
        this.inThreadRunning = false;
        return;
      }
      job.resolve(analyseSafely(this.fallback, job.text));
      setImmediate(step);
    };
    setImmediate(step);
  }
}

export function defaultPoolSize(): number {
  let n = 1;
  try {
    n = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
  } catch {
    n = 1;
  }
  return Math.max(1, n);
}

/**
 * Reads one file; says whether the cache's record still holds or the text must be analysed (with its hash).
 * `keepBytes`: also the bytes read (see readTextSync).
 */
function readOne(
  spec: ReadSpec,
  keepBytes = false,
): { kind: 'done'; result: FileRead; bytes?: Uint8Array } | { kind: 'analyse'; text: string; size: number; mtimeMs: number; hash: string; bytes?: Uint8Array } {
  const k = spec.known;
  // The hash is needed unless the cache's record holds by size and mtime; it is cheapest while the bytes are at hand.
  const r = readTextSync(spec.abs, spec.maxFileSize, k ?? true, keepBytes);
  if (!r.ok) return { kind: 'done', result: { ok: false, reason: r.reason } };
  const bytes = r.bytes;
  if (k && k.size === r.size && k.mtimeMs === r.mtimeMs) return { kind: 'done', result: { ok: true, text: r.text, size: r.size, mtimeMs: r.mtimeMs, cached: true }, bytes };
  const hash = r.hash ?? contentHash(r.text);
  if (k && k.size === r.size && hash === k.hash) return { kind: 'done', result: { ok: true, text: r.text, size: r.size, mtimeMs: r.mtimeMs, cached: true, rehashed: true }, bytes };
  return { kind: 'analyse', text: r.text, size: r.size, mtimeMs: r.mtimeMs, hash, bytes };
}

/**
 * A file's text, decoded from the bytes a worker read when it is first asked for (then the bytes are let go). The
 * worker decoded the same bytes with the same function (readTextSync), so the text is the one it analysed.
 *
 * Why bytes and not the text: a reply held its batch's 64 texts from the first file read to the message posted, while
 * the worker analysed the others, so they survived its scavenges and were promoted (news text has curly quotes: two
 * bytes a character). As bytes they sit outside the heap. Cold 100 MB session (--trace-gc-nvp): promoted per worker
 * 75 and 39 MB → 25 and 23, mark-compacts 8 and 5 → 4 and 5; peak RSS 489–504 → 454–476 MB in 3 interleaved pairs
 * against the build before. The price is this thread's decoding (~4 ms per MB; main-thread CPU +0.7 s per 100 MB).
 */
function textOf(bytes: Uint8Array): () => string {
  let held: Uint8Array | undefined = bytes;
  let text = '';
  return () => {
    if (held) {
      const d = decodeText(held);
      text = d.ok ? d.text : '';
      held = undefined;
    }
    return text;
  };
}

/** The bytes of a read reply's files, one after the other, in one buffer that is transferred, not copied. */
class ReplyBytes {
  private buf = new Uint8Array(1 << 19);
  private used = 0;

  add(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.used + bytes.length, this.buf.length * 2));
      next.set(this.buf.subarray(0, this.used));
      this.buf = next;
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** The bytes added (a view of a buffer to transfer); the next reply starts a buffer of its own. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.used);
    this.buf = new Uint8Array(Math.max(1 << 16, Math.min(this.buf.length, 1 << 22)));
    this.used = 0;
    return out;
  }
}

/** The analysis, or an empty one that says why analysis failed (it should never throw). */
function analyseOrReport(analyse: Analyse, text: string): DocAnalysis {
  try {
    return analyse(text);
  } catch (e) {
    return { mentions: [], quotes: [], roles: [], problems: [{ message: `analysis failed: ${(e as Error).message}` }] };
  }
}

function analyseSafely(analyse: Analyse, text: string): Analysed {
  return { analysis: analyseOrReport(analyse, text), hash: contentHash(text) };
}

/**
 * The worker side: answers analysis requests with encoded results, and the claims of each analysis when `claim` is
 * given (so that the main thread only inserts them). Called by worker.ts in a worker thread.
 */
export function serveAnalyses(analyse: Analyse, claim?: Claim): void {
  const port = parentPort;
  if (!port) return;
  // Each distinct string goes to the main thread once (in the first reply that uses it), not once per batch.
  const sent = new StringList();
  // A reply that failed may or may not have carried new strings: the next one starts a new list.
  const forget = () => {
    sent.ids.clear();
    sent.size = 0;
  };
  const claimOf = (a: DocAnalysis): DocClaims | undefined => {
    if (!claim) return undefined;
    try {
      return claim(a);
    } catch {
      return undefined; // the main thread computes them again and reports the failure there
    }
  };
  const replyBytes = new ReplyBytes();
  // Each analysis is encoded as soon as it is made (analysisCodec.ts AnalysisEncoder), so that its objects die young.
  port.on('message', (req: Request) => {
    const encoder = new AnalysisEncoder(sent);
    try {
      if ('files' in req) {
        // The files' bytes go back instead of their texts (see textOf): off the heap, transferred, and decoded on the
        // main thread when read.
        const wire: WireRead[] = [];
        for (const spec of req.files) {
          const r = readOne(spec, true);
          if (r.kind === 'done') {
            const res = r.result;
            if (res.ok) replyBytes.add(r.bytes!);
            wire.push(res.ok ? { size: res.size, mtimeMs: res.mtimeMs, cached: res.cached, ...(res.rehashed ? { rehashed: true } : {}) } : { reason: res.reason });
            continue;
          }
          replyBytes.add(r.bytes!);
          const analysis = analyseOrReport(analyse, r.text);
          encoder.add(analysis, claimOf(analysis));
          wire.push({ size: r.size, mtimeMs: r.mtimeMs, cached: false, hash: r.hash });
        }
        const enc = encoder.finish();
        const bytes = replyBytes.take();
        port.postMessage({ id: req.id, enc, reads: wire, bytes } satisfies Reply, [enc.ints.buffer as ArrayBuffer, enc.floats.buffer as ArrayBuffer, bytes.buffer as ArrayBuffer]);
      } else {
        const hashes: string[] = [];
        for (const text of req.texts) {
          const analysis = analyseOrReport(analyse, text);
          encoder.add(analysis, claimOf(analysis));
          hashes.push(contentHash(text));
        }
        const enc = encoder.finish();
        port.postMessage({ id: req.id, enc, hashes } satisfies Reply, [enc.ints.buffer as ArrayBuffer, enc.floats.buffer as ArrayBuffer]);
      }
    } catch (e) {
      encoder.abandon();
      replyBytes.take();
      forget();
      port.postMessage({ id: req.id, error: (e as Error).message } satisfies Reply);
    }
  });
}
