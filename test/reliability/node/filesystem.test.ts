// The file system as users have it: unreadable files, files that vanish or move between listing and reading,
// symbolic link loops and links out of the workspace, a folder of very many files, .gitignore'd folders, bad
// settings. Every problem with one file becomes a skipped entry with a reason; the scan itself never throws or hangs.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, promises as fsp, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { scanFolder } from '../../../server/src/node/scan';
import { validateSettings } from '../../../server/src/node/settings';
import { listFiles } from '../../../server/src/node/workspace';
import { permissionsBite, put, workspace } from '../helpers';

const NEWS = 'Margaret Okafor, the leader of Brampton Council, said: "We will go on."\n';

const skippedOf = (index: { skipped(): { doc: string; reason: string }[] }) => Object.fromEntries(index.skipped().map((s) => [s.doc, s.reason]));

describe('file system hazards', () => {
  test('an unreadable file is skipped with "permission denied" (chmod 000, or an injected EACCES when running as root)', async () => {
    const root = workspace({ 'ok.txt': NEWS, 'locked.txt': NEWS });
    const locked = join(root, 'locked.txt');
    let restore = () => {};
    if (permissionsBite()) {
      chmodSync(locked, 0o000);
      restore = () => chmodSync(locked, 0o644);
    } else {
      // Root reads anything, so the read error is injected where workspace.ts opens files (sync or promise API).
      const denied = () => Object.assign(new Error(`EACCES: permission denied, open '${locked}'`), { code: 'EACCES' });
      const fsm = require('node:fs') as typeof import('node:fs');
      const { openSync } = fsm;
      const open = fsp.open;
      fsm.openSync = ((p: unknown, ...rest: unknown[]) => {
        if (p === locked) throw denied();
        return (openSync as (...a: unknown[]) => number)(p, ...rest);
      }) as typeof fsm.openSync;
      fsp.open = (async (p: unknown, ...rest: unknown[]) => {
        if (p === locked) throw denied();
        return (open as (...a: unknown[]) => unknown)(p, ...rest);
      }) as typeof fsp.open;
      restore = () => {
        fsm.openSync = openSync;
        fsp.open = open;
      };
    }
    try {
      const r = await scanFolder(root);
      assert.deepEqual(r.index.documents(), ['ok.txt']);
      assert.match(skippedOf(r.index)['locked.txt'] ?? '', /permission denied/);
    } finally {
      restore();
    }
  });

  test('files deleted or renamed between listing and reading: skipped as gone, the rest indexed, no exception', async () => {
    const root = workspace({ 'a.txt': NEWS, 'b.txt': NEWS, 'c.txt': NEWS, 'd.txt': NEWS });
    const r = await scanFolder(root, {}, {
      concurrency: 1,
      onProgress(done) {
        // Called once the listing is known, before any file is read.
        if (done === 0) {
          unlinkSync(join(root, 'b.txt'));
          renameSync(join(root, 'c.txt'), join(root, 'c-renamed.txt'));
        }
      },
    });
    assert.deepEqual(r.index.documents(), ['a.txt', 'd.txt']);
    const skipped = skippedOf(r.index);
    assert.match(skipped['b.txt'] ?? '', /no such file|deleted or renamed/);
    assert.match(skipped['c.txt'] ?? '', /no such file|deleted or renamed/);
  });

  test('symbolic link loops: skipped without following by default; no hang and each file once when links are followed', async () => {
    const root = workspace({ 'real/a.txt': NEWS });
    symlinkSync('loop2.txt', join(root, 'loop1.txt'));
    symlinkSync('loop1.txt', join(root, 'loop2.txt'));
    symlinkSync('..', join(root, 'real', 'up')); // a folder loop
    symlinkSync('.', join(root, 'self'));

    const r = await scanFolder(root);
    assert.deepEqual(r.index.documents(), ['real/a.txt']);
    const skipped = skippedOf(r.index);
    assert.match(skipped['loop1.txt'] ?? '', /symbolic link/);
    assert.match(skipped['loop2.txt'] ?? '', /symbolic link/);

    const followed = await scanFolder(root, { followSymlinks: true });
    assert.deepEqual(followed.index.documents(), ['real/a.txt'], 'the same file through a folder loop is read once');
    const s2 = skippedOf(followed.index);
    assert.match(s2['loop1.txt'] ?? '', /loop|cannot resolve/);
  });

  test('symbolic links out of the workspace are not followed unless followSymlinks is set', async () => {
    const outside = workspace({ 'secret.txt': 'Sir Peter Hale said: "Outside the workspace."\n', 'dir/more.txt': NEWS });
    const root = workspace({ 'in.txt': NEWS });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
    symlinkSync(join(outside, 'dir'), join(root, 'dir-link'));

    const r = await scanFolder(root);
    assert.deepEqual(r.index.documents(), ['in.txt']);
    assert.match(skippedOf(r.index)['secret-link.txt'] ?? '', /symbolic link, not followed/);
    assert.ok(!r.index.documents().some((d) => d.startsWith('dir-link/')), 'a linked folder is not walked');
    for (const d of r.index.documents()) assert.ok(!r.index.text(d)!.includes('Outside the workspace'));

    const followed = await scanFolder(root, { followSymlinks: true });
    assert.deepEqual(followed.index.documents(), ['dir-link/more.txt', 'in.txt', 'secret-link.txt']);
  });

  test('a broken symbolic link is skipped with a reason when links are followed', async () => {
    const root = workspace({ 'in.txt': NEWS });
    symlinkSync(join(root, 'nowhere.txt'), join(root, 'broken.txt'));
    const r = await scanFolder(root, { followSymlinks: true });
    assert.deepEqual(r.index.documents(), ['in.txt']);
    assert.match(skippedOf(r.index)['broken.txt'] ?? '', /no such file|cannot resolve/);
  });

  test('folders excluded by .gitignore (nested too) are not indexed; useGitignore: false reads them', async () => {
    const root = workspace({
      '.gitignore': 'build/\n*.log.txt\n',
      'keep.txt': NEWS,
      'build/out.txt': NEWS,
      'x.log.txt': NEWS,
      'sub/.gitignore': 'private/\n',
      'sub/private/p.txt': NEWS,
      'sub/public.txt': NEWS,
    });
    const r = await scanFolder(root);
    assert.deepEqual(r.index.documents(), ['keep.txt', 'sub/public.txt']);
    const all = await scanFolder(root, { useGitignore: false });
    assert.deepEqual(all.index.documents(), ['build/out.txt', 'keep.txt', 'sub/private/p.txt', 'sub/public.txt', 'x.log.txt']);
  });

  test('special files (a FIFO named .txt, a folder named .txt) never block or fail the scan', async () => {
    const root = workspace({ 'ok.txt': NEWS });
    mkdirSync(join(root, 'folder.txt'));
    const { spawnSync } = await import('node:child_process');
    const fifo = spawnSync('mkfifo', [join(root, 'pipe.txt')]);
    const r = await scanFolder(root);
    assert.deepEqual(r.index.documents(), ['ok.txt']);
    if (fifo.status !== 0) return; // no mkfifo: the folder case still ran
  });

  const MANY = Number(process.env.CN_RELIABILITY_MANY_FILES ?? 20_000);
  test(`${MANY.toLocaleString('en')} files in one folder are listed and indexed (CN_RELIABILITY_MANY_FILES=100000 for the full case)`, async () => {
    const root = workspace();
    for (let i = 0; i < MANY; i++) writeFileSync(join(root, `f${i}.txt`), `Jane Doe${i % 7} said hello.`);
    const listing = await listFiles(root, validateSettings({}).settings);
    assert.equal(listing.files.length, MANY);
    const t0 = performance.now();
    const r = await scanFolder(root);
    const ms = performance.now() - t0;
    assert.equal(r.indexed, MANY);
    assert.equal(r.index.stats().documents, MANY);
    assert.equal(r.index.skipped().length, 0);
    // Generous: about 1 ms a file on a loaded machine; a quadratic listing or index would blow far past it.
    assert.ok(ms < MANY * 10 + 30_000, `${MANY} files took ${ms.toFixed(0)} ms`);
  });
});

