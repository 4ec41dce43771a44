// A reopened workspace starts from the index snapshot an earlier session wrote (node/snapshot.ts), reads only the
// files that changed since, and must end with the index a fresh scan gives: after edits, additions, deletions and
// touched files, with documents open in the editor, and not at all when the settings or the snapshot itself differ.

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { CorpusIndex } from '../../../server/src/core/index';
import { createAnalyser } from '../../../server/src/lsp/analyser';
import { nodeFileSource } from '../../../server/src/lsp/files';
import { CorpusHost, scanKey, scanPath, type HostClient } from '../../../server/src/lsp/host';
import { keyToPath, pathToKey } from '../../../server/src/lsp/uris';

const sample = join(__dirname, '..', '..', '..', 'server', 'sample-corpus');
const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const root = temp('cn-reopen-ws-');
  for (const f of readdirSync(sample)) if (/\.(txt|md)$/.test(f) && f !== 'README.md') writeFileSync(join(root, f), readFileSync(join(sample, f)));
  writeFileSync(join(root, 'binary.txt'), Buffer.from([0, 1, 2, 3, 0, 0, 7]));
  return root;
}

interface Session {
  index: CorpusIndex;
  host: CorpusHost;
  logs: string[];
  close(): Promise<void>;
}

async function open(
  root: string,
  cacheFolder: string | undefined,
  settings: unknown = {},
  before?: (host: CorpusHost) => void,
  snapshotDelayMs = 0,
  whileAnsweringSettings?: () => Promise<void>,
): Promise<Session> {
  const logs: string[] = [];
  const log = (level: string, message: string) => void logs.push(`${level}: ${message}`);
  const client: HostClient = {
    status: () => undefined,
    log,
    progress: async () => ({ report: () => undefined, done: () => undefined, onCancel: () => undefined }),
    configuration: async (uris) => {
      await whileAnsweringSettings?.();
      return uris.map(() => settings);
    },
  };
  // eslint-disable-next-line prefer-const
  let host: CorpusHost;
  const index = new CorpusIndex({ textSource: (doc) => host.textOf(doc) });
  const analyser = cacheFolder ? createAnalyser({ cacheFolder, workers: 0, log, snapshotDelayMs }) : undefined;
  host = new CorpusHost(index, nodeFileSource(), client, analyser);
  host.setFolders([{ uri: pathToFileURL(root).href }]);
  await host.loadSettings();
  before?.(host);
  await host.rescan();
  return { index, host, logs, close: async () => (host.dispose(), await analyser?.close()) };
}

