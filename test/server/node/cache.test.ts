import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { documentClaims, takeClaims } from '../../../server/src/core/aliases';
import { cacheFileFor, IndexCache } from '../../../server/src/node/cache';
import type { DocAnalysis, NameForm } from '../../../server/src/core/model';
import { AnalysisReader, encodeAnalyses } from '../../../server/src/node/analysisCodec';
import { rememberEncodedForm } from '../../../server/src/node/pool';
import { contentHash } from '../../../server/src/node/readText';
import { fakeAnalyse } from '../../fixtures/node/fakeAnalyse';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cn-cache-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const root = '/corpus/root';
const files: Record<string, string> = {
  'a.txt': 'Mr Smith met Jones at the NCC. "We are ready," Smith said.',
  'sub/b.txt': '"Nobody", a spokesman said. Zoë Ünal and the BBC, 😀.',
  'c.md': 'no names here',
};

function fill(cache: IndexCache, mtime = 1000) {
  for (const [p, t] of Object.entries(files)) cache.put(p, t.length, mtime, contentHash(t), fakeAnalyse(t));
}

/** A cache of `files` saved for `root`: its file and its bytes, to damage. */
function savedCache(): { file: string; good: Buffer } {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  fill(c);
  c.save();
  const file = cacheFileFor(dir, root);
  return { file, good: readFileSync(file) };
}

test('a saved cache gives every file its analysis back when size and mtime match', () => {
  const first = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(first.size, 0);
  fill(first);
  assert.equal(first.save(), true);
  assert.equal(first.save(), false, 'nothing changed, nothing written');

  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(again.size, 3);
  for (const [p, t] of Object.entries(files)) assert.deepEqual(again.lookup(p, t.length, 1000, t), fakeAnalyse(t));
  assert.deepEqual(again.stats, { hits: 3, rehashed: 0, misses: 0 });
  assert.equal(again.changed, false);
});

test('a changed mtime with the same content is revalidated by hash; changed content misses', () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  fill(c);
  c.save();
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  const a = files['a.txt'];
  assert.deepEqual(again.lookup('a.txt', a.length, 2000, a), fakeAnalyse(a));
  const edited = a.replace('Jones', 'Brown');
  assert.equal(again.lookup('sub/b.txt', files['sub/b.txt'].length + 1, 1000, files['sub/b.txt'] + 'x'), undefined);
  const c2 = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(c2.lookup('a.txt', edited.length, 3000, edited), undefined);
  assert.equal(again.stats.rehashed, 1);
  assert.equal(again.stats.misses, 1);
  assert.equal(again.changed, true, 'the new mtime is remembered');
  again.save();
  const third = IndexCache.open({ dir, root, analyzer: 'v1' });
  third.lookup('a.txt', a.length, 2000, a);
  assert.equal(third.stats.hits, 1);
});

test('unknown files miss; pruning on save drops files not seen since opening', () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  fill(c);
  c.save();
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(again.lookup('new.txt', 3, 1, 'abc'), undefined);
  again.lookup('a.txt', files['a.txt'].length, 1000, files['a.txt']);
  assert.equal(again.save({ prune: true }), true);
  const pruned = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(pruned.size, 1);
  assert.deepEqual(pruned.lookup('a.txt', files['a.txt'].length, 1000, files['a.txt']), fakeAnalyse(files['a.txt']));
});

test('entries never looked up are kept intact through a save', () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  fill(c);
  c.save();
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  again.delete('c.md');
  again.save();
  const third = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(third.size, 2);
  const b = files['sub/b.txt'];
  assert.deepEqual(third.lookup('sub/b.txt', b.length, 1000, b), fakeAnalyse(b));
});

