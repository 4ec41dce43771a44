// The built CLI, run as a user runs it: `node dist/cli.js ...`.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { tempTree } from '../helpers/tempTree';

const repo = join(__dirname, '..', '..');
const cli = join(repo, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tree = (files: Record<string, string | Uint8Array>) => tempTree(files, 'cn-cli-');

before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
});

const fixture = {
  'a.txt': 'Labour MP Jeremy Corbyn said: "We will not back down."\n\nMr Corbyn later left the meeting.\n',
  'notes/b.md': '\ufeffCorbyn’s allies in the Jewish Labour Movement (JLM) disagreed. The JLM said it would write to him.\n',
  'crlf.txt': 'First line\r\nSir Keir Starmer said: "Not now."\r\n',
  'image.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'data.json': '{"not": "included"}',
};

describe('corpus-nav scan --json', () => {
  const root = tree(fixture);
  const r = run('scan', root, '--json');
  const json = JSON.parse(r.out);

  it('exits 0 and prints the documented shape', () => {
    assert.equal(r.code, 0, r.err);
    assert.equal(json.root, root);
    assert.deepEqual(Object.keys(json).slice(0, 4), ['root', 'files', 'entities', 'quotes']);
    assert.deepEqual(
      json.files.map((f: { path: string; skipped?: string }) => [f.path, f.skipped?.split(':')[0] ?? null]),
      [
        ['a.txt', null],
        ['crlf.txt', null],
        ['image.txt', 'binary file'],
        ['notes/b.md', null],
      ],
    );
    for (const e of json.entities) {
      assert.match(e.id, /^(person|organisation):\S+$/);
      assert.ok(['person', 'organisation'].includes(e.type));
      assert.equal(typeof e.name, 'string');
      assert.ok(Array.isArray(e.aliases) && e.aliases.length > 0);
    }
    assert.equal(new Set(json.entities.map((e: { id: string }) => e.id)).size, json.entities.length);
  });

  it('offsets are UTF-16 indices into the decoded text (BOM removed, CRLF kept)', () => {
    const text = (file: string) => readFileSync(join(root, file), 'utf8').replace(/^\ufeff/, '');
    let n = 0;
    for (const e of json.entities) {
      for (const m of e.mentions) {
        assert.equal(text(m.file).slice(m.start, m.end), m.text);
        n++;
      }
    }
    for (const q of json.quotes) assert.equal(text(q.file).slice(q.start, q.end), q.text);
    assert.ok(n > 0, 'some mentions were found');
  });

  it('quote speakers are entity ids of the same output, or null', () => {
    const ids = new Set(json.entities.map((e: { id: string }) => e.id));
    for (const q of json.quotes) {
      assert.ok(q.speaker === null || ids.has(q.speaker), JSON.stringify(q));
      assert.ok(q.speakerText === null || typeof q.speakerText === 'string');
    }
  });

  it('is byte-for-byte deterministic', () => {
    assert.equal(run('scan', root, '--json').out, r.out);
  });
});

describe('corpus-nav scan: other outputs and options', () => {
  const root = tree(fixture);

  it('prints a readable table by default', () => {
    const r = run('scan', root);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /TYPE\s+NAME\s+ALIASES\s+MENTIONS\s+FILES/);
    assert.match(r.out, /QUOTATIONS/);
    assert.match(r.out, /image\.txt: binary file/);
  });

  it('--csv prints a header and rows', () => {
    const r = run('scan', root, '--csv');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\r\n')[0], 'record,entity_id,type,name,file,start,end,text,speaker_id,speaker');
  });

  it('--include and --exclude choose the files', () => {
    const only = JSON.parse(run('scan', root, '--json', '--include', 'notes/**').out);
    assert.deepEqual(only.files.map((f: { path: string }) => f.path), ['notes/b.md']);
    const without = JSON.parse(run('scan', root, '--json', '--exclude', '**/*.md', '--exclude=image.txt').out);
    assert.deepEqual(without.files.map((f: { path: string }) => f.path), ['a.txt', 'crlf.txt']);
  });

  it('--max-file-size skips larger files with the reason', () => {
    const r = JSON.parse(run('scan', root, '--json', '--max-file-size', '40').out);
    assert.ok(r.files.some((f: { path: string; skipped?: string }) => f.path === 'a.txt' && /too large/.test(f.skipped ?? '')));
  });

  it('--out writes to a file', () => {
    const out = join(root, 'out.json');
    const r = run('scan', root, '--json', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.ok(JSON.parse(readFileSync(out, 'utf8')).entities);
  });

  it('with no folder, scans the bundled sample corpus (not its README)', () => {
    const r = run('scan', '--json');
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    const paths = json.files.map((f: { path: string }) => f.path);
    assert.ok(paths.length >= 5, paths.join(' '));
    assert.ok(!paths.includes('README.md'));
    assert.ok(json.entities.length > 0);
    assert.ok(json.quotes.length > 0);
  });
});

describe('corpus-nav: errors', () => {
  const root = tree({ 'a.txt': 'x' });
  const cases: Array<{ args: string[]; code: number; err: RegExp }> = [
    { args: ['scan', join(root, 'missing')], code: 1, err: /missing: no such file or folder/ },
    { args: ['scan', join(root, 'a.txt')], code: 1, err: /not a folder/ },
    { args: ['scan', root, '--bogus'], code: 2, err: /unknown option --bogus/ },
    { args: ['scan', root, '--include'], code: 2, err: /--include needs a value/ },
    { args: ['scan', root, '--max-file-size', 'big'], code: 2, err: /not a size/ },
    { args: ['scan', root, root], code: 2, err: /one folder at a time/ },
    { args: ['frobnicate'], code: 2, err: /unknown command "frobnicate"/ },
    { args: ['scan', root, '--json', '--out', join(root, 'no', 'such', 'dir', 'x.json')], code: 1, err: /cannot write/ },
  ];
  for (const c of cases) {
    it(c.args.join(' ').replace(root, '<tmp>'), () => {
      const r = run(...c.args);
      assert.equal(r.code, c.code, r.err);
      assert.match(r.err, c.err);
    });
  }

  it('--help exits 0', () => {
    const r = run('--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /corpus-nav scan \[folder\]/);
  });

  it('a bad include glob gives a warning and the default', () => {
    const r = run('scan', root, '--json', '--include', '**/[oops');
    assert.equal(r.code, 0);
    assert.match(r.err, /warning: include: the glob "\*\*\/\[oops" has an unclosed "\["/);
    assert.deepEqual(JSON.parse(r.out).files, [{ path: 'a.txt' }]);
  });
});

describe('corpus-nav lsp --stdio', () => {
  it('answers initialize', { skip: existsSync(join(repo, 'dist', 'server.js')) ? false : 'dist/server.js not built' }, async () => {
    const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const reply = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`no reply; got ${buf}`)), 20_000);
      child.stdout.on('data', (d) => {
        buf += d;
        if (/"id":1/.test(buf) && /"capabilities"/.test(buf)) {
          clearTimeout(timer);
          resolve(buf);
        }
      });
    });
    child.kill();
    assert.match(reply, /Content-Length: \d+/);
  });
});
