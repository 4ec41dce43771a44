// A small pool of worker threads that analyse documents, so that a cold scan uses every core.
//
// Both ends of the protocol live here (the worker entry, worker.ts, only plugs the analyser in), so they cannot
// drift. Documents are queued and sent in batches of about `batchChars` characters; each worker keeps up to two
// batches in flight so it never waits for the main thread, and a burst of requests made while the workers are busy
// coalesces into larger batches, which keeps messaging overhead low. Results come back in the columnar form of
// analysisCodec.ts with their typed arrays transferred, not cloned.
//
// When workers cannot start (no worker file, a sandbox without threads) or die, the pool analyses in the calling
// thread instead, one document per macrotask so that the host stays responsive; callers never see the difference.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker, parentPort } from 'node:worker_threads';
import type { DocAnalysis } from '../core/model';
import { decodeAnalyses, encodeAnalyses, type EncodedAnalyses } from './analysisCodec';

export type Analyse = (text: string) => DocAnalysis;

export interface Analysed {
  analysis: DocAnalysis;
  /** The content hash of the text (see contentHash), computed where the analysis was made. */
  hash: string;
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

/** The content hash the cache validates files with: SHA-1 of the decoded text, base64url. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

interface Job {
  text: string;
  resolve: (r: Analysed) => void;
}

interface Batch {
  id: number;
  jobs: Job[];
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Batch>;
  /** Stopped on purpose (idle): its exit is not a death. */
  retired?: boolean;
}

interface Request {
  id: number;
  texts: string[];
}

type Reply = { id: number; enc: EncodedAnalyses; hashes: string[] } | { id: number; error: string };

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

  /** Stops the workers once nothing has been asked of them for `idleMs`; the next request starts them again. */
  private armIdle() {
    const ms = this.options.idleMs ?? 10_000;
    if (!ms || this.closed || !this.started || this.slots.length === 0 || this.idleTimer) return;
    if (this.queueHead < this.queue.length || this.slots.some((s) => s.inFlight.size > 0)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.closed || this.queueHead < this.queue.length || this.slots.some((s) => s.inFlight.size > 0)) return;
      const slots = this.slots;
      this.slots = [];
      for (const s of slots) {
        s.retired = true;
        s.worker.terminate().catch(() => 0);
      }
      this.pendingStart = this.started;
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

  /** Jobs queued or being analysed. */
  get pending(): number {
    let n = this.queue.length - this.queueHead;
    for (const s of this.slots) for (const b of s.inFlight.values()) n += b.jobs.length;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pendingStart = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) for (const b of s.inFlight.values()) this.runInThread(b.jobs);
    this.pumpInThread();
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
  }

  private start(file: string) {
    let worker: Worker;
    try {
      worker = new Worker(file);
    } catch (e) {
      this.onWorkerDeath(undefined, `worker did not start: ${(e as Error).message}`);
      return;
    }
    const slot: Slot = { worker, inFlight: new Map() };
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
    if ('error' in reply) {
      // The batch failed as a whole (it should not: analysis never throws); redo it here, one document at a time.
      this.runInThread(batch.jobs);
    } else {
      let analyses: DocAnalysis[];
      try {
        analyses = decodeAnalyses(
          reply.enc,
          batch.jobs.map((j) => j.text),
        );
      } catch {
        this.runInThread(batch.jobs);
        this.schedule();
        return;
      }
      for (let k = 0; k < batch.jobs.length; k++) batch.jobs[k].resolve({ analysis: analyses[k], hash: reply.hashes[k] });
    }
    this.schedule();
  }

  private onWorkerDeath(slot: Slot | undefined, reason: string) {
    if (slot) {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      for (const b of slot.inFlight.values()) this.runInThread(b.jobs);
      slot.inFlight.clear();
      slot.worker.terminate().catch(() => 0);
    }
    if (this.slots.length === 0) this.giveUp(reason);
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
      return;
    }
    // Give each worker batches, least loaded first, while there is work and room.
    for (;;) {
      if (this.queueHead >= this.queue.length) break;
      let best: Slot | undefined;
      for (const s of this.slots) if (s.inFlight.size < MAX_IN_FLIGHT && (!best || s.inFlight.size < best.inFlight.size)) best = s;
      if (!best) break;
      this.send(best, this.takeBatch());
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

function analyseSafely(analyse: Analyse, text: string): Analysed {
  let analysis: DocAnalysis;
  try {
    analysis = analyse(text);
  } catch (e) {
    analysis = { mentions: [], quotes: [], roles: [], problems: [{ message: `analysis failed: ${(e as Error).message}` }] };
  }
  return { analysis, hash: contentHash(text) };
}

/** The worker side: answers analysis requests with encoded results. Called by worker.ts in a worker thread. */
export function serveAnalyses(analyse: Analyse): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (req: Request) => {
    try {
      const results = req.texts.map((t) => analyseSafely(analyse, t));
      const enc = encodeAnalyses(results.map((r) => r.analysis));
      const reply: Reply = { id: req.id, enc, hashes: results.map((r) => r.hash) };
      port.postMessage(reply, [enc.ints.buffer as ArrayBuffer, enc.floats.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ id: req.id, error: (e as Error).message } satisfies Reply);
    }
  });
}