test('another analyser version, another root, corruption or truncation each give an empty cache, rebuilt on save', () => {
  const { file, good } = savedCache();

  assert.equal(IndexCache.open({ dir, root, analyzer: 'v2' }).size, 0);
  assert.match(IndexCache.open({ dir, root, analyzer: 'v2' }).stats.discarded!, /analyser/);
  assert.equal(IndexCache.open({ dir, root: '/other', analyzer: 'v1' }).size, 0);

  const flipped = Buffer.from(good);
  flipped[flipped.length - 5] ^= 0xff;
  writeFileSync(file, flipped);
  const corrupt = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(corrupt.size, 0);
  assert.match(corrupt.stats.discarded!, /checksum/);
  assert.equal(corrupt.changed, true);
  fill(corrupt);
  corrupt.save();
  assert.equal(IndexCache.open({ dir, root, analyzer: 'v1' }).size, 3);

  for (const bad of [good.subarray(0, good.length - 8), good.subarray(0, 10), Buffer.from('not a cache'), Buffer.alloc(0)]) {
    writeFileSync(file, bad);
    const c2 = IndexCache.open({ dir, root, analyzer: 'v1' });
    assert.equal(c2.size, 0);
    assert.ok(c2.stats.discarded);
  }
});

test('the cache writes only inside its folder, atomically, one file per root', async () => {
  const a = IndexCache.open({ dir: join(dir, 'nested', 'cache'), root: '../../../etc/passwd', analyzer: 'v1' });
  fill(a);
  assert.equal(a.save(), true);
  const b = IndexCache.open({ dir: join(dir, 'nested', 'cache'), root: 'file:///work/x', analyzer: 'v1' });
  fill(b);
  assert.equal(await b.saveAsync(), true);
  const names = readdirSync(join(dir, 'nested', 'cache'));
  assert.equal(names.length, 2);
  for (const n of names) assert.match(n, /^index-[0-9a-f]{20}\.cnc$/, 'no temp files left behind');
  assert.deepEqual(readdirSync(dir), ['nested']);
});

test('a cache folder that cannot be created makes save return false, never throw', () => {
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'x');
  const c = IndexCache.open({ dir: join(blocker, 'sub'), root, analyzer: 'v1' });
  fill(c);
  assert.equal(c.save(), false);
});

test('saving removes the caches of roots that no longer exist, and nothing else', () => {
  const cacheDir = join(dir, 'cache');
  const gone = join(dir, 'gone-root');
  const kept = join(dir, 'kept-root');
  mkdirSync(gone);
  mkdirSync(kept);
  for (const root of [gone, kept, 'file:///not/a/path']) {
    const c = IndexCache.open({ dir: cacheDir, root, analyzer: 'v1' });
    fill(c);
    c.save();
  }
  writeFileSync(join(cacheDir, 'unrelated.txt'), 'not ours');
  rmSync(gone, { recursive: true });
  const c = IndexCache.open({ dir: cacheDir, root, analyzer: 'v1' });
  fill(c);
  c.save();
  assert.equal(existsSync(cacheFileFor(cacheDir, gone)), false);
  assert.equal(existsSync(cacheFileFor(cacheDir, kept)), true);
  assert.equal(existsSync(cacheFileFor(cacheDir, 'file:///not/a/path')), true);
  assert.equal(existsSync(join(cacheDir, 'unrelated.txt')), true);
});

test('claims are kept beside each analysis (computed at save when not given) and come back attached on lookup', () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  const a = files['a.txt'];
  c.put('a.txt', a.length, 1000, contentHash(a), fakeAnalyse(a), documentClaims(fakeAnalyse(a)));
  const b = files['sub/b.txt'];
  c.put('sub/b.txt', b.length, 1000, contentHash(b), fakeAnalyse(b));
  assert.equal(c.save(), true);
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  for (const [p, t] of [['a.txt', a], ['sub/b.txt', b]]) {
    const got = again.lookup(p, t.length, 1000, t)!;
    assert.deepEqual(got, fakeAnalyse(t));
    assert.deepEqual(takeClaims(got)?.claims, documentClaims(got));
  }
  assert.deepEqual(again.known('a.txt'), { size: a.length, mtimeMs: 1000, hash: contentHash(a) });
  assert.equal(again.known('nope'), undefined);
  // A reader that compared the content hash already (pool.ts readAndAnalyse) is not second-guessed.
  assert.deepEqual(again.lookup('a.txt', a.length, 5000, a, true), fakeAnalyse(a));
  assert.equal(again.stats.rehashed, 1);
});