/** Waits for the snapshot written after the scan settled. */
async function snapshotWritten(s: Session): Promise<void> {
  for (let i = 0; i < 400 && !s.logs.some((l) => /Index snapshot (written|not written)/.test(l)); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(s.logs.some((l) => l.includes('Index snapshot written')), s.logs.join('\n'));
}

/** The cache folder of a session over `root` that wrote its snapshot and closed: what a reopen starts from. */
async function primedCache(root: string): Promise<string> {
  const cache = temp('cn-reopen-cache-');
  const first = await open(root, cache);
  await snapshotWritten(first);
  await first.close();
  return cache;
}

/** The workspace's articles (not the binary file), in a fixed order. */
const articles = (root: string) => readdirSync(root).filter((f) => f.endsWith('.txt') && f !== 'binary.txt').sort();

const observe = (ix: CorpusIndex) => ({
  stats: ix.stats(),
  skipped: ix.skipped(),
  entities: ix.entities(),
  per: ix.entities().map((e) => [ix.mentionsOf(e.id), ix.quotesBy(e.id), ix.roles(e.id), ix.introduction(e.id)]),
  docs: ix.documents().map((d) => [d, ix.text(d), ix.analysis(d), ix.entitiesIn(d)]),
  search: ix.search('lab', 20),
});

async function fresh(root: string, settings: unknown = {}, before?: (host: CorpusHost) => void) {
  const s = await open(root, undefined, settings, before);
  const o = observe(s.index);
  await s.close();
  return o;
}

describe('warm reopen from the index snapshot', () => {
  test('nothing changed: everything restored, only the skipped file read again, the same index', async () => {
    const root = workspace();
    const cache = await primedCache(root);
    const second = await open(root, cache);
    assert.ok(second.logs.some((l) => /Index snapshot restored: \d+ files .* 1 to read again/.test(l)), second.logs.join('\n'));
    assert.deepStrictEqual(observe(second.index), await fresh(root));
    // Nothing changed: no snapshot is written again.
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!second.logs.some((l) => l.includes('Index snapshot written')), second.logs.join('\n'));
    await second.close();
  });

  test('a snapshot still waiting for a quiet moment is written when the session closes', async () => {
    const root = workspace();
    const cache = temp('cn-reopen-cache-');
    // Closed long before the snapshot's delay is up (a folder closed right after it was indexed).
    const first = await open(root, cache, {}, undefined, 60_000);
    assert.ok(!first.logs.some((l) => l.includes('Index snapshot written')), first.logs.join('\n'));
    await first.close();
    assert.ok(first.logs.some((l) => l.includes('Index snapshot written')), first.logs.join('\n'));
    const second = await open(root, cache);
    assert.ok(second.logs.some((l) => /Index snapshot restored: \d+ files .* 1 to read again/.test(l)), second.logs.join('\n'));
    assert.deepStrictEqual(observe(second.index), await fresh(root));
    await second.close();
  });

  test('changed, touched, new and deleted files: only those are read, and the index equals a fresh one', async () => {
    const root = workspace();
    const cache = await primedCache(root);
    const files = articles(root);
    writeFileSync(join(root, files[0]), 'Jeremy Corbyn resigned. Corbyn said: “It is time.” The JLM welcomed it.\n');
    rmSync(join(root, files[1]));
    writeFileSync(join(root, 'new-article.txt'), 'Angela Rayner, the deputy leader, said: “We will win.” Rayner left early.\n');
    const later = new Date(Date.now() + 120_000);
    utimesSync(join(root, files[2]), later, later); // same content, new mtime: recognised by its hash
    const second = await open(root, cache);
    const line = second.logs.find((l) => l.includes('Index snapshot restored'));
    // The changed file, the new one and the binary one (skipped files are read again) are read; the touched one is not.
    assert.match(line ?? second.logs.join('\n'), / 3 to read again/);
    assert.deepStrictEqual(observe(second.index), await fresh(root));
    await snapshotWritten(second);
    await second.close();
    // And the snapshot written after those changes restores to the same again.
    const third = await open(root, cache);
    assert.ok(third.logs.some((l) => /Index snapshot restored: .* 1 to read again/.test(l)), third.logs.join('\n'));
    assert.deepStrictEqual(observe(third.index), await fresh(root));
    await third.close();
  });

  test('a file changed while the client answers the settings request is read again', async () => {
    const root = workspace();
    const cache = await primedCache(root);
    const files = articles(root);
    // The snapshot is read ahead as soon as the folders are known, before the settings (and, in the server, the file
    // watchers): its files must be stat'ed after that, or this change would be seen by nothing.
    const second = await open(root, cache, {}, undefined, 0, async () => {
      await new Promise((r) => setTimeout(r, 300));
      appendFileSync(join(root, files[0]), '\nZebedee Quartermaine, the Hartlepool mayor, said: “We will not move.”\n');
    });
    const line = second.logs.find((l) => l.includes('Index snapshot restored'));
    assert.match(line ?? second.logs.join('\n'), / 2 to read again/);
    assert.ok(second.index.entities().some((e) => e.name === 'Zebedee Quartermaine'));
    assert.deepStrictEqual(observe(second.index), await fresh(root));
    await second.close();
  });

  test('the listing is reused while no directory changed, and not once one did', async () => {
    const root = workspace();
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'sub', 'deeper', 'inner.txt'), 'Keir Starmer visited Leeds. Starmer said: “Good.”\n');
    // Directories changed in the last seconds are not trusted (their next change could share the mtime): age them.
    const past = new Date(Date.now() - 60_000);
    for (const d of [root, join(root, 'sub'), join(root, 'sub', 'deeper')]) utimesSync(d, past, past);
    const cache = await primedCache(root);
    const second = await open(root, cache);
    assert.ok(second.logs.some((l) => /Index snapshot restored: .*listing reused: 1 to read again/.test(l)), second.logs.join('\n'));
    assert.deepStrictEqual(observe(second.index), await fresh(root));
    await second.close();
    // A file added deep down changes its directory's mtime: the folders are listed again and it is found.
    writeFileSync(join(root, 'sub', 'deeper', 'added.txt'), 'Angela Rayner spoke in Hull. Rayner said: “Yes.”\n');
    const third = await open(root, cache);
    const line = third.logs.find((l) => l.includes('Index snapshot restored')) ?? third.logs.join('\n');
    assert.doesNotMatch(line, /listing reused/);
    assert.match(line, / 2 to read again/);
    assert.ok(third.index.documents().some((d) => d.endsWith('/sub/deeper/added.txt')));
    assert.deepStrictEqual(observe(third.index), await fresh(root));
    await third.close();
  });

  test('paths that need escaping, out of the table\'s order: the listing reused, each file keyed as a scan keys it', async () => {
    const root = workspace();
    mkdirSync(join(root, 'a b'), { recursive: true });
    mkdirSync(join(root, 'Z'), { recursive: true });
    writeFileSync(join(root, 'a b', '100% é.txt'), 'Keir Starmer visited Leeds. Starmer said: “Good.”\n');
    writeFileSync(join(root, 'Z', 'x#1.txt'), 'Angela Rayner spoke in Hull. Rayner said: “Yes.”\n');
    writeFileSync(join(root, 'Z', 'plain.txt'), 'Angela Rayner spoke in Hull again.\n');
    const past = new Date(Date.now() - 60_000);
    for (const d of [root, join(root, 'a b'), join(root, 'Z')]) utimesSync(d, past, past);
    const cache = await primedCache(root);
    const second = await open(root, cache);
    assert.ok(second.logs.some((l) => /Index snapshot restored: .*listing reused: 1 to read again/.test(l)), second.logs.join('\n'));
    const want = await fresh(root);
    assert.deepStrictEqual(observe(second.index), want);
    for (const d of second.index.documents()) assert.equal(d, pathToKey(keyToPath(d)!), d);
    await second.close();
    // One of them changed on disk (same size): found by its stat, read again, and the index is a fresh one's.
    writeFileSync(join(root, 'a b', '100% é.txt'), 'Keir Starmer visited Leeds. Starmer said: “Fine.”\n');
    const third = await open(root, cache);
    assert.ok(third.logs.some((l) => /Index snapshot restored: .*listing reused: 2 to read again/.test(l)), third.logs.join('\n'));
    assert.deepStrictEqual(observe(third.index), await fresh(root));
    await third.close();
  });

  test('documents open in the editor keep the editor text over the snapshot', async () => {
    const root = workspace();
    const cache = await primedCache(root);
    const file = articles(root)[3];
    const uri = pathToFileURL(join(root, file)).href;
    const edited = 'Keir Starmer, the Labour leader, said: “Not today.” Starmer then left.\n';
    const editor = (host: CorpusHost) => {
      host.didChange(uri, edited);
      host.flush();
    };
    const second = await open(root, cache, {}, editor);
    assert.ok(second.logs.some((l) => l.includes('Index snapshot restored')), second.logs.join('\n'));
    assert.equal(second.index.text(uri), edited);
    assert.deepStrictEqual(observe(second.index), await fresh(root, {}, editor));
    await second.close();
  });

  test('an open document the editor has not changed is restored at the next start; an edited one is read again', async () => {
    const root = workspace();
    const cache = temp('cn-reopen-cache-');
    const files = articles(root);
    // The snapshot waits for closing, so that it sees the editor's documents as they are then.
    const first = await open(root, cache, {}, undefined, 60_000);
    first.host.didChange(pathToFileURL(join(root, files[0])).href, readFileSync(join(root, files[0]), 'utf8'));
    first.host.didChange(pathToFileURL(join(root, files[1])).href, 'Keir Starmer said: “Edited, never saved.”\n');
    first.host.flush();
    await first.close();
    assert.ok(first.logs.some((l) => l.includes('Index snapshot written')), first.logs.join('\n'));
    const second = await open(root, cache);
    // Read again: the skipped binary file and the edited document, not the one opened as it was on disk.
    assert.ok(second.logs.some((l) => /Index snapshot restored: .* 2 to read again/.test(l)), second.logs.join('\n'));
    // So few files on top of a snapshot are analysed in place: the analysis cache is not even opened.
    assert.ok(!second.logs.some((l) => l.includes('Index cache of')), second.logs.join('\n'));
    assert.deepStrictEqual(observe(second.index), await fresh(root));
    await second.close();
  });

  test('other settings, or a damaged snapshot: not used, and the scan reads everything', async () => {
    const root = workspace();
    const cache = await primedCache(root);
    const snap = readdirSync(cache).find((f) => f.startsWith('snapshot-') && f.endsWith('.cns'))!;
    const bytes = readFileSync(join(cache, snap));
    bytes[bytes.length - 3] ^= 0xff;
    writeFileSync(join(cache, snap), bytes);
    const damaged = await open(root, cache);
    assert.ok(damaged.logs.some((l) => /Index snapshot not used: checksum mismatch/.test(l)), damaged.logs.join('\n'));
    assert.deepStrictEqual(observe(damaged.index), await fresh(root));
    // Closing writes a good snapshot again (for these settings).
    await damaged.close();

    const mdOnly = { include: ['**/*.md'] };
    const other = await open(root, cache, mdOnly);
    assert.ok(other.logs.some((l) => /Index snapshot not used: made by other code or for other roots or settings/.test(l)), other.logs.join('\n'));
    assert.deepStrictEqual(observe(other.index), await fresh(root, mdOnly));
    await other.close();
  });
});

describe('the scan\'s keys', () => {
  test('scanKey and scanPath agree with pathToKey and keyToPath', () => {
    const paths = ['/a/b.txt', '/a/./b.txt', '/a/../b.txt', '/a//b.txt', '/a/b/', '/a/.x', '/a/x.', '/a/x..y', '/a/-x', '/a/_x', '/A/B.TXT'];
    paths.push('/a/b c.txt', '/a/%41.txt', '/a/#x?.txt', '/a/é.txt', '/a/~x.txt', '/a/b\\c.txt', '/a/(1)[2]{3}.txt', "/a/it's.txt", '/a/a+b=c&d;e,f@g$h!.txt');
    paths.push('/a/.bench/x.txt', '/.a/b', '/a/..b/c', '/a/.../c', '/a/b/..', '/a/b/.', '/a/./', '/a/../', '/..', '/.');
    for (const p of paths) {
      assert.equal(scanKey(p), pathToKey(p), p);
      assert.equal(scanPath(scanKey(p)), keyToPath(pathToKey(p)), p);
    }
  });
});
