import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CorpusIndex } from '../../../server/src/core/index';
import { contentHash } from '../../../server/src/node/readText';
import { scanFolder } from '../../../server/src/node/scan';
import { pathToFileURL } from 'node:url';
import { applySnapshot, FileTable, listingKeys, prefetchSnapshot, prestartStatThread, SNAPSHOT_FORMAT, readSnapshot, snapshotFileFor, statAll, validateFiles, writeSnapshot, type FileStamp, type SnapshotIdentity } from '../../../server/src/node/snapshot';
import { SNAPSHOT_LAYOUT } from '../../../server/src/core/indexSnapshot';

// The snapshot on disk: framing, checksum, identity, atomic writing, and the per-file check that decides what a
// reopened workspace reads again.
const sample = join(__dirname, '..', '..', '..', 'server', 'sample-corpus');
const texts = new Map<string, string>();
for (const f of readdirSync(sample).sort()) if (/\.(txt|md)$/.test(f) && f !== 'README.md') texts.set(f, readFileSync(join(sample, f), 'utf8'));

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cn-snapshot-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const identity: SnapshotIdentity = { code: 'test-code', roots: ['/ws'], settings: [{ include: ['**/*.txt'] }] };
const now = () => Promise.resolve();

function indexOf(source?: (doc: string) => string | undefined): CorpusIndex {
  const ix = new CorpusIndex(source ? { textSource: source } : {});
  for (const [d, t] of texts) ix.setDocument(d, t);
  ix.setSkipped('big.txt', 'too large');
  return ix;
}

const observe = (ix: CorpusIndex) => ({
  stats: ix.stats(),
  skipped: ix.skipped(),
  entities: ix.entities(),
  mentions: ix.entities().map((e) => [ix.mentionsOf(e.id), ix.quotesBy(e.id), ix.roles(e.id), ix.introduction(e.id)]),
  docs: ix.documents().map((d) => [d, ix.text(d), ix.analysis(d), ix.entitiesIn(d)]),
  search: ix.search('lab', 20),
});

async function saved(ix: CorpusIndex, files = new Map<string, FileStamp>()): Promise<string> {
  const file = snapshotFileFor(tempDir(), identity.roots);
  assert.equal(await writeSnapshot(file, identity, ix, files, { pause: now }), 'written');
  return file;
}