test('after a save the cache answers from what it wrote, and later saves keep every entry', () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  fill(c);
  c.save();
  for (const [p, t] of Object.entries(files)) assert.deepEqual(c.lookup(p, t.length, 1000, t), fakeAnalyse(t));
  const extra = 'Jeremy Corbyn and the NCC.';
  c.put('d.txt', extra.length, 1000, contentHash(extra), fakeAnalyse(extra));
  assert.equal(c.save(), true);
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(again.size, 4);
  for (const [p, t] of Object.entries({ ...files, 'd.txt': extra })) assert.deepEqual(again.lookup(p, t.length, 1000, t), fakeAnalyse(t));
});

test('a change made while an asynchronous save writes is saved next time', async () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  fill(c);
  const saving = c.saveAsync();
  const extra = 'Zoë Hart';
  c.put('e.txt', extra.length, 1000, contentHash(extra), fakeAnalyse(extra));
  assert.equal(await saving, true);
  assert.equal(c.changed, true);
  assert.equal(await c.saveAsync(), true);
  assert.deepEqual(IndexCache.open({ dir, root, analyzer: 'v1' }).lookup('e.txt', extra.length, 1000, extra), fakeAnalyse(extra));
});

test('worker batches and in-thread analyses share one string table; saving renumbers it without decoding', () => {
  const texts = ['Mr Smith met Jones at the NCC. "We are ready," Smith said, "and more."', '"Nobody", a spokesman said of Zoë Ünal at the BBC.', 'Plain Odd here.'];
  const odd = (t: string): DocAnalysis => {
    const a = fakeAnalyse(t);
    // A name form the codec does not list is stored as a string id too.
    a.mentions.forEach((m, k) => k % 2 && (m.form = 'nickname' as NameForm));
    return a;
  };
  const batch = encodeAnalyses(texts.map(odd), texts.map((t) => documentClaims(odd(t))));
  const reader = new AnalysisReader(batch);
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  texts.forEach((t, k) => {
    const at = reader.position;
    const a = reader.next(t);
    rememberEncodedForm(a, batch, at);
    c.put(`w${k}.txt`, t.length, 1000, contentHash(t), a);
  });
  c.put('own.txt', texts[0].length, 1000, contentHash(texts[0]), odd(texts[0]));
  const check = (cache: IndexCache) => {
    for (const [p, t] of [...texts.map((t, k) => [`w${k}.txt`, t]), ['own.txt', texts[0]]]) {
      const got = cache.lookup(p, t.length, 1000, t)!;
      assert.deepEqual(got, odd(t), p);
      assert.deepEqual(takeClaims(got)?.claims, documentClaims(odd(t)), p);
    }
  };
  check(c);
  assert.equal(c.save(), true);
  check(c);
  check(IndexCache.open({ dir, root, analyzer: 'v1' }));
  // A later put after the save's renumbering still maps the same batch's strings right.
  const again = reader.at([0, 0]).next(texts[0]);
  rememberEncodedForm(again, batch, [0, 0]);
  c.put('late.txt', texts[0].length, 1000, contentHash(texts[0]), again);
  assert.deepEqual(c.lookup('late.txt', texts[0].length, 1000, texts[0]), odd(texts[0]));
  assert.equal(c.save(), true);
  assert.deepEqual(IndexCache.open({ dir, root, analyzer: 'v1' }).lookup('late.txt', texts[0].length, 1000, texts[0]), odd(texts[0]));
});

/** A document of many quotations and a few names: a few dozen of them fill one of the cache's segments (2^18 ints). */
function bigText(k: number): string {
  const parts: string[] = [`Name${letters(k)}x${letters(17)} met NCC${letters(k % 7).toUpperCase()}.`];
  for (let w = 0; w < 1200; w++) parts.push(`"quoted ${w}"`);
  return parts.join(' ');
}

