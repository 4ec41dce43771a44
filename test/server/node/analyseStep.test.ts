import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { CachedAnalyser, defaultCacheDir } from '../../../server/src/node/analyseStep';
import { AnalysisPool } from '../../../server/src/node/pool';
import { fakeAnalyse } from '../../fixtures/node/fakeAnalyse';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cn-step-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const docs = { 'a.txt': 'Mr Smith met Jones. "Yes," Smith said.', 'b/c.txt': 'The BBC and Zoë Ünal.' };

async function run(pool: AnalysisPool, stamps: Record<string, number>) {
  const step = new CachedAnalyser(pool, { root: '/r', cacheDir: dir, analyzer: 't' });
  const out = await Promise.all(
    Object.entries(docs).map(([path, text]) => step.analyze(text, { path, size: text.length, mtimeMs: stamps[path] })),
  );
  await step.finish(true);
  return { out, stats: step.stats! };
}

test('the first scan analyses with the pool and fills the cache; the next reuses it', async () => {
  let calls = 0;
  const pool = new AnalysisPool({ size: 0, fallback: (t) => (calls++, fakeAnalyse(t)) });
  const first = await run(pool, { 'a.txt': 1, 'b/c.txt': 1 });
  assert.equal(calls, 2);
  assert.deepEqual(first.out, Object.values(docs).map(fakeAnalyse));
  const second = await run(pool, { 'a.txt': 1, 'b/c.txt': 5 });
  assert.equal(calls, 2, 'nothing re-analysed: one hit, one same-content rehash');
  assert.deepEqual(second.out, Object.values(docs).map(fakeAnalyse));
  assert.equal(second.stats.hits, 1);
  assert.equal(second.stats.rehashed, 1);
  await pool.close();
});

test('without a cache folder everything goes to the pool', async () => {
  const pool = new AnalysisPool({ size: 0, fallback: fakeAnalyse });
  const step = new CachedAnalyser(pool, { root: '/r' });
  assert.deepEqual(await step.analyze(docs['a.txt'], { path: 'a.txt', size: 1, mtimeMs: 1 }), fakeAnalyse(docs['a.txt']));
  assert.equal(await step.finish(true), false);
  await pool.close();
});

test('the default cache folder is a per-user cache folder', () => {
  assert.ok(defaultCacheDir().includes('corpus-navigator'));
});