describe('index snapshot on disk', () => {
  it('writes and reads back an index that answers as the original, with its file table', async () => {
    const ix = indexOf();
    const stamps = new Map([...texts.keys()].map((d, k) => [d, { size: k + 10, mtimeMs: 1000.5 + k, hash: `h${k}` }]));
    const file = await saved(ix, stamps);
    const back = new CorpusIndex();
    const r = await readSnapshot(file, identity, back);
    assert.ok(r.ok, r.ok ? '' : r.why);
    assert.deepEqual([...r.files], [...stamps]);
    assert.equal(applySnapshot(back, r.sections), undefined);
    assert.deepStrictEqual(observe(back), observe(ix));
    // No temp file is left beside it.
    assert.deepEqual(readdirSync(join(file, '..')).filter((n) => n.endsWith('.tmp')), []);
    // The same from bytes read ahead (the server starts reading before it knows the settings).
    const ahead = new CorpusIndex();
    const early = await readSnapshot(file, identity, ahead, prefetchSnapshot(file));
    assert.ok(early.ok, early.ok ? '' : early.why);
    assert.equal(applySnapshot(ahead, early.sections), undefined);
    assert.deepStrictEqual(observe(ahead), observe(ix));
    // And read in pieces smaller than the framing, odd-sized, or a few: the same bytes, the same checksum.
    for (const piece of [5, 333, 4096]) {
      const inPieces = new CorpusIndex();
      const r2 = await readSnapshot(file, identity, inPieces, prefetchSnapshot(file, piece));
      assert.ok(r2.ok, r2.ok ? '' : r2.why);
      assert.equal(applySnapshot(inPieces, r2.sections), undefined);
      assert.deepStrictEqual(observe(inPieces), observe(ix));
    }
  });

  it('keeps the file table and the recorded listing as columns: every stamp, hash and path back as written', async () => {
    const ix = indexOf();
    // Unknown hashes (''), non-ASCII and long paths, fractional mtimes, a file the table does not describe.
    const docs = [...texts.keys()];
    const stamps = new Map(docs.slice(1).map((d, k) => [d, { size: 2 ** 40 + k, mtimeMs: 1700000000123.456 + k, hash: k % 2 ? '' : `h${k}` }]));
    const listing = {
      dirs: ['/ws', '/ws/é'],
      mtimes: [1.5, 2.25],
      ignores: ['/ws/.gitignore'],
      ignoreStamps: [3.5, 12],
      folders: [
        { files: ['/ws/é/ünï.txt', `/ws/${'x'.repeat(300)}.txt`, ...docs.map((d) => `/ws/${d}`)], skipped: [{ path: '/ws/big.txt', reason: 'too large' }] },
        { files: [], skipped: [] },
      ],
    };
    const file = snapshotFileFor(tempDir(), identity.roots);
    assert.equal(await writeSnapshot(file, identity, ix, stamps, { pause: now, listing }), 'written');
    const r = await readSnapshot(file, identity, new CorpusIndex());
    assert.ok(r.ok, r.ok ? '' : r.why);
    assert.deepEqual([...r.files].sort(), [...stamps].sort());
    assert.deepEqual(r.listing, listing);
    // No files and no listing at all: an empty table.
    const none = snapshotFileFor(tempDir(), identity.roots);
    assert.equal(await writeSnapshot(none, identity, ix, new Map(), { pause: now }), 'written');
    const e = await readSnapshot(none, identity, new CorpusIndex());
    assert.ok(e.ok, e.ok ? '' : e.why);
    assert.equal(e.files.size, 0);
    assert.equal(e.listing, undefined);
  });

  it('refuses a snapshot of an earlier format (the file table as JSON) without touching the index', async () => {
    const file = await saved(indexOf());
    const bytes = Buffer.from(readFileSync(file));
    assert.equal(bytes.readUInt32LE(4), SNAPSHOT_FORMAT);
    bytes.writeUInt32LE(1, 4);
    writeFileSync(file, bytes);
    const ix = new CorpusIndex();
    const r = await readSnapshot(file, identity, ix);
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.why, `format 1, expected ${SNAPSHOT_FORMAT}`);
    assert.equal(ix.documents().length, 0);
  });

  it('keeps no texts for an index that fetches them, and refuses it to an index that holds them', async () => {
    const source = (d: string) => texts.get(d);
    const ix = indexOf(source);
    const file = await saved(ix);
    const back = new CorpusIndex({ textSource: source });
    const r = await readSnapshot(file, identity, back);
    assert.ok(r.ok);
    assert.equal(r.sections.bytes.length, 0);
    assert.equal(applySnapshot(back, r.sections), undefined);
    assert.deepStrictEqual(observe(back), observe(ix));
    const held = await readSnapshot(file, identity, new CorpusIndex());
    assert.equal(held.ok, false);
  });

  it('ignores a snapshot of other code, roots or settings', async () => {
    const file = await saved(indexOf());
    for (const other of [{ ...identity, code: 'other' }, { ...identity, roots: ['/elsewhere'] }, { ...identity, settings: [{ include: ['**/*.md'] }] }]) {
      const r = await readSnapshot(file, other, new CorpusIndex());
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.why, /other code or for other roots or settings/);
    }
  });

  it('refuses a snapshot of the previous layout and reads one written again', async () => {
    const ix = indexOf();
    ix.prepare();
    const want = observe(ix);
    const file = await saved(ix);
    const bytes = readFileSync(file);
    const at = bytes.indexOf(`"layout":${SNAPSHOT_LAYOUT}`);
    assert.ok(at > 0 && SNAPSHOT_LAYOUT > 1 && SNAPSHOT_LAYOUT < 10);
    bytes.write(`"layout":${SNAPSHOT_LAYOUT - 1}`, at, 'utf8');
    writeFileSync(file, bytes);
    const old = new CorpusIndex();
    const r = await readSnapshot(file, identity, old);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.why, /other code/);
    assert.equal(old.documents().length, 0);
    // The host then scans and writes a new one, which restores with every summary.
    assert.equal(await writeSnapshot(file, identity, ix, new Map(), { pause: now }), 'written');
    const back = new CorpusIndex();
    const again = await readSnapshot(file, identity, back);
    assert.ok(again.ok, again.ok ? '' : again.why);
    assert.equal(applySnapshot(back, again.sections), undefined);
    assert.equal(back.snapshotState().dirty.size, 0);
    assert.deepStrictEqual(observe(back), want);
  });

  it('saves summaries even when written before they were computed', async () => {
    const ix = indexOf();
    assert.ok(ix.snapshotState().dirty.size > 0);
    const file = await saved(ix);
    const back = new CorpusIndex();
    const r = await readSnapshot(file, identity, back);
    assert.ok(r.ok, r.ok ? '' : r.why);
    assert.equal(applySnapshot(back, r.sections), undefined);
    assert.equal(back.snapshotState().dirty.size, 0);
    assert.deepStrictEqual(observe(back), observe(indexOf()));
  });

  it('ignores a truncated, damaged, foreign or missing file', async () => {
    const file = await saved(indexOf());
    const bytes = readFileSync(file);
    const cases: Array<[Buffer, RegExp]> = [
      [bytes.subarray(0, bytes.length - 9), /truncated/],
      [bytes.subarray(0, 10), /truncated/],
      [Buffer.concat([bytes, Buffer.alloc(8)]), /longer/],
      [Buffer.from('hello, this is not a snapshot at all'), /not a snapshot/],
    ];
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 20] ^= 0x55;
    cases.push([flipped, /checksum/]);
    for (const [content, why] of cases) {
      writeFileSync(file, content);
      const ix = new CorpusIndex();
      const r = await readSnapshot(file, identity, ix);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.why, why);
      assert.equal(ix.documents().length, 0);
    }
    // Read ahead (prefetchSnapshot) the bytes are checked all the same; a damaged file read ahead is refused too.
    const early = prefetchSnapshot(file);
    const ahead = await readSnapshot(file, identity, new CorpusIndex(), early);
    assert.match(ahead.ok ? '' : ahead.why, /checksum/);
    // Read in many pieces (checksummed piece by piece as they arrive), the damage is found wherever it is.
    for (const piece of [7, 64, 1000]) {
      const small = await readSnapshot(file, identity, new CorpusIndex(), prefetchSnapshot(file, piece));
      assert.match(small.ok ? '' : small.why, /checksum/);
    }
    rmSync(file);
    const r = await readSnapshot(file, identity, new CorpusIndex());
    assert.equal(r.ok ? '' : r.why, 'none yet');
    // A read ahead that failed (the file went meanwhile) is a missing snapshot, never an unhandled rejection.
    const gone = prefetchSnapshot(file);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late = await readSnapshot(file, identity, new CorpusIndex(), gone);
    assert.equal(late.ok ? '' : late.why, 'none yet');
  });

  it('gives up, writing nothing, when the index changes while it is being written', async () => {
    const ix = indexOf();
    const file = snapshotFileFor(tempDir(), identity.roots);
    let polls = 0;
    const r = await writeSnapshot(file, identity, ix, new Map(), { pause: now, sliceMs: 0, isStale: () => ++polls > 1 });
    assert.equal(r, 'stale');
    assert.deepEqual(readdirSync(join(file, '..')), []);
  });

  it('tells unchanged files from changed, touched, new and deleted ones', async () => {
    const dir = tempDir();
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
    write('same.txt', 'Jeremy Corbyn spoke.');
    write('touched.txt', 'Angela Rayner spoke.');
    write('edited.txt', 'Keir Starmer spoke.');
    write('resized.txt', 'Ed Miliband spoke.');
    write('gone.txt', 'Gone.');
    write('touched-nohash.txt', 'No hash known.');
    const stamp = (name: string): FileStamp => {
      const st = statSync(join(dir, name));
      return { size: st.size, mtimeMs: st.mtimeMs, hash: contentHash(readFileSync(join(dir, name), 'utf8')) };
    };
    const known = new Map(['same.txt', 'touched.txt', 'edited.txt', 'resized.txt', 'gone.txt', 'touched-nohash.txt'].map((n) => [n, stamp(n)]));
    known.set('touched-nohash.txt', { ...known.get('touched-nohash.txt')!, hash: '' });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'touched.txt'), later, later);
    utimesSync(join(dir, 'touched-nohash.txt'), later, later);
    write('edited.txt', 'Keir Starmer slept.'); // same size, other content
    utimesSync(join(dir, 'edited.txt'), later, later);
    write('resized.txt', 'Ed Miliband spoke again.');
    rmSync(join(dir, 'gone.txt'));
    write('new.txt', 'New.');
    const listed = ['same.txt', 'touched.txt', 'edited.txt', 'resized.txt', 'gone.txt', 'new.txt', 'touched-nohash.txt'].map((n) => ({ key: n, path: join(dir, n), maxFileSize: 1 << 20 }));
    const valid = await validateFiles(listed, known, { pause: now, sliceMs: 0 });
    assert.deepEqual([...valid.keys()].sort(), ['same.txt', 'touched.txt']);
    assert.equal(valid.get('touched.txt')!.mtimeMs, statSync(join(dir, 'touched.txt')).mtimeMs);
    assert.equal(valid.get('touched.txt')!.hash, known.get('touched.txt')!.hash);
    // Stats made ahead in a thread are used as they are; a file whose stat has not come back is stat'ed then.
    const ahead = statAll(listed.map((f) => f.path));
    await ahead.done;
    ahead.stop();
    assert.deepEqual(ahead.results.map((r) => r === null), listed.map((f) => f.key === 'gone.txt'));
    const stats = new Map(listed.map((f, k) => [f.key, ahead.results[k]!] as const).filter(([k]) => k !== 'same.txt'));
    const again = await validateFiles(listed, known, { pause: now, sliceMs: 0, stats });
    assert.deepEqual([...again.keys()].sort(), ['same.txt', 'touched.txt']);
    // A file now over the size limit is read again (and skipped there).
    const small = await validateFiles([{ key: 'same.txt', path: join(dir, 'same.txt'), maxFileSize: 4 }], known, { pause: now });
    assert.equal(small.size, 0);
    // Odd paths (a directory, an empty one, non-ASCII) come back as "not a file"; none at all is done at once.
    const odd = statAll([dir, '', join(dir, 'é ü.txt'), join(dir, 'same.txt')]);
    await odd.done;
    assert.deepEqual(odd.results, [null, null, null, { size: statSync(join(dir, 'same.txt')).size, mtimeMs: statSync(join(dir, 'same.txt')).mtimeMs }]);
    const none = statAll([]);
    await none.done;
    assert.deepEqual(none.results, []);
    // Stopped before it answered: nothing is filled in (the caller stats the files itself).
    const early = statAll(listed.map((f) => f.path));
    early.stop();
    await early.done;
    assert.ok(early.results.every((r) => r === undefined));
    // A thread started before the paths are known (while the snapshot is read) answers as a new one would; a second
    // start while one waits is a no-op, and a statAll after the waiting one was taken starts its own.
    prestartStatThread();
    prestartStatThread();
    const taken = statAll(listed.map((f) => f.path));
    const own = statAll(listed.map((f) => f.path));
    await Promise.all([taken.done, own.done]);
    assert.deepEqual(taken.results, ahead.results);
    assert.deepEqual(own.results, ahead.results);
    prestartStatThread();
    const stopped = statAll([dir]);
    stopped.stop();
    await stopped.done;
    assert.deepEqual(stopped.results, [undefined]);
  });
});