/** A number as lower-case letters (the fake analyser's names are letters only). */
function letters(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

interface CacheInsides {
  entries: Map<string, { seg: { ints: Int32Array; spilled?: number } }>;
}

test('a cold scan spills full segments to a file instead of keeping them; lookups and saves read them back', async () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  const texts = Array.from({ length: 600 }, (_, k) => bigText(k));
  texts.forEach((t, k) => c.put(`d${k}.txt`, t.length, 1000, contentHash(t), fakeAnalyse(t)));
  const insides = c as unknown as CacheInsides;
  const segs = new Set([...insides.entries.values()].map((e) => e.seg));
  const spilled = [...segs].filter((s) => s.spilled !== undefined);
  assert.ok(spilled.length >= 2, `segments spilled: ${spilled.length} of ${segs.size}`);
  const inMemory = [...segs].reduce((n, s) => n + s.ints.length, 0);
  assert.ok(inMemory <= 2 * (1 << 20), `ints kept in memory: ${inMemory}`);
  assert.deepEqual(readdirSync(dir), [], 'the spill file is not left in the cache folder');
  // An entry in a spilled segment is read back from the file.
  assert.deepEqual(c.lookup('d3.txt', texts[3].length, 1000, texts[3]), fakeAnalyse(texts[3]));
  // A save while more is put (and spilled) meanwhile writes what was there when it started; the rest next time.
  const saving = c.saveAsync();
  const late = Array.from({ length: 200 }, (_, k) => bigText(1000 + k));
  late.forEach((t, k) => c.put(`late${k}.txt`, t.length, 1000, contentHash(t), fakeAnalyse(t)));
  assert.equal(await saving, true);
  const first = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(first.stats.discarded, undefined);
  assert.equal(first.size, texts.length);
  assert.equal(await c.saveAsync(), true);
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(again.size, texts.length + late.length);
  for (const k of [0, 1, 450, 599]) assert.deepEqual(again.lookup(`d${k}.txt`, texts[k].length, 1000, texts[k]), fakeAnalyse(texts[k]));
  for (const k of [0, 199]) assert.deepEqual(again.lookup(`late${k}.txt`, late[k].length, 1000, late[k]), fakeAnalyse(late[k]));
  assert.deepEqual(readdirSync(dir).filter((n) => !n.endsWith('.cnc')), []);
  // The spill file is unlinked but open; dispose gives it back at once, not when the collector gets to the cache.
  const openSpills = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).includes('.spill');
    } catch {
      return false; // the descriptor readdir itself used, closed by now
    }
  }).length : 0);
  const before = openSpills();
  if (process.platform === 'linux') assert.ok(before >= 1, 'the spill file is open');
  c.dispose();
  assert.equal(openSpills(), Math.max(0, before - 1));
});

/** The strings a cache file lists (its header). */
function savedStrings(file: string): string[] {
  const b = readFileSync(file);
  const at = 20 + b.readUInt32LE(16);
  return JSON.parse(b.toString('utf8', at, at + b.readUInt32LE(8))).strings;
}

test('a save after entries were replaced or deleted writes only the strings still used, and every entry intact', () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  const texts = Array.from({ length: 600 }, (_, k) => bigText(k));
  texts.forEach((t, k) => c.put(`d${k}.txt`, t.length, 1000, contentHash(t), fakeAnalyse(t)));
  assert.equal(c.save(), true);
  const all = savedStrings(cacheFileFor(dir, root));
  assert.ok(all.includes(`Name${letters(5)}x${letters(17)}`));
  c.delete('d5.txt');
  const replaced = 'Zoë Hart met Mr Quill.';
  c.put('d7.txt', replaced.length, 2000, contentHash(replaced), fakeAnalyse(replaced));
  assert.equal(c.save(), true);
  const kept = savedStrings(cacheFileFor(dir, root));
  assert.ok(!kept.includes(`Name${letters(5)}x${letters(17)}`) && !kept.includes(`Name${letters(7)}x${letters(17)}`), 'strings only the dropped rows used are gone');
  assert.ok(kept.includes(`Name${letters(6)}x${letters(17)}`) && kept.includes('Quill'));
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(again.size, texts.length - 1);
  assert.equal(again.lookup('d5.txt', texts[5].length, 1000, texts[5]), undefined);
  assert.deepEqual(again.lookup('d7.txt', replaced.length, 2000, replaced), fakeAnalyse(replaced));
  for (const k of [0, 6, 599]) assert.deepEqual(again.lookup(`d${k}.txt`, texts[k].length, 1000, texts[k]), fakeAnalyse(texts[k]));
});

