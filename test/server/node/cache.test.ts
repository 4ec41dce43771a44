import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { cacheFileFor, IndexCache } from '../../../server/src/node/cache';
import { contentHash } from '../../../server/src/node/pool';
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
  const c = IndexCache.open({ dir, root, analyzer: 'v1' });
  fill(c);
  c.save();
  const file = cacheFileFor(dir, root);
  const good = readFileSync(file);

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