describe('settings with bad values: a clear message each, and the defaults', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp, (s: ReturnType<typeof validateSettings>['settings']) => void]> = [
    ['an unclosed bracket glob', { include: ['**/*.[tx'] }, /include: the glob "\*\*\/\*\.\[tx" has an unclosed "\["/, (s) => assert.deepEqual(s.include, ['**/*.txt', '**/*.md'])],
    ['an unbalanced brace glob', { exclude: ['{a,b'] }, /exclude: .*unclosed "\{"/, (s) => assert.ok(s.exclude.includes('**/node_modules/**'))],
    ['a glob going outside the folder', { include: ['../**/*.txt'] }, /outside the folder/, (s) => assert.deepEqual(s.include, ['**/*.txt', '**/*.md'])],
    ['an absolute glob', { include: ['/etc/**'] }, /absolute path/, (s) => assert.deepEqual(s.include, ['**/*.txt', '**/*.md'])],
    ['an empty glob', { include: [''] }, /is empty/, (s) => assert.deepEqual(s.include, ['**/*.txt', '**/*.md'])],
    ['globs that are not a list', { include: 42 }, /expected a list of globs/, (s) => assert.deepEqual(s.include, ['**/*.txt', '**/*.md'])],
    ['a negative size limit', { maxFileSize: -5 }, /maxFileSize: -5 is not a positive number; using the default \(64 MB\)/, (s) => assert.equal(s.maxFileSize, 64 * 1024 * 1024)],
    ['a zero size limit (MB)', { maxFileSizeMB: 0 }, /not a positive number/, (s) => assert.equal(s.maxFileSize, 64 * 1024 * 1024)],
    ['a size limit that is not a number', { maxFileSize: 'lots' }, /not a positive number/, (s) => assert.equal(s.maxFileSize, 64 * 1024 * 1024)],
    ['NaN and Infinity', { maxFileSize: Infinity }, /not a positive number/, (s) => assert.equal(s.maxFileSize, 64 * 1024 * 1024)],
    ['a boolean that is not one', { followSymlinks: 'yes please' }, /followSymlinks: expected true or false/, (s) => assert.equal(s.followSymlinks, false)],
  ];
  for (const [what, raw, message, check] of cases) {
    test(what, () => {
      const v = validateSettings(raw);
      assert.ok(v.problems.some((p) => message.test(p)), `problems: ${JSON.stringify(v.problems)}`);
      check(v.settings);
    });
  }

  test('settings of the wrong shape altogether', () => {
    for (const raw of [null, undefined, 'x', 7, [], { include: [null, 3, {}] }]) {
      const v = validateSettings(raw);
      assert.deepEqual(v.settings.include.length > 0, true);
    }
  });

  test('a scan with every bad value still indexes with the defaults and reports each problem', async () => {
    const root = workspace({ 'a.txt': NEWS, 'b.md': NEWS });
    const r = await scanFolder(root, { include: ['[', '../x'], exclude: '{', maxFileSize: -1, followSymlinks: 3, useGitignore: 'maybe' });
    assert.deepEqual(r.index.documents(), ['a.txt', 'b.md']);
    assert.ok(r.problems.length >= 5, r.problems.join('\n'));
  });
});