describe('the file table read by position (a warm reopen\'s fast path)', () => {
  const table = (keys: string[], stamps: FileStamp[]) =>
    new FileTable([...keys, ...stamps.map((s) => s.hash), 'listed'], keys.length, Float64Array.from([...stamps.map((s) => s.size), ...stamps.map((s) => s.mtimeMs)]));

  it('is the Map of its stamps to whoever uses it as one, and reads by position meanwhile', () => {
    const stamps = [
      { size: 1, mtimeMs: 10, hash: 'h1' },
      { size: 2, mtimeMs: 20, hash: '' },
      { size: 3, mtimeMs: 30.5, hash: 'h3' },
    ];
    const t = table(['a', 'b', 'c'], stamps);
    assert.equal(t.size, 3);
    assert.equal(t.count, 3);
    assert.deepEqual([t.keyAt(1), t.sizeAt(2), t.mtimeAt(2), t.stampAt(0)], ['b', 3, 30.5, stamps[0]]);
    assert.deepEqual([t.indexOf('c'), t.indexOf('listed'), t.indexOf('h1')], [2, -1, -1]);
    assert.deepEqual(t.get('b'), stamps[1]);
    assert.equal(t.get('listed'), undefined);
    assert.ok(t.has('a') && !t.has('h1'));
    assert.ok(t.unique());
    assert.deepEqual([...t], [['a', stamps[0]], ['b', stamps[1]], ['c', stamps[2]]]);
    // Once a Map, changes are a Map's; positions still describe the table as read.
    t.delete('a');
    t.set('d', stamps[0]);
    assert.deepEqual([...t.keys()], ['b', 'c', 'd']);
    assert.equal(t.size, 3);
    assert.equal(t.keyAt(0), 'a');
    const cleared = table(['a'], [stamps[0]]);
    cleared.clear();
    assert.equal(cleared.size, 0);
    assert.equal(cleared.get('a'), undefined);
    // Keys out of order are checked for repeats the slow way.
    assert.ok(table(['b', 'a', 'c'], stamps).unique());
    assert.ok(!table(['b', 'a', 'b'], stamps).unique());
    assert.ok(!table(['a', 'a', 'b'], stamps).unique());
  });

  it('gives each listed path the key the scan would make, only when the key is the path as a plain file URL', () => {
    if (process.platform === 'win32') return;
    const p = ['/w/a.txt', '/w/b c.txt', '/w/c.txt', '/w/new.txt', '/w/d%41.txt', '/w/e.txt'];
    // The table: keys of the files it describes, in the documents' order; "new" is not in it, "b c" is escaped.
    const keys = ['file:///w/a.txt', pathToFileURL('/w/b c.txt').href, 'file:///w/c.txt', pathToFileURL('/w/d%41.txt').href, 'file:///w/e.txt'];
    const strings = [...keys, ...keys.map(() => ''), ...p];
    const [got] = listingKeys(strings, keys.length, [{ files: p }]);
    assert.deepEqual(got, ['file:///w/a.txt', undefined, undefined, undefined, undefined, undefined]);
    // In the table's order (the usual case), every plain path finds its key; the others are left to the scan.
    const inOrder = ['/w/a.txt', '/w/c.txt', '/w/e.txt'];
    const plain = ['file:///w/a.txt', 'file:///w/c.txt', 'file:///w/e.txt'];
    assert.deepEqual(listingKeys([...plain, '', '', '', ...inOrder], 3, [{ files: inOrder.slice(0, 1) }, { files: inOrder.slice(1) }]), [['file:///w/a.txt'], ['file:///w/c.txt', 'file:///w/e.txt']]);
    // A path with an escape in it never takes a key by its spelling (its key would hold "%25").
    assert.deepEqual(listingKeys(['file:///w/d%41.txt', '', '/w/d%41.txt'], 1, [{ files: ['/w/d%41.txt'] }]), [[undefined]]);
    // Every key found is the scan's own.
    for (const [j, k] of got.entries()) if (k !== undefined) assert.equal(k, pathToFileURL(p[j]).href);
  });

  it('stats files by their keys as well as by their paths, the paths worked out in the thread', async () => {
    const dir = tempDir();
    const names = ['plain.txt', 'with space.txt', 'é ü.txt', '100%.txt', 'gone.txt'];
    for (const n of names.slice(0, 4)) writeFileSync(join(dir, n), n);
    const paths = names.map((n) => join(dir, n));
    const keys = [...paths.map((x) => pathToFileURL(x).href), 'untitled:Untitled-1'];
    const byPath = statAll([...paths, '']);
    const byKey = statAll({ keys: Buffer.from(keys.map((k) => `${k}\0`).join(''), 'utf8'), count: keys.length });
    await Promise.all([byPath.done, byKey.done]);
    assert.deepEqual(byKey.results, byPath.results);
    assert.deepEqual(byKey.results.map((r) => r === null), [false, false, false, false, true, true]);
    assert.deepEqual([...byKey.raw()!], [...byPath.raw()!]);
    // A count that does not match what the thread found is no answer at all (the caller stats the files itself).
    const wrong = statAll({ keys: Buffer.from(`${keys[0]}\0`, 'utf8'), count: 2 });
    await wrong.done;
    assert.equal(wrong.raw(), undefined);
    assert.deepEqual(wrong.results, [undefined, undefined]);
  });

  it('checks listed files against the table by position as it does against a map', async () => {
    const dir = tempDir();
    const names = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
    for (const n of names) writeFileSync(join(dir, n), `text of ${n}`);
    const stampOf = (n: string): FileStamp => {
      const st = statSync(join(dir, n));
      return { size: st.size, mtimeMs: st.mtimeMs, hash: contentHash(readFileSync(join(dir, n), 'utf8')) };
    };
    const stamps = names.map(stampOf);
    const t = table(names, stamps);
    const map = new Map(names.map((n, k) => [n, stamps[k]]));
    writeFileSync(join(dir, 'b.txt'), 'text of B.txt'); // same size, other content, new mtime
    utimesSync(join(dir, 'b.txt'), new Date(), new Date(Date.now() + 60_000));
    utimesSync(join(dir, 'c.txt'), new Date(), new Date(Date.now() + 60_000)); // touched only
    rmSync(join(dir, 'd.txt'));
    // Listed in another order than the table's, with a file the table does not have and one left out.
    const listed = ['e.txt', 'a.txt', 'new.txt', 'b.txt', 'c.txt', 'd.txt'].map((n) => ({ key: n, path: join(dir, n), folder: { limit: n === 'e.txt' ? 4 : 1 << 20 } }));
    const ahead = statAll(names.map((n) => join(dir, n)));
    await ahead.done;
    const options = { pause: now, sliceMs: 0, maxFileSize: (f: (typeof listed)[number]) => f.folder.limit, skip: (f: (typeof listed)[number]) => f.key === 'a.txt' };
    const byMap = await validateFiles(listed, map, options);
    const byTable = await validateFiles(listed, t, { ...options, statsAt: ahead.raw() });
    const noStats = await validateFiles(listed, t, options);
    assert.deepEqual([...byMap.keys()].sort(), ['c.txt']);
    assert.deepEqual(byTable, byMap);
    assert.deepEqual(noStats, byMap);
    assert.equal(byTable.get('c.txt')!.hash, stamps[2].hash);
    // Stats of another length than the table are not used.
    assert.deepEqual(await validateFiles(listed, t, { ...options, statsAt: new Float64Array(2) }), byMap);
  });
});

