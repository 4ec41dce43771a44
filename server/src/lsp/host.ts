// The workspace side of the language server: keeps the corpus index equal to the workspace's files, with the text
// of open documents in place of what is on disk. It scans the folders at start (in batches, yielding to the event
// loop so requests are answered from what is indexed so far), applies file-watcher events and editor changes
// incrementally, and reports its status. It knows no protocol: everything it sends goes through `HostClient`, and
// the file system through `FileSource`, so tests can drive it in memory.

import type { DocAnalysis } from '../core/model';
import type { CorpusSettings, IndexStatus, SkippedFile } from '../protocol';
import { validateSettings } from './config';
import type { MutableCorpus } from './corpus';
import { documentKey, isInside, keyToPath, pathToKey } from './uris';

export interface FileSource {
  /** The files of a folder that the settings include, and those left out before reading (too large ...). */
  list(
    folder: string,
    settings: CorpusSettings,
    isCancelled: () => boolean,
  ): Promise<{ files: string[]; skipped: { path: string; reason: string }[] }>;
  /** A file's decoded text, or why it is skipped. Never throws. */
  read(
    path: string,
    settings: CorpusSettings,
  ): Promise<{ ok: true; text: string; size?: number; mtimeMs?: number } | { ok: false; reason: string }>;
  /** Whether a file of the folder (from a watcher event) is one the settings include. */
  includes(folder: string, path: string, settings: CorpusSettings): Promise<boolean>;
  /**
   * `read` without waiting, for `CorpusHost.textOf`: a request that shows a quotation reads its file again, in the
   * middle of the request, when the index keeps no texts. Absent: such texts cannot be given back.
   */
  readSync?(path: string, settings: CorpusSettings): { ok: true; text: string } | { ok: false; reason: string };
}

/** Analysis made outside the index during a scan: from a cache, in worker threads. */
export interface Analyser {
  /**
   * The file's analysis, or undefined to let the index analyse the text itself. Never rejects. `few`: one of a handful
   * of files read on top of a restored snapshot, where starting threads and loading a whole cache would cost more
   * (time and memory) than analysing a small file in place.
   */
  analyse(file: { folder: string; path: string; text: string; size?: number; mtimeMs?: number; few?: boolean }): Promise<DocAnalysis | undefined>;
  /** A scan starts (before listing): a moment to start worker threads. */
  scanning?(): void;
  /**
   * Reads a batch of the scan's files itself (in worker threads) and analyses them, or answers undefined to leave
   * reading to the FileSource. Only for an analyser that reads the same files the FileSource would, in the same way.
   */
  readBatch?(files: { folder: string; path: string; settings: CorpusSettings }[]): Promise<ScanRead[] | undefined>;
  /** A scan ended; `complete` when every listed file was read (a cache may then forget files no longer there). */
  scanned?(complete: boolean): void;
  /**
   * An earlier session's snapshot of the whole index for these folders, when there is one to try (undefined at once
   * when there is none), so that a reopened workspace puts only what changed into the index. See node/snapshot.ts.
   */
  snapshot?(index: MutableCorpus, folders: { path: string; settings: CorpusSettings }[]): Promise<IndexSnapshot | undefined> | undefined;
  /** The workspace's folders are known (their settings not yet): a moment to start reading their snapshot. */
  prefetch?(roots: string[]): void;
  /**
   * The index settled (a scan ended, changes were applied): a moment to save a snapshot of it, in idle time. `files`
   * gives, when asked, the size and mtime of the file each document's indexed text was read from (documents holding
   * the editor's text are not in it).
   */
  settled?(index: MutableCorpus, folders: { path: string; settings: CorpusSettings }[], files: () => ReadonlyMap<string, DiskStamp>): void;
  /** The folders are about to be listed; `listed` follows with what the listing gave (undefined: it failed). Both for
   *  the snapshot, which records the listing (see IndexSnapshot.listing). */
  listing?(folders: { path: string; settings: CorpusSettings }[]): void;
  listed?(folders: { path: string; settings: CorpusSettings }[], results: FolderListing[] | undefined): void;
}