test('the same strings from two workers and from in-thread analyses are written once, and read back right', () => {
  // Each worker has a string list of its own (two batches encoded apart here): the cache takes a worker's strings in
  // through its memo of that list, without a map of every string, so both lists' strings are in memory; a save
  // lists each string once.
  const texts = ['Mr Smith met Jones at the NCC. Smith said so.', 'Jones and Smith at the NCC again.', 'Smith alone.'];
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  for (const [w, ks] of [['a', [0, 1]], ['b', [1, 2]]] as const) {
    const batch = encodeAnalyses(ks.map((k) => fakeAnalyse(texts[k])), ks.map((k) => documentClaims(fakeAnalyse(texts[k]))));
    const reader = new AnalysisReader(batch);
    for (const k of ks) {
      const at = reader.position;
      const a = reader.next(texts[k]);
      rememberEncodedForm(a, batch, at);
      c.put(`${w}${k}.txt`, texts[k].length, 1000, contentHash(texts[k]), a);
    }
  }
  // Two in-thread analyses of one text: their strings once too.
  c.put('own1.txt', texts[0].length, 1000, contentHash(texts[0]), fakeAnalyse(texts[0]));
  c.put('own2.txt', texts[0].length, 1000, contentHash(texts[0]), fakeAnalyse(texts[0]));
  const all: Array<[string, string]> = [['a0.txt', texts[0]], ['a1.txt', texts[1]], ['b1.txt', texts[1]], ['b2.txt', texts[2]], ['own1.txt', texts[0]], ['own2.txt', texts[0]]];
  const check = (cache: IndexCache) => {
    for (const [p, t] of all) assert.deepEqual(cache.lookup(p, t.length, 1000, t), fakeAnalyse(t), p);
  };
  check(c);
  assert.equal(c.save(), true);
  const strings = savedStrings(cacheFileFor(dir, root));
  assert.equal(new Set(strings).size, strings.length, 'each string once');
  assert.ok(strings.includes('Smith'));
  check(c);
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  check(again);
  // A put after loading, then a save: still each string once.
  again.put('late.txt', texts[2].length, 1000, contentHash(texts[2]), fakeAnalyse(texts[2]));
  assert.equal(again.save(), true);
  const later = savedStrings(cacheFileFor(dir, root));
  assert.equal(new Set(later).size, later.length);
  check(IndexCache.open({ dir, root, analyzer: 'v1' }));
});

test('a cache file cut short or damaged anywhere is refused, never half read', () => {
  const { file, good } = savedCache();
  for (const at of [17, 30, good.length >> 1, good.length - 1]) {
    const bad = Buffer.from(good);
    bad[at] ^= 0x5a;
    writeFileSync(file, bad);
    const opened = IndexCache.open({ dir, root, analyzer: 'v1' });
    assert.equal(opened.size, 0, `byte ${at}`);
    assert.ok(opened.stats.discarded, `byte ${at}`);
  }
  writeFileSync(file, Buffer.concat([good, Buffer.from('extra')]));
  assert.equal(IndexCache.open({ dir, root, analyzer: 'v1' }).size, 0);
  writeFileSync(file, good);
  assert.equal(IndexCache.open({ dir, root, analyzer: 'v1' }).size, 3);
});

test('documents without a single name (no floats at all) make a cache that reads back', () => {
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  const t = 'only "a quotation" here';
  c.put('q.txt', t.length, 1000, contentHash(t), fakeAnalyse(t));
  assert.equal(c.save(), true);
  const again = IndexCache.open({ dir, root, analyzer: 'v1' });
  assert.equal(again.stats.discarded, undefined);
  assert.deepEqual(again.lookup('q.txt', t.length, 1000, t), fakeAnalyse(t));
});
