// The workspace host, driven in memory: the scan (batches, progress, cancellation, answering while it runs), open
// documents as an overlay over the disk, watcher events, ordering under races, settings and contained faults.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CorpusIndex } from '../../../server/src/core/index';
import { CorpusHost, isPlainPath, type FileSource, type HostClient, type ProgressReporter } from '../../../server/src/lsp/host';
import type { IndexStatus } from '../../../server/src/protocol';
import { FIXTURE_NAMES, stubAnalyzer } from './stubAnalyzer';

const ROOT = '/ws';
const key = (rel: string) => `file://${ROOT}/${rel}`;

class MemFiles implements FileSource {
  readonly files = new Map<string, string>();
  readonly reads: string[] = [];
  /** Reads of these paths wait until released. */
  readonly held = new Map<string, { release: () => void; started: Promise<void>; markStarted: () => void; promise: Promise<void> }>();

  constructor(files: Record<string, string>) {
    for (const [rel, text] of Object.entries(files)) this.files.set(`${ROOT}/${rel}`, text);
  }

  hold(rel: string) {
    let release!: () => void;
    let markStarted!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((r) => (markStarted = r));
    this.held.set(`${ROOT}/${rel}`, { release, started, markStarted, promise });
    return this.held.get(`${ROOT}/${rel}`)!;
  }

  async list(folder: string) {
    const files = [...this.files.keys()].filter((p) => p.startsWith(folder + '/') && p.endsWith('.txt')).sort();
    return { files, skipped: [] };
  }

  async read(path: string) {
    this.reads.push(path);
    const h = this.held.get(path);
    if (h) {
      this.held.delete(path);
      h.markStarted();
      await h.promise;
    }
    const text = this.files.get(path);
    if (text === undefined) return { ok: false as const, reason: 'no such file or folder (deleted or renamed?)' };
    if (text.startsWith('\u0000')) return { ok: false as const, reason: 'binary file: contains NUL bytes' };
    return { ok: true as const, text };
  }

  async includes(_folder: string, path: string) {
    return path.endsWith('.txt');
  }
}

class FakeClient implements HostClient {
  statuses: IndexStatus[] = [];
  logs: string[] = [];
  settings: unknown = {};
  reports: Array<[number, number]> = [];
  cancelProgress: (() => void) | undefined;
  ended = 0;
  status(s: IndexStatus) {
    this.statuses.push(s);
  }
  log(level: string, message: string) {
    this.logs.push(`${level}: ${message}`);
  }
  async progress(): Promise<ProgressReporter> {
    return {
      report: (done, total) => void this.reports.push([done, total]),
      done: () => void this.ended++,
      onCancel: (l) => void (this.cancelProgress = l),
    };
  }
  async configuration(uris: string[]) {
    return uris.map(() => this.settings);
  }
  get last() {
    return this.statuses[this.statuses.length - 1];
  }
}

function setup(files: Record<string, string>) {
  const index = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES) });
  const mem = new MemFiles(files);
  const client = new FakeClient();
  const host = new CorpusHost(index, mem, client);
  host.setFolders([{ uri: `file://${ROOT}` }]);
  return { index, mem, client, host };
}

/** Lets queued callbacks run until `cond` holds (bounded; no timers). */
async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 1_000_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), `never happened: ${what}`);
}

const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`doc${String(i).padStart(3, '0')}.txt`, `Report ${i}: Mrs Okafor spoke.`]));