/** What FileSource.list gives for one folder. */
export type FolderListing = Awaited<ReturnType<FileSource['list']>>;

/** A file as it was when its text was read. */
export interface DiskStamp {
  size: number;
  mtimeMs: number;
}

/** A snapshot read from disk, not yet in the index. */
export interface IndexSnapshot {
  /** The listing of the folders recorded with the snapshot, per folder, when nothing shows it changed since (no
   *  directory's mtime did): then the scan need not list them again. */
  listing?(): Array<FolderListing & { keys?: ReadonlyArray<string | undefined> }> | undefined;
  /** Fills the index, which must hold nothing; false when it cannot (the index is then as it was). */
  apply(): boolean;
  /** The listed files the snapshot still describes (same size and mtime, or same content), with their stamps. */
  validate(
    files: ReadonlyArray<{ key: string; path: string; folder: { settings: CorpusSettings } }>,
    isCancelled: () => boolean,
    /** Files not to check (the editor's). */
    skip?: (key: string) => boolean,
  ): Promise<Map<string, DiskStamp>>;
}

/** One file of a scan batch: its text and analysis (undefined: the index analyses it), or why it is skipped. */
export type ScanRead =
  | {
      ok: true;
      text: string;
      size?: number;
      mtimeMs?: number;
      analysis?: DocAnalysis;
      /** Without `analysis`: makes it in this thread, as the file is put into the index (undefined: the index
       *  analyses the text itself). */
      analyseHere?: () => DocAnalysis | undefined;
    }
  | { ok: false; reason: string };

export interface ProgressReporter {
  report(done: number, total: number): void;
  done(): void;
  /** Called when the user cancels the progress. */
  onCancel(listener: () => void): void;
}

export interface HostClient {
  status(status: IndexStatus): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Starts a progress display for the scan. */
  progress(title: string): Promise<ProgressReporter>;
  /** Raw `corpusNavigator` settings for each folder URI, in order. */
  configuration(folderUris: string[]): Promise<unknown[]>;
}

export interface WorkspaceFolder {
  uri: string;
  name?: string;
}

interface Folder {
  key: string;
  path: string;
  settings: CorpusSettings;
}

