import assert from 'node:assert/strict';
import { symlinkSync, chmodSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, globProblem, validateSettings } from '../../../server/src/node/settings';
import { contentHash } from '../../../server/src/node/readText';
import { listFiles, readText, readTextSync, rootProblem } from '../../../server/src/node/workspace';
import { tempTree } from '../../helpers/tempTree';

const tree = (files: Record<string, string | Uint8Array>) => tempTree(files, 'cn-ws-');

const settings = (over: Partial<typeof DEFAULT_SETTINGS> = {}) => ({ ...DEFAULT_SETTINGS, ...over });

describe('workspace: listing', () => {
  it('include and exclude globs, with the defaults', async () => {
    const root = tree({
      'a.txt': 'a',
      'b.md': 'b',
      'c.json': '{}',
      'sub/deeper/d.txt': 'd',
      'node_modules/pkg/readme.txt': 'x',
      '.git/notes.txt': 'x',
      '.hidden/e.txt': 'x',
    });
    const l = await listFiles(root, settings());
    assert.deepEqual(l.files.map((f) => f.path), ['a.txt', 'b.md', 'sub/deeper/d.txt']);
    const only = await listFiles(root, settings({ include: ['sub/**/*.txt'], exclude: [] }));
    assert.deepEqual(only.files.map((f) => f.path), ['sub/deeper/d.txt']);
    const ex = await listFiles(root, settings({ exclude: [...DEFAULT_SETTINGS.exclude, '**/*.md'] }));
    assert.deepEqual(ex.files.map((f) => f.path), ['a.txt', 'sub/deeper/d.txt']);
  });

  it('honours .gitignore files, nested ones relative to their folder', async () => {
    const root = tree({
      '.gitignore': 'drafts/\n*.log.txt\n',
      'keep.txt': 'k',
      'drafts/x.txt': 'x',
      'run.log.txt': 'x',
      'sub/.gitignore': 'secret.txt\n',
      'sub/secret.txt': 's',
      'sub/public.txt': 'p',
      'secret.txt': 'top-level secret is not ignored by sub/.gitignore',
    });
    const l = await listFiles(root, settings());
    assert.deepEqual(l.files.map((f) => f.path), ['keep.txt', 'secret.txt', 'sub/public.txt']);
    const all = await listFiles(root, settings({ useGitignore: false }));
    assert.equal(all.files.length, 6);
  });

  it('symbolic links are skipped with a reason unless followed; loops do not hang', async () => {
    const outside = tree({ 'outside.txt': 'outside the workspace' });
    const root = tree({ 'in.txt': 'in', 'dir/x.txt': 'x' });
    symlinkSync(join(outside, 'outside.txt'), join(root, 'link.txt'));
    symlinkSync(join(root, 'dir'), join(root, 'dir', 'loop'));
    const l = await listFiles(root, settings());
    assert.deepEqual(l.files.map((f) => f.path), ['dir/x.txt', 'in.txt']);
    assert.deepEqual(l.skipped.map((s) => s.path), ['link.txt']);
    assert.match(l.skipped[0].reason, /symbolic link, not followed/);
    const followed = await listFiles(root, settings({ followSymlinks: true }));
    assert.deepEqual(followed.files.map((f) => f.path), ['dir/x.txt', 'in.txt', 'link.txt']);
  });

  it('many files in one folder', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`many/f${String(i).padStart(5, '0')}.txt`] = 'x';
    const root = tree(files);
    const l = await listFiles(root, settings());
    assert.equal(l.files.length, 2000);
    assert.equal(l.files[0].path, 'many/f00000.txt');
  });

  it('rootProblem: a missing folder, a file, a folder', async () => {
    const root = tree({ 'a.txt': 'a' });
    assert.match((await rootProblem(join(root, 'nope')))!, /no such file or folder/);
    assert.match((await rootProblem(join(root, 'a.txt')))!, /not a folder/);
    assert.equal(await rootProblem(root), undefined);
  });
});