describe('CorpusHost', () => {
  test('scans every file, with progress and a status sequence ending ready', async () => {
    const { index, client, host } = setup({ 'a.txt': 'Margaret Okafor spoke.', 'sub/b.txt': 'Okafor and the LCN.', 'bin.txt': '\u0000\u0001' });
    await host.loadSettings();
    await host.rescan();
    assert.deepEqual(index.documents().sort(), [key('a.txt'), key('sub/b.txt')]);
    assert.equal(client.statuses[0].state, 'indexing');
    const last = client.last;
    assert.equal(last.state, 'ready');
    assert.equal(last.filesDone, 3);
    assert.equal(last.filesTotal, 3);
    assert.equal(last.counts.people, 1);
    assert.deepEqual(last.skipped, [{ uri: key('bin.txt'), reason: 'binary file: contains NUL bytes' }]);
    assert.deepEqual(client.reports[client.reports.length - 1], [3, 3]);
    assert.equal(client.ended, 1);
  });

  test('answers from what is indexed while the scan runs', async () => {
    const { index, mem, host } = setup(many(100));
    const held = mem.hold('doc070.txt');
    const scan = host.rescan();
    await held.started;
    await until(() => index.documents().length === 64, 'first batch indexed');
    assert.equal(host.indexing, true);
    assert.equal(host.status().state, 'indexing');
    assert.equal(index.mentionsOf(index.entities()[0].id).length, 64);
    held.release();
    await scan;
    assert.equal(index.documents().length, 100);
    assert.equal(host.indexing, false);
  });

  test('a cancelled scan keeps what it indexed and reports ready, cancelled', async () => {
    const { index, mem, client, host } = setup(many(200));
    const held = mem.hold('doc100.txt');
    const scan = host.rescan();
    await held.started;
    await until(() => index.documents().length === 64, 'first batch indexed');
    client.cancelProgress!();
    held.release();
    await scan;
    assert.equal(client.last.state, 'ready');
    assert.equal(client.last.cancelled, true);
    assert.equal(index.documents().length, 64);
  });

  test('open documents win over the disk; closing falls back to the file', async () => {
    const { index, host } = setup({ 'a.txt': 'Margaret Okafor spoke.' });
    host.didChange(key('a.txt'), 'Daniel Whitfield spoke.');
    await host.rescan();
    assert.equal(index.text(key('a.txt')), 'Daniel Whitfield spoke.');
    await host.didClose(key('a.txt'));
    assert.equal(index.text(key('a.txt')), 'Margaret Okafor spoke.');
  });

  test('an open document outside the corpus leaves the index when closed', async () => {
    const { index, host } = setup({});
    host.didChange('untitled:Untitled-1', 'Mrs Okafor');
    host.flush();
    assert.equal(index.documents().length, 1);
    await host.didClose('untitled:Untitled-1');
    assert.equal(index.documents().length, 0);
  });

  test('watched files: create, change, delete, folder delete; open documents are left alone', async () => {
    const { index, mem, host } = setup({ 'a.txt': 'Margaret Okafor spoke.', 'sub/b.txt': 'Okafor.', 'sub/c.txt': 'LCN.' });
    await host.rescan();
    mem.files.set(`${ROOT}/new.txt`, 'Daniel Whitfield arrived.');
    await host.didChangeFiles([{ uri: key('new.txt'), type: 'created' }]);
    assert.equal(index.text(key('new.txt')), 'Daniel Whitfield arrived.');
    mem.files.set(`${ROOT}/new.txt`, 'Whitfield left.');
    await host.didChangeFiles([{ uri: key('new.txt'), type: 'changed' }]);
    assert.equal(index.text(key('new.txt')), 'Whitfield left.');
    mem.files.set(`${ROOT}/notes.log`, 'Okafor');
    await host.didChangeFiles([{ uri: key('notes.log'), type: 'created' }]);
    assert.equal(index.text(key('notes.log')), undefined);
    for (const p of ['sub/b.txt', 'sub/c.txt']) mem.files.delete(`${ROOT}/${p}`);
    await host.didChangeFiles([{ uri: key('sub'), type: 'deleted' }]);
    assert.deepEqual(index.documents().sort(), [key('a.txt'), key('new.txt')]);
    host.didChange(key('a.txt'), 'Unsaved Okafor text.');
    host.flush();
    mem.files.set(`${ROOT}/a.txt`, 'Saved elsewhere.');
    await host.didChangeFiles([{ uri: key('a.txt'), type: 'changed' }]);
    assert.equal(index.text(key('a.txt')), 'Unsaved Okafor text.');
  });

  test('a change event during the scan beats the scan\'s older read of the same file', async () => {
    const { index, mem, host } = setup({ 'a.txt': 'old Okafor', 'b.txt': 'Whitfield' });
    const held = mem.hold('a.txt');
    const scan = host.rescan();
    await held.started;
    mem.files.set(`${ROOT}/a.txt`, 'new Whitfield');
    const event = host.didChangeFiles([{ uri: key('a.txt'), type: 'changed' }]);
    await event;
    held.release();
    await scan;
    assert.equal(index.text(key('a.txt')), 'new Whitfield');
  });

  test('events for one file apply in order', async () => {
    const { index, mem, host } = setup({});
    await host.rescan();
    mem.files.set(`${ROOT}/x.txt`, 'Okafor');
    const created = host.didChangeFiles([{ uri: key('x.txt'), type: 'created' }]);
    mem.files.delete(`${ROOT}/x.txt`);
    const deleted = host.didChangeFiles([{ uri: key('x.txt'), type: 'deleted' }]);
    await Promise.all([created, deleted]);
    assert.equal(index.text(key('x.txt')), undefined);
  });

  test('a burst of edits is analysed once, and flush makes it visible at once', async () => {
    let analysed = 0;
    const stub = stubAnalyzer(FIXTURE_NAMES);
    const index = new CorpusIndex({ analyze: (t) => (analysed++, stub(t)) });
    const host = new CorpusHost(index, new MemFiles({}), new FakeClient());
    for (const t of ['M', 'Ma', 'Mar', 'Margaret Okafor']) host.didChange('untitled:x', t);
    assert.equal(index.text('untitled:x'), undefined);
    host.flush();
    assert.equal(index.text('untitled:x'), 'Margaret Okafor');
    assert.equal(analysed, 1);
    host.didChange('untitled:x', 'Margaret Okafor and Daniel Whitfield');
    await until(() => index.text('untitled:x')!.includes('Whitfield') || false, 'the delayed analysis');
    host.dispose();
  });

  test('a rescan drops files no longer listed, keeps open ones', async () => {
    const { index, mem, host } = setup({ 'a.txt': 'Okafor', 'b.txt': 'Whitfield' });
    await host.rescan();
    host.didChange(key('b.txt'), 'Whitfield unsaved');
    mem.files.delete(`${ROOT}/a.txt`);
    mem.files.delete(`${ROOT}/b.txt`);
    await host.rescan();
    assert.deepEqual(index.documents(), [key('b.txt')]);
  });

  test('bad settings are reported and replaced by defaults', async () => {
    const { client, host } = setup({});
    client.settings = { include: 'not-a-list-but-a-string', exclude: ['[unclosed'], maxFileSize: -3, useGitignore: 'yes' };
    await host.loadSettings();
    const s = host.folderSettings()[0].settings;
    assert.equal(s.maxFileSize, 64);
    assert.equal(s.useGitignore, true);
    assert.ok(client.logs.some((l) => /maxFileSize/.test(l)), client.logs.join('\n'));
    assert.ok(client.logs.some((l) => /\[unclosed/.test(l)));
  });

  test('a document whose analysis throws is skipped with the reason; the rest is indexed', async () => {
    const stub = stubAnalyzer(FIXTURE_NAMES);
    const index = new CorpusIndex({ analyze: (t) => (t.includes('BOOM') ? (() => { throw new Error('kaboom'); })() : stub(t)) });
    const mem = new MemFiles({ 'a.txt': 'Okafor', 'bad.txt': 'BOOM', 'c.txt': 'Whitfield' });
    const client = new FakeClient();
    const host = new CorpusHost(index, mem, client);
    host.setFolders([{ uri: `file://${ROOT}` }]);
    await host.rescan();
    assert.deepEqual(index.documents().sort(), [key('a.txt'), key('c.txt')]);
    assert.match(index.skipped()[0].reason, /kaboom/);
  });

  test('after any sequence of events the index equals a fresh index of the final state', async () => {
    const { index, mem, host } = setup({ 'a.txt': 'Margaret Okafor said so.', 'b.txt': 'Mrs Okafor and the LCN.' });
    await host.rescan();
    host.didChange(key('a.txt'), 'Daniel Whitfield said so.');
    mem.files.set(`${ROOT}/c.txt`, 'Library Campaign Network (LCN) and Okafor.');
    await host.didChangeFiles([{ uri: key('c.txt'), type: 'created' }]);
    mem.files.delete(`${ROOT}/b.txt`);
    await host.didChangeFiles([{ uri: key('b.txt'), type: 'deleted' }]);
    await host.didClose(key('a.txt'));
    const fresh = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES) });
    for (const [p, t] of mem.files) fresh.setDocument(`file://${p}`, t);
    const shape = (i: CorpusIndex) => i.entities().map((e) => ({ ...e, mentions: i.mentionsOf(e.id).map((m) => [m.doc, m.mention.start]) }));
    assert.deepEqual(shape(index), shape(fresh));
  });
});