describe('scanFolder with a snapshot (the CLI)', () => {
  it('restores, reads only what changed, and ends with the index a fresh scan gives', async () => {
    const root = tempDir();
    for (const [name, text] of texts) writeFileSync(join(root, name), text);
    const cache = tempDir();
    const messages: string[] = [];
    const scan = (snapshotDir?: string) => scanFolder(root, {}, { snapshotDir, onSnapshot: (m) => messages.push(m) });
    const first = await scan(cache);
    assert.equal(first.restored, false);
    assert.ok(messages.includes('index snapshot written'), messages.join('\n'));
    messages.length = 0;
    const again = await scan(cache);
    assert.equal(again.restored, true);
    assert.deepEqual(messages, [`index snapshot restored: ${texts.size} files, 0 to read again`]);
    assert.deepStrictEqual(observe(again.index), observe((await scan()).index));
    const names = [...texts.keys()];
    writeFileSync(join(root, names[0]), 'Jeremy Corbyn said: “Enough.” Corbyn left.');
    rmSync(join(root, names[1]));
    writeFileSync(join(root, 'added.txt'), 'Angela Rayner spoke. Rayner said: “Yes.”');
    messages.length = 0;
    const changed = await scan(cache);
    assert.deepEqual(messages, [`index snapshot restored: ${texts.size} files, 2 to read again`, 'index snapshot written']);
    assert.deepStrictEqual(observe(changed.index), observe((await scan()).index));
  });
});