describe('workspace: reading', () => {
  const root = tree({
    'plain.txt': 'Hello',
    'bom.txt': new Uint8Array([0xef, 0xbb, 0xbf, 0x48, 0x69]),
    'utf16.txt': new Uint8Array([0xff, 0xfe, 0x48, 0x00, 0x69, 0x00]),
    'nul.txt': new Uint8Array([0x48, 0x00, 0x69]),
    'image.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]),
    'big.txt': 'x'.repeat(5000),
    'empty.txt': '',
    'gone.txt': 'soon gone',
    'locked.txt': 'secret',
  });
  const cases: Array<[string, { text?: string; reason?: RegExp }]> = [
    ['plain.txt', { text: 'Hello' }],
    ['bom.txt', { text: 'Hi' }],
    ['utf16.txt', { text: 'Hi' }],
    ['empty.txt', { text: '' }],
    ['nul.txt', { reason: /binary file: contains NUL/ }],
    ['image.txt', { reason: /binary file: a PNG image/ }],
    ['big.txt', { reason: /too large: 4\.9 KB is over the limit of 1\.0 KB/ }],
    ['missing.txt', { reason: /no such file/ }],
  ];
  for (const [file, want] of cases) {
    it(file, async () => {
      const r = await readText(join(root, file), 1024);
      if (want.text !== undefined) assert.deepEqual(r.ok && r.text, want.text);
      else assert.match(r.ok ? 'ok' : r.reason, want.reason!);
    });
  }

  it('the content hash taken from the bytes is the hash of the decoded text, whatever the encoding', () => {
    const files = tree({
      'ascii.txt': 'Plain text, CRLF\r\nand more.',
      'utf8.txt': 'Zoë “quoted” — ok 😀',
      'bom.txt': new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Zoë')]),
      'invalid.txt': new Uint8Array([0x41, 0xc3, 0x28, 0x42, 0xff]),
      'literal-fffd.txt': 'a \ufffd b',
      'utf16le.txt': new Uint8Array([0xff, 0xfe, 0x5a, 0x00, 0xeb, 0x00]),
      'utf16be.txt': new Uint8Array([0xfe, 0xff, 0x00, 0x5a, 0x00, 0xeb]),
      'empty.txt': '',
    });
    for (const name of ['ascii.txt', 'utf8.txt', 'bom.txt', 'invalid.txt', 'literal-fffd.txt', 'utf16le.txt', 'utf16be.txt', 'empty.txt']) {
      const r = readTextSync(join(files, name), 1024, true);
      assert.ok(r.ok, name);
      assert.equal(r.hash, contentHash(r.text), name);
    }
  });

  it('the content hash is left out when not asked for, or when the file still has the size and mtime given', () => {
    const file = join(tree({ 'a.txt': 'Hello there' }), 'a.txt');
    const plain = readTextSync(file, 1024);
    assert.ok(plain.ok);
    assert.equal(plain.hash, undefined);
    assert.equal((readTextSync(file, 1024, { size: plain.size, mtimeMs: plain.mtimeMs }) as { hash?: string }).hash, undefined);
    const moved = readTextSync(file, 1024, { size: plain.size, mtimeMs: plain.mtimeMs - 1 });
    assert.ok(moved.ok);
    assert.equal(moved.hash, contentHash('Hello there'));
    const resized = readTextSync(file, 1024, { size: plain.size + 1, mtimeMs: plain.mtimeMs });
    assert.equal(resized.ok && resized.hash, contentHash('Hello there'));
  });

  it('a file deleted between listing and reading is a reason, not an exception', async () => {
    unlinkSync(join(root, 'gone.txt'));
    const r = await readText(join(root, 'gone.txt'), 1024);
    assert.equal(r.ok, false);
  });

  it('an unreadable file (permissions) is a reason', { skip: process.getuid?.() === 0 ? 'running as root: permissions do not apply' : false }, async () => {
    chmodSync(join(root, 'locked.txt'), 0o000);
    const r = await readText(join(root, 'locked.txt'), 1024);
    assert.match(r.ok ? 'ok' : r.reason, /permission denied/);
  });
});

describe('settings', () => {
  it('globProblem', () => {
    assert.equal(globProblem('**/*.txt'), undefined);
    assert.equal(globProblem('docs/{a,b}/*.md'), undefined);
    assert.match(globProblem('**/[abc.txt')!, /unclosed "\["/);
    assert.match(globProblem('a}')!, /unbalanced/);
    assert.match(globProblem('')!, /empty/);
    assert.match(globProblem('/etc/*')!, /absolute/);
    assert.match(globProblem('../x/*.txt')!, /outside/);
    assert.match(globProblem(42)!, /not a string/);
  });

  const cases: Array<{ raw: unknown; want: Partial<typeof DEFAULT_SETTINGS>; problems: RegExp[] }> = [
    { raw: undefined, want: {}, problems: [] },
    { raw: {}, want: {}, problems: [] },
    { raw: 'nonsense', want: {}, problems: [/not an object/] },
    { raw: { include: ['**/*.txt', '**/[bad'] }, want: { include: ['**/*.txt'] }, problems: [/\[bad.*ignored/] },
    { raw: { include: ['**/[bad'] }, want: {}, problems: [/ignored/, /no usable glob; using the default/] },
    { raw: { include: 'notes/*.txt' }, want: { include: ['notes/*.txt'] }, problems: [] },
    { raw: { exclude: 7 }, want: {}, problems: [/exclude: expected a list/] },
    { raw: { maxFileSize: -5 }, want: {}, problems: [/maxFileSize: -5 is not a positive number; using the default \(64 MB\)/] },
    { raw: { maxFileSizeMB: 2 }, want: { maxFileSize: 2 * 1024 * 1024 }, problems: [] },
    { raw: { maxFileSize: '1000' }, want: { maxFileSize: 1000 }, problems: [] },
    { raw: { followSymlinks: 'yes' }, want: {}, problems: [/followSymlinks: expected true or false/] },
    { raw: { followSymlinks: true, useGitignore: false }, want: { followSymlinks: true, useGitignore: false }, problems: [] },
  ];
  for (const c of cases) {
    it(`validateSettings(${JSON.stringify(c.raw)})`, () => {
      const v = validateSettings(c.raw);
      assert.deepEqual(v.settings, { ...DEFAULT_SETTINGS, ...c.want });
      assert.equal(v.problems.length, c.problems.length, v.problems.join('\n'));
      c.problems.forEach((re, i) => assert.match(v.problems[i], re));
    });
  }
});