/** How long the scan may keep the event loop before it lets requests in. */
const SLICE_MS = 20;
/** Files read (and analysed) at once during the scan. */
const BATCH = 64;
/** At most this many files read on top of a restored snapshot count as "few" (Analyser.analyse). */
const FEW_AFTER_SNAPSHOT = 16;
/** How many batches are read and analysed ahead of the one being indexed. */
const BATCHES_AHEAD = 4;
const STATUS_INTERVAL_MS = 200;
const INCREMENTAL_STATUS_DELAY_MS = 50;
/** How long an edit waits for the next keystroke before it is analysed (requests never wait: they flush). */
const EDIT_DELAY_MS = 30;
const MAX_SKIPPED_IN_STATUS = 500;
const MAX_SKIP_LOG_LINES = 200;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class CorpusHost {
  private folders: Folder[] = [];
  /** Keys of documents open in the editor: their text comes from the editor, not the disk. */
  private readonly open = new Set<string>();
  /** The editor's texts as last put into the index, by key, until the index takes the file's text (or drops the
   *  document): what `textOf` gives back for them. */
  private readonly overlay = new Map<string, string>();
  /** Bumped on every editor or watcher event per key, so a slower disk read never overwrites newer text. */
  private readonly writes = new Map<string, number>();
  /** The size and mtime of the file each document's indexed text was read from (for the snapshot's file table): only
   *  while the index holds that text, so an open document the editor has not changed keeps its file's stamp (and is
   *  restored from the snapshot at the next start instead of being read and analysed again). */
  private diskStamps = new Map<string, DiskStamp>();
  /** 'indexing' until the first workspace scan ends, so that a status sent for an early didOpen is not read as "ready". */
  private state: IndexStatus['state'] = 'indexing';
  private filesDone = 0;
  private filesTotal = 0;
  private cancelled = false;
  private scanGeneration = 0;
  private scanRun: Promise<void> = Promise.resolve();
  private cancelScan: () => void = () => {};
  /** Watcher events and close-time reads run one after another, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  /** Editor text waiting to be analysed, by key. */
  private readonly pending = new Map<string, string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStatusAt = 0;

  constructor(
    readonly index: MutableCorpus,
    private readonly files: FileSource,
    private readonly client: HostClient,
    /** Analyses from a cache or worker threads during scans; the index analyses in place when absent. */
    private analyser?: Analyser,
  ) {}

  useAnalyser(analyser: Analyser | undefined): void {
    this.analyser = analyser;
  }

  get indexing(): boolean {
    return this.state === 'indexing';
  }

  settingsFor(key: string): CorpusSettings | undefined {
    return this.folderOf(key)?.settings;
  }

  folderSettings(): { uri: string; settings: CorpusSettings }[] {
    return this.folders.map((f) => ({ uri: f.key, settings: f.settings }));
  }

  setFolders(folders: WorkspaceFolder[]): void {
    const seen = new Set<string>();
    this.folders = [];
    for (const f of folders) {
      const key = documentKey(f.uri).replace(/\/$/, '');
      const path = keyToPath(key);
      if (!path || seen.has(key)) continue; // only file-system folders can be scanned
      seen.add(key);
      this.folders.push({ key, path, settings: validateSettings(undefined).settings });
    }
    // Only before the first scan: a later change of folders scans into an index that is not empty.
    if (this.scanGeneration === 0) {
      try {
        this.analyser?.prefetch?.(this.folders.map((f) => f.path));
      } catch {
        // only a head start
      }
    }
  }

  /** Reads the settings of every folder; returns whether any changed. */
  async loadSettings(): Promise<boolean> {
    let raw: unknown[] = [];
    try {
      raw = await this.client.configuration(this.folders.map((f) => f.key));
    } catch (e) {
      this.client.log('warn', `Could not read the settings, using the defaults: ${message(e)}`);
    }
    let changed = false;
    this.folders.forEach((folder, i) => {
      const { settings, problems } = validateSettings(raw[i]);
      for (const p of problems) this.client.log('warn', p);
      if (JSON.stringify(settings) !== JSON.stringify(folder.settings)) changed = true;
      folder.settings = settings;
    });
    return changed;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The workspace scan

  /** Scans every folder again; resolves when the scan ends (finished or cancelled). */
  rescan(): Promise<void> {
    this.flush();
    this.cancelScan();
    const previous = this.scanRun;
    const generation = ++this.scanGeneration;
    this.scanRun = previous.then(() => this.scan(generation)).catch((e) => {
      this.client.log('error', `Indexing failed: ${message(e)}`);
      this.finishScan(false);
    });
    return this.scanRun;
  }

  private async scan(generation: number): Promise<void> {
    let cancelled = false;
    this.cancelScan = () => (cancelled = true);
    const started = Date.now();
    const stop = () => cancelled || generation !== this.scanGeneration;
    // One log line per skipped file, up to a point: a folder of 100,000 images must not flood the log.
    let skips = 0;
    const logSkip = (path: string, reason: string) => {
      if (++skips <= MAX_SKIP_LOG_LINES) this.client.log('info', `Skipped ${path}: ${reason}`);
    };

    this.state = 'indexing';
    this.cancelled = false;
    this.filesDone = 0;
    this.filesTotal = 0;
    this.sendStatus(true);
    // The progress display is not waited for: a client slow to answer must not hold the scan up.
    let progress: ProgressReporter | undefined;
    let ended = false;
    this.client.progress('Indexing corpus').then(
      (p) => {
        if (ended) return p.done();
        progress = p;
        p.onCancel(() => (cancelled = true));
        if (this.filesTotal) p.report(this.filesDone, this.filesTotal);
      },
      () => undefined,
    );

    // An earlier session's snapshot, read first (its record of the listing may spare listing the folders). Only into
    // an index that holds nothing of the disk's yet (the first scan; the editor's texts are put back on top), and then
    // the worker threads are not started: a warm reopen may need none.
    let snapshot: Promise<IndexSnapshot | undefined> | undefined;
    if (this.index.skipped().length === 0 && this.index.documents().every((d) => this.open.has(d))) {
      try {
        snapshot = this.analyser?.snapshot?.(this.index, this.folders.map((f) => ({ path: f.path, settings: f.settings })))?.catch(() => undefined);
      } catch {
        snapshot = undefined;
      }
    }
    if (!snapshot) {
      try {
        this.analyser?.scanning?.();
      } catch {
        // only a head start: the first batch starts the workers anyway
      }
    }
    // The snapshot's own record of the listing, when nothing changed it; else the folders are listed (and that is
    // recorded for the next snapshot).
    const snap = snapshot ? await snapshot : undefined;
    const folderList = this.folders.map((f) => ({ path: f.path, settings: f.settings }));
    let recorded: Array<FolderListing & { keys?: ReadonlyArray<string | undefined> }> | undefined;
    try {
      recorded = !stop() ? snap?.listing?.() : undefined;
      if (recorded && recorded.length !== this.folders.length) recorded = undefined;
      if (!recorded) this.analyser?.listing?.(folderList);
    } catch {
      recorded = undefined;
    }
    const results: FolderListing[] = [];
    // List every folder first, so that progress has a total.
    const listed: { key: string; path: string; folder: Folder }[] = [];
    const listedSkips: Array<[key: string, reason: string]> = [];
    const keep = new Set<string>();
    for (const [n, folder] of this.folders.entries()) {
      if (stop()) break;
      let result: FolderListing & { keys?: ReadonlyArray<string | undefined> };
      try {
        result = recorded ? recorded[n] : await this.files.list(folder.path, folder.settings, stop);
      } catch (e) {
        this.client.log('error', `Could not list ${folder.path}: ${message(e)}`);
        continue;
      }
      results.push(result);
      for (const s of result.skipped) {
        const key = pathToKey(s.path);
        if (keep.has(key)) continue; // nested workspace folders list some files twice
        keep.add(key);
        if (!this.open.has(key)) listedSkips.push([key, s.reason]);
        logSkip(s.path, s.reason);
      }
      // A recorded listing may come with the keys of its paths (those the snapshot's file table has).
      const keys = result.keys?.length === result.files.length ? result.keys : undefined;
      for (let i = 0; i < result.files.length; i++) {
        const path = result.files[i];
        const key = keys?.[i] ?? scanKey(path);
        if (keep.has(key)) continue;
        keep.add(key);
        listed.push({ key, path, folder });
      }
    }
    if (!recorded) {
      try {
        this.analyser?.listed?.(folderList, results.length === this.folders.length && !stop() ? results : undefined);
      } catch {
        // only a record for the next start
      }
    }
    // The snapshot, restored and checked file by file: only the files it does not describe are read below.
    const restored = snap && !stop() ? await this.restoreSnapshot(snap, listed, stop) : undefined;
    if (snapshot && !restored) {
      try {
        this.analyser?.scanning?.();
      } catch {
        // as above
      }
    }
    // Skips are set after the snapshot (it needs an index without any); one it restored as it is stays untouched.
    const skippedBefore = new Map(this.index.skipped().map((x) => [x.doc, x.reason]));
    for (const [key, reason] of listedSkips) if (skippedBefore.get(key) !== reason) this.index.setSkipped(key, reason);
    // What was indexed before and is no longer listed (a rescan after a settings change) goes.
    if (!stop()) {
      for (const key of this.index.documents()) if (!keep.has(key) && !this.open.has(key)) this.drop(key);
      for (const { doc } of this.index.skipped()) if (!keep.has(doc) && !this.open.has(doc)) this.index.deleteDocument(doc);
    }
    this.filesTotal = listed.length;
    const toRead = restored ? listed.filter((f) => !restored.has(f.key)) : listed;
    const done0 = listed.length - toRead.length;
    this.filesDone = done0;
    progress?.report(this.filesDone, this.filesTotal);
    this.sendStatus(true);

    // Reading and analysing (in worker threads when the host has them) of the next batch overlaps with putting the
    // current one into the index, which happens in slices so that requests are answered in between.
    // A handful of files on top of a snapshot are read here (see Analyser.analyse's `few`).
    const few = !!restored && toRead.length <= FEW_AFTER_SNAPSHOT;
    const prepare = async (batch: typeof listed) => {
      const stamps = batch.map((f) => this.writes.get(f.key) ?? 0);
      const analyser = this.analyser;
      if (analyser?.readBatch && !few) {
        const read = await Promise.resolve()
          .then(() => analyser.readBatch!(batch.map((f) => ({ folder: f.folder.path, path: f.path, settings: f.folder.settings }))))
          .catch(() => undefined);
        if (read && read.length === batch.length) {
          return { batch, stamps, results: read.map((r) => ({ r, analysis: r.ok ? r.analysis : undefined, later: r.ok ? r.analyseHere : undefined })) };
        }
      }
      return Promise.all(
        batch.map(async (f) => {
          const r = await this.files.read(f.path, f.folder.settings).catch((e) => ({ ok: false as const, reason: message(e) }));
          const analysis =
            r.ok && this.analyser
              ? // Through a promise, so that an analyser that throws instead of rejecting costs one file, not the scan.
                await Promise.resolve()
                  .then(() => this.analyser!.analyse({ folder: f.folder.path, path: f.path, text: r.text, size: r.size, mtimeMs: r.mtimeMs, few }))
                  .catch(() => undefined)
              : undefined;
          return { r, analysis, later: undefined };
        }),
      ).then((results) => ({ batch, stamps, results }));
    };
    let sliceStart = Date.now();
    // Several batches are kept in preparation so that the worker threads never wait for the index to take the last
    // one (with a single batch ahead they sat idle a third of a cold scan).
    const pending: Array<ReturnType<typeof prepare>> = [];
    let queued = 0;
    const fill = () => {
      while (pending.length < BATCHES_AHEAD && queued < toRead.length) {
        pending.push(prepare(toRead.slice(queued, queued + BATCH)));
        queued += BATCH;
      }
    };
    fill();
    for (let i = 0; pending.length > 0 && !stop(); i += BATCH) {
      const { batch, stamps, results } = await pending.shift()!;
      fill();
      for (let j = 0; j < batch.length && !stop(); j++) {
        const { key, path } = batch[j];
        // An editor or watcher event since the read began knows better than the read.
        if (this.open.has(key) || (this.writes.get(key) ?? 0) !== stamps[j]) continue;
        const { r, analysis, later } = results[j];
        if (r.ok) {
          this.setText(key, r.text, analysis ?? later?.());
          if (r.size !== undefined && r.mtimeMs !== undefined) this.diskStamps.set(key, { size: r.size, mtimeMs: r.mtimeMs });
        } else {
          // Unchanged, it changes nothing (and leaves the snapshot on disk as good as it was).
          if (skippedBefore.get(key) !== r.reason) this.index.setSkipped(key, r.reason);
          logSkip(path, r.reason);
        }
        this.filesDone = done0 + i + j + 1;
        if (Date.now() - sliceStart >= SLICE_MS) {
          progress?.report(this.filesDone, this.filesTotal);
          this.sendStatus(false);
          await yieldToEventLoop();
          sliceStart = Date.now();
        }
      }
      progress?.report(this.filesDone, this.filesTotal);
      this.sendStatus(false);
    }
    ended = true;
    progress?.done();
    try {
      // After a restored snapshot the cache saw only the changed files: it must not forget the others.
      this.analyser?.scanned?.(!stop() && !restored);
    } catch (e) {
      this.client.log('warn', `After the scan: ${message(e)}`);
    }
    if (generation === this.scanGeneration) {
      if (skips > MAX_SKIP_LOG_LINES) this.client.log('info', `… and ${skips - MAX_SKIP_LOG_LINES} more files skipped.`);
      this.client.log('info', `Indexed ${this.filesDone} of ${this.filesTotal} files in ${Date.now() - started} ms (${skips} skipped).`);
      this.finishScan(cancelled);
    }
  }

  private finishScan(cancelled: boolean): void {
    this.state = 'ready';
    this.cancelled = cancelled;
    if (cancelled) this.client.log('info', `Indexing cancelled after ${this.filesDone} of ${this.filesTotal} files.`);
    this.sendStatus(true);
    if (!cancelled) this.settle();
  }

  /**
   * Puts a snapshot into the index (which holds at most the editor's texts: they come out and go back on top) and
   * checks the listed files against it; returns those it still describes, or undefined when it was not used.
   */
  private async restoreSnapshot(
    snap: IndexSnapshot,
    listed: { key: string; path: string; folder: Folder }[],
    stop: () => boolean,
  ): Promise<Map<string, DiskStamp> | undefined> {
    if (stop()) return undefined;
    // From here to apply() without waiting: nothing can come in between.
    const docs = this.index.documents();
    if (this.index.skipped().length || !docs.every((d) => this.open.has(d))) return undefined;
    const edited = docs.map((d) => [d, this.index.text(d)] as const);
    for (const [d] of edited) this.index.deleteDocument(d);
    let ok = false;
    try {
      ok = snap.apply();
    } finally {
      for (const [d, t] of edited) if (t !== undefined) this.setText(d, t, undefined, true);
    }
    if (!ok) return undefined;
    const valid = await snap.validate(listed, stop, this.open.size ? (key) => this.open.has(key) : undefined).catch(() => new Map<string, DiskStamp>());
    // The stamps as validate made them (never changed in place: a file's new stamp replaces the entry); with none
    // yet (a first scan), the map itself, not a copy of its 22,535 entries (at 100 MB). It is the caller's `restored`
    // too: what the scan reads next is worked out from it before any file's stamp changes.
    if (this.diskStamps.size === 0) this.diskStamps = valid;
    else for (const [key, st] of valid) this.diskStamps.set(key, st);
    return valid;
  }

  /** Tells the analyser the index settled (it may save a snapshot in idle time). */
  private settle(): void {
    if (this.state !== 'ready' || !this.analyser?.settled) return;
    try {
      const folders = this.folders.map((f) => ({ path: f.path, settings: f.settings }));
      this.analyser.settled(this.index, folders, () => {
        const out = new Map<string, DiskStamp>();
        for (const [key, st] of this.diskStamps) out.set(key, st);
        return out;
      });
    } catch (e) {
      this.client.log('warn', `After the index settled: ${message(e)}`);
    }
  }

  /** Stops a running scan (what is indexed so far stays). */
  cancel(): void {
    this.cancelScan();
  }

  /** Resolves when no scan is running. */
  whenScanned(): Promise<void> {
    return this.scanRun;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Editor events: open documents are an overlay over the disk

  /**
   * A document was opened or edited: its text replaces the file's. Analysis waits a moment so that a burst of
   * keystrokes is analysed once; any request flushes it first (see `flush`), so no answer ever misses an edit.
   */
  didChange(uri: string, text: string): void {
    const key = documentKey(uri);
    this.open.add(key);
    this.bump(key);
    this.pending.set(key, text);
    this.flushTimer ??= setTimeout(() => this.flush(), EDIT_DELAY_MS);
  }

  /** Puts edits not yet analysed into the index. Cheap when there are none; called before every request. */
  flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.pending.size === 0) return;
    const edits = [...this.pending];
    this.pending.clear();
    for (const [key, text] of edits) {
      if (!this.open.has(key)) continue;
      // The same text as indexed (a file opened as it is on disk) is not analysed again, but from now on it is the
      // editor's: the file may change under the open document. An edit of the editor's text indexed last is a change
      // without asking the index (which would decode its copy of the text, at every keystroke).
      const shown = this.overlay.get(key);
      if ((shown !== undefined && shown !== text) || this.index.text(key) !== text) this.setText(key, text, undefined, true);
      else this.overlay.set(key, text);
    }
    this.scheduleStatus();
  }

  /**
   * The text the index holds for `key`, for an index that keeps none of its own (CorpusIndexOptions.textSource): the
   * editor's as last indexed, else the file's, read again now (synchronously: the request that asks waits for one
   * small read, ~30 µs for an article). A file changed on disk since it was indexed comes back as it is now; the index
   * notices (length and fingerprint, docText.ts) and answers without its text until the watcher's event re-indexes it.
   */
  textOf(key: string): string | undefined {
    const edited = this.overlay.get(key);
    if (edited !== undefined) return edited;
    const path = keyToPath(key);
    if (!path || !this.files.readSync) return undefined;
    try {
      const r = this.files.readSync(path, this.folderOf(key)?.settings ?? validateSettings(undefined).settings);
      return r.ok ? r.text : undefined;
    } catch {
      return undefined;
    }
  }

  /** The editor's text is gone: the document falls back to its file, or leaves the index if it has none. */
  didClose(uri: string): Promise<void> {
    const key = documentKey(uri);
    this.pending.delete(key);
    this.open.delete(key);
    const stamp = this.bump(key);
    return this.enqueue(async () => {
      if (this.open.has(key) || this.writes.get(key) !== stamp) return;
      await this.refreshFromDisk(key, stamp);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // File-watcher events

  didChangeFiles(changes: { uri: string; type: 'created' | 'changed' | 'deleted' }[]): Promise<void> {
    const work = changes.map((c) => ({ key: documentKey(c.uri), type: c.type }));
    const stamps = work.map((w) => this.bump(w.key));
    return this.enqueue(async () => {
      for (let i = 0; i < work.length; i++) {
        const { key, type } = work[i];
        if (this.writes.get(key) !== stamps[i]) continue; // a later event for the same file will handle it
        if (type === 'deleted') {
          this.deleteUnder(key);
        } else if (!this.open.has(key)) {
          await this.refreshFromDisk(key, stamps[i]);
        }
      }
      this.scheduleStatus();
    });
  }

  /** Reads a workspace file into the index (or marks it skipped, or removes it when it is not part of the corpus). */
  private async refreshFromDisk(key: string, stamp: number): Promise<void> {
    const folder = this.folderOf(key);
    const path = keyToPath(key);
    if (!folder || !path || !(await this.files.includes(folder.path, path, folder.settings).catch(() => false))) {
      this.drop(key);
      this.scheduleStatus();
      return;
    }
    const r = await this.files.read(path, folder.settings);
    if (this.open.has(key) || this.writes.get(key) !== stamp) return;
    // A changed file is analysed like the scan's (cache, worker threads), so a large one does not block requests.
    const analysis =
      r.ok && this.analyser
        ? await Promise.resolve().then(() => this.analyser!.analyse({ folder: folder.path, path, text: r.text, size: r.size, mtimeMs: r.mtimeMs })).catch(() => undefined)
        : undefined;
    if (this.open.has(key) || this.writes.get(key) !== stamp) return;
    if (r.ok) {
      this.setText(key, r.text, analysis);
      if (r.size !== undefined && r.mtimeMs !== undefined) this.diskStamps.set(key, { size: r.size, mtimeMs: r.mtimeMs });
    } else if (/ENOENT|no such file|not found|does not exist/i.test(r.reason)) this.drop(key);
    else {
      this.drop(key);
      this.index.setSkipped(key, r.reason);
      this.client.log('info', `Skipped ${path}: ${r.reason}`);
    }
    this.scheduleStatus();
  }

  /** A deleted path may be a file or a whole folder. */
  private deleteUnder(key: string): void {
    for (const doc of this.index.documents()) {
      if ((doc === key || isInside(key, doc)) && !this.open.has(doc)) this.drop(doc);
    }
    for (const s of this.index.skipped()) {
      if (s.doc === key || isInside(key, s.doc)) this.index.deleteDocument(s.doc);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** `edited`: the text is the editor's, not the file's (see `overlay`). A file's stamp is the caller's to set after. */
  private setText(key: string, text: string, analysis?: DocAnalysis, edited = false): void {
    this.diskStamps.delete(key);
    if (edited) this.overlay.set(key, text);
    else this.overlay.delete(key);
    try {
      if (analysis) this.index.setAnalysed(key, text, analysis);
      else this.index.setDocument(key, text);
    } catch (e) {
      // One document's failure must not stop the others: it is reported and left out.
      this.client.log('error', `Could not analyse ${key}: ${message(e)}`);
      try {
        this.index.deleteDocument(key);
        this.index.setSkipped(key, `analysis failed: ${message(e)}`);
      } catch {
        /* the index is already as clean as it can be */
      }
    }
  }

  private drop(key: string): void {
    this.diskStamps.delete(key);
    this.overlay.delete(key);
    this.index.deleteDocument(key);
  }

  private bump(key: string): number {
    const n = (this.writes.get(key) ?? 0) + 1;
    this.writes.set(key, n);
    return n;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work).catch((e) => this.client.log('error', `Updating the index failed: ${message(e)}`));
    this.queue = run;
    return run;
  }

  private folderOf(key: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folders) if (isInside(f.key, key) && (!best || f.key.length > best.key.length)) best = f;
    return best;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Status

  status(): IndexStatus {
    const stats = this.index.stats();
    const skipped: SkippedFile[] = this.index
      .skipped()
      .slice(0, MAX_SKIPPED_IN_STATUS)
      .map((s) => ({ uri: s.doc, reason: s.reason }));
    return {
      state: this.state,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      version: this.index.version,
      counts: {
        documents: stats.documents,
        people: stats.people,
        organisations: stats.organisations,
        quotes: stats.quotes,
        mentions: stats.mentions,
        skipped: stats.skipped,
      },
      skipped,
      ...(this.cancelled ? { cancelled: true } : {}),
    };
  }

  /** Sends the status now when `force`, else at most every STATUS_INTERVAL_MS while scanning. */
  private sendStatus(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastStatusAt < STATUS_INTERVAL_MS) return;
    if (this.statusTimer) {
      clearTimeout(this.statusTimer);
      this.statusTimer = undefined;
    }
    this.lastStatusAt = now;
    try {
      this.client.status(this.status());
    } catch (e) {
      this.client.log('error', `Could not send the index status: ${message(e)}`);
    }
  }

  /** After edits, one status shortly after the last of a burst (typing must not flood the client). */
  private scheduleStatus(): void {
    if (this.statusTimer || this.state === 'indexing') return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.sendStatus(true);
      this.settle();
    }, INCREMENTAL_STATUS_DELAY_MS);
  }

  dispose(): void {
    this.cancelScan();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.statusTimer) clearTimeout(this.statusTimer);
  }
}