describe('CorpusHost (property)', () => {
  const texts = ['Margaret Okafor spoke.', 'Mrs Okafor and the LCN.', 'Daniel Whitfield, Whitfield.', 'Library Campaign Network (LCN).', 'Okafor', ''];
  const files = ['a.txt', 'b.txt', 'sub/c.txt', 'notes.log'];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('write' as const), file: fc.constantFrom(...files), text: fc.constantFrom(...texts) }),
    fc.record({ kind: fc.constant('remove' as const), file: fc.constantFrom(...files) }),
    fc.record({ kind: fc.constant('edit' as const), file: fc.constantFrom(...files), text: fc.constantFrom(...texts) }),
    fc.record({ kind: fc.constant('close' as const), file: fc.constantFrom(...files) }),
    fc.record({ kind: fc.constant('flush' as const) }),
    fc.record({ kind: fc.constant('rescan' as const) }),
  );

  for (const withAnalyser of [false, true]) {
    test(`after any sequence of editor and file events, the index equals a fresh index of the final state${withAnalyser ? ' (analyses made elsewhere, asynchronously)' : ''}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
          const { index, mem, host } = setup({});
          if (withAnalyser) {
            const stub = stubAnalyzer(FIXTURE_NAMES);
            // Answers out of order: a later file's analysis may come back first.
            host.useAnalyser({ analyse: ({ text }) => new Promise((r) => (text.length % 2 ? setImmediate : queueMicrotask)(() => r(stub(text)))) });
          }
          const open = new Map<string, string>();
          const running: Promise<void>[] = [host.rescan()];
          for (const o of ops) {
            const path = `${ROOT}/${'file' in o ? o.file : ''}`;
            if (o.kind === 'write') {
              const existed = mem.files.has(path);
              mem.files.set(path, o.text);
              running.push(host.didChangeFiles([{ uri: key(o.file), type: existed ? 'changed' : 'created' }]));
            } else if (o.kind === 'remove') {
              mem.files.delete(path);
              running.push(host.didChangeFiles([{ uri: key(o.file), type: 'deleted' }]));
            } else if (o.kind === 'edit') {
              open.set(key(o.file), o.text);
              host.didChange(key(o.file), o.text);
            } else if (o.kind === 'close') {
              if (!open.delete(key(o.file))) continue;
              running.push(host.didClose(key(o.file)));
            } else if (o.kind === 'flush') {
              host.flush();
            } else {
              running.push(host.rescan());
            }
          }
          await Promise.all(running);
          await host.whenScanned();
          host.flush();
          host.dispose();
          // The final state: editor text for open documents, else the included files on disk.
          const fresh = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES) });
          for (const [p, t] of mem.files) if (p.endsWith('.txt') && !open.has(`file://${p}`)) fresh.setDocument(`file://${p}`, t);
          for (const [k, t] of open) fresh.setDocument(k, t);
          const shape = (i: CorpusIndex) => ({
            docs: i.documents().sort().map((d) => [d, i.text(d)]),
            entities: i.entities().map((e) => ({ ...e, mentions: i.mentionsOf(e.id).map((m) => [m.doc, m.mention.start]) })),
          });
          assert.deepEqual(shape(index), shape(fresh));
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('isPlainPath (the scan keys\' test for a path that is its own URL path)', () => {
  // The regular expression it stands for (host.ts), kept here as the reference.
  const PLAIN = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._-]+)+$/;

  test('edge cases: dots, empty segments, the root, characters outside the class', () => {
    const paths = ['', '/', '//', '/a', '/a/', '//a', '/a//b', '/.', '/..', '/...', '/.a', '/a.', '/a..', '/..a', '/a/.', '/a/..', '/a/./b', '/a/../b'];
    paths.push('/a/.../b', '/a/.b/c', '/A-Z_0.9', '/a b', '/é', '/a\\b', 'a/b', '/a/b~', '/a/%41', '/a:b', '/a/\u0000');
    for (const p of paths) {
      assert.equal(isPlainPath(p, 0), PLAIN.test(p), JSON.stringify(p));
      // From an offset: as scanPath reads a key after "file://".
      assert.equal(isPlainPath(`file://${p}`, 7), PLAIN.test(p), `file://${p}`);
    }
  });

  test('agrees with the regular expression on paths of its alphabet', () => {
    const part = fc.constantFrom('/', '.', 'a', 'Z', '0', '_', '-', ' ', 'é', '\\', '%');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 14 }), (chars) => {
        const p = chars.join('');
        assert.equal(isPlainPath(p, 0), PLAIN.test(p), JSON.stringify(p));
      }),
      { numRuns: 3000 },
    );
  });
});