/**
 * pathToKey for the scan's many paths: a plain absolute POSIX path (letters, digits, "_", "-", "."; no segment that is
 * exactly "." or "..", which URLs resolve away) is its own URL path, so its key is "file://" + path; anything else
 * goes through pathToKey. URL objects for 22,000 paths cost ~250 ms of a 100 MB workspace's reopen, and a folder
 * named ".something" on the way (as dot-folders often are) used to send every path the slow way.
 * test/server/lsp/snapshotReopen.test.ts compares them.
 */
export function scanKey(path: string): string {
  return process.platform !== 'win32' && isPlainPath(path, 0) ? `file://${path}` : pathToKey(path);
}

/** keyToPath, the same way round. */
export function scanPath(key: string): string | undefined {
  return process.platform !== 'win32' && key.startsWith('file:///') && isPlainPath(key, 7) ? key.slice(7) : keyToPath(key);
}

/**
 * Whether `s` from `from` on is such a plain path: what /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._-]+)+$/ tests, by
 * character codes (the regular expression took ~24 ms of a 100 MB warm reopen's main thread, for 45,000 paths).
 */
export function isPlainPath(s: string, from: number): boolean {
  const n = s.length;
  if (n - from < 2 || s.charCodeAt(from) !== 47 /* / */) return false;
  let length = 0; // of the segment so far
  let dots = 0; // of those, dots
  for (let i = from + 1; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 47;
    if (c === 47) {
      // An empty segment, or one that is "." or "..".
      if (length === 0 || (dots === length && length <= 2)) return false;
      length = dots = 0;
      continue;
    }
    if (c === 46 /* . */) dots++;
    else if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
    length++;
  }
  return true;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
