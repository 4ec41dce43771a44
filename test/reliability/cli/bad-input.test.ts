// Bad input through the built CLI (`node dist/cli.js scan --json`), each with a fixture made here: binary files and
// images named .txt, files over the size limit, invalid UTF-8, BOMs, UTF-16, CRLF and lone CR, empty and
// whitespace-only files, emoji before a name, a large file and a 5 MB line. Offsets are checked against the text
// as documented: UTF-16 code units into the file decoded as UTF-8 (or UTF-16 with its BOM), BOM removed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileEntry, runCli, scanJson, workspace, type CliJson } from '../helpers';

const NEWS = 'Margaret Okafor, the leader of Brampton Council, said: "We will go on."\nMrs Okafor left.\n';

/** Every mention and quote of `file` must be its text's slice at the reported offsets. */
function assertSpansMatch(json: CliJson, file: string, text: string) {
  let n = 0;
  for (const e of json.entities) {
    for (const m of e.mentions) {
      if (m.file !== file) continue;
      n++;
      assert.equal(text.slice(m.start, m.end), m.text, `${file} mention [${m.start}, ${m.end})`);
    }
  }
  for (const q of json.quotes) {
    if (q.file !== file) continue;
    n++;
    assert.equal(text.slice(q.start, q.end), q.text, `${file} quote [${q.start}, ${q.end})`);
  }
  return n;
}

const mentionOf = (json: CliJson, file: string, text: string) =>
  json.entities.flatMap((e) => e.mentions).find((m) => m.file === file && m.text === text);

describe('CLI: bad input is skipped with a reason or decoded with exact offsets', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
  const nul = new TextEncoder().encode('Margaret Okafor said\u0000\u0000 hello\n');
  const latin1 = new Uint8Array([...new TextEncoder().encode('Caf'), 0xe9, ...new TextEncoder().encode(' owner Margaret Okafor said: "Fine."\n')]);
  const utf16 = (text: string, be: boolean) => {
    const out = new Uint8Array(2 + text.length * 2);
    out.set(be ? [0xfe, 0xff] : [0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out[2 + 2 * i + (be ? 1 : 0)] = c & 0xff;
      out[2 + 2 * i + (be ? 0 : 1)] = c >> 8;
    }
    return out;
  };
  const crlf = NEWS.replace(/\n/g, '\r\n');
  const lonecr = NEWS.replace(/\n/g, '\r');
  const emoji = '😀👍🏽 Margaret Okafor said: "🎉 We will go on."\n𝒜 Mrs Okafor left.\n';

  const root = workspace({
    'ok.txt': NEWS,
    'image.txt': png,
    'photo.md': jpeg,
    'nul.txt': nul,
    'big.txt': NEWS + 'x'.repeat(300_000),
    'latin1.txt': latin1,
    'bom.txt': '\ufeff' + NEWS,
    'utf16le.txt': utf16('\ufeff'.slice(1) + NEWS, false),
    'utf16be.txt': utf16(NEWS, true),
    'crlf.txt': crlf,
    'cr.txt': lonecr,
    'empty.txt': '',
    'blank.txt': ' \n\t\r\n   \n',
    'emoji.txt': emoji,
  });
  const json = scanJson(root, ['--max-file-size', '200KB']);

  test('a binary file (NUL bytes) is skipped with the reason', () => {
    assert.match(fileEntry(json, 'nul.txt')?.skipped ?? '', /binary file: contains NUL bytes/);
  });

  test('images renamed .txt / .md are skipped with what they are', () => {
    assert.match(fileEntry(json, 'image.txt')?.skipped ?? '', /binary file: a PNG image/);
    assert.match(fileEntry(json, 'photo.md')?.skipped ?? '', /binary file: a JPEG image/);
  });

  test('a file over the size limit (setting) is skipped with the reason', () => {
    assert.match(fileEntry(json, 'big.txt')?.skipped ?? '', /too large: .* over the limit of 200\.0 KB \(setting maxFileSize\)/);
  });

  test('skipped files contribute nothing; good files are indexed beside them', () => {
    const skipped = new Set(json.files.filter((f) => f.skipped).map((f) => f.path));
    assert.deepEqual([...skipped].sort(), ['big.txt', 'image.txt', 'nul.txt', 'photo.md']);
    for (const e of json.entities) for (const m of e.mentions) assert.ok(!skipped.has(m.file));
    assert.ok(mentionOf(json, 'ok.txt', 'Margaret Okafor'));
  });

  test('invalid UTF-8 is decoded with one replacement character per bad sequence; offsets exact', () => {
    const text = 'Caf\ufffd owner Margaret Okafor said: "Fine."\n';
    assert.equal(fileEntry(json, 'latin1.txt')?.skipped, undefined);
    const m = mentionOf(json, 'latin1.txt', 'Margaret Okafor');
    assert.ok(m);
    assert.equal(m.start, text.indexOf('Margaret Okafor'));
    assert.ok(assertSpansMatch(json, 'latin1.txt', text) > 0);
  });

  test('a UTF-8 BOM is removed: offsets count from the first character after it', () => {
    const m = mentionOf(json, 'bom.txt', 'Margaret Okafor');
    assert.equal(m?.start, 0);
    assert.ok(assertSpansMatch(json, 'bom.txt', NEWS) > 0);
  });

  test('UTF-16 LE and BE with a BOM are decoded; offsets into the decoded text', () => {
    for (const f of ['utf16le.txt', 'utf16be.txt']) {
      assert.equal(fileEntry(json, f)?.skipped, undefined, f);
      assert.equal(mentionOf(json, f, 'Margaret Okafor')?.start, 0, f);
      assert.ok(assertSpansMatch(json, f, NEWS) > 0, f);
    }
  });

  test('CRLF and lone CR line endings are kept: offsets exact', () => {
    // The last mention sits after a CRLF: its offset counts both characters of the line break.
    const last = json.entities.flatMap((e) => e.mentions).filter((m) => m.file === 'crlf.txt').sort((x, y) => x.start - y.start).pop();
    assert.ok(last && last.start > crlf.indexOf('\r\n'));
    assert.equal(last.start, crlf.lastIndexOf(last.text));
    assert.ok(assertSpansMatch(json, 'crlf.txt', crlf) >= 2);
    assert.ok(assertSpansMatch(json, 'cr.txt', lonecr) >= 2);
    const q = json.quotes.find((x) => x.file === 'cr.txt');
    assert.equal(q?.start, lonecr.indexOf('We will go on.'));
  });

  test('empty and whitespace-only files are indexed with nothing in them', () => {
    for (const f of ['empty.txt', 'blank.txt']) {
      assert.deepEqual(fileEntry(json, f), { path: f });
      assert.equal(assertSpansMatch(json, f, ''), 0);
    }
  });

  test('emoji and other non-BMP characters before a name: UTF-16 offsets stay right', () => {
    const m = mentionOf(json, 'emoji.txt', 'Margaret Okafor');
    assert.equal(m?.start, emoji.indexOf('Margaret Okafor'));
    assert.ok(assertSpansMatch(json, 'emoji.txt', emoji) >= 2);
  });
});

describe('CLI: large files under the limit', () => {
  test(`a 5 MB line with no newline and a ${process.env.CN_RELIABILITY_BIG_MB ?? 20} MB file are indexed, with exact offsets at the end`, () => {
    const filler = 'the council met again and the vote was delayed while members argued over the budget for libraries ';
    const line = filler.repeat(Math.ceil(5_000_000 / filler.length)) + 'Margaret Okafor said "enough".';
    let big = '';
    const para = `${NEWS}${filler.repeat(40)}\n\n`;
    while (big.length < Number(process.env.CN_RELIABILITY_BIG_MB ?? 20) * 1_000_000) big += para;
    big += 'Finally Sir Peter Hale spoke.\n';
    const root = workspace({ 'line.txt': line, 'big.txt': big });
    const t0 = performance.now();
    const json = scanJson(root);
    const ms = performance.now() - t0;
    const last = json.entities.flatMap((e) => e.mentions).filter((m) => m.file === 'line.txt').pop();
    assert.equal(last?.text, 'Margaret Okafor');
    assert.equal(last?.start, line.lastIndexOf('Margaret Okafor'));
    const hale = mentionOf(json, 'big.txt', 'Sir Peter Hale') ?? mentionOf(json, 'big.txt', 'Peter Hale');
    assert.ok(hale, 'the last name of the big file is found');
    assert.equal(big.slice(hale.start, hale.end), hale.text);
    // Generous: a few MB/s of recognition on a loaded machine; a quadratic step would take hours.
    assert.ok(ms < 300_000, `${((line.length + big.length) / 1e6).toFixed(1)} MB took ${ms.toFixed(0)} ms`);
  });
});

describe('CLI: bad settings and bad folders give a clear message', () => {
  test('malformed globs are reported and the defaults used; the scan goes on', () => {
    const root = workspace({ 'a.txt': NEWS, 'b.md': NEWS });
    const r = runCli(['scan', root, '--json', '--compact', '--include', '**/*.[tx', '--include', '../**']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /warning: include: the glob "\*\*\/\*\.\[tx" has an unclosed "\["/);
    assert.match(r.err, /warning: include: .*outside the folder/);
    assert.deepEqual((JSON.parse(r.out) as CliJson).files.map((f) => f.path), ['a.txt', 'b.md']);
  });

  test('a negative or malformed size limit is a usage error (exit 2) naming the option', () => {
    for (const bad of ['-5', 'lots', '0']) {
      const r = runCli(['scan', workspace({ 'a.txt': NEWS }), `--max-file-size=${bad}`]);
      assert.equal(r.code, 2, `${bad}: ${r.err}`);
      assert.match(r.err, /--max-file-size/);
    }
  });

  test('a missing folder, a file instead of a folder: exit 1 with the reason, no stack trace', () => {
    const root = workspace({ 'a.txt': NEWS });
    for (const [target, reason] of [[`${root}/missing`, /no such file or folder/], [`${root}/a.txt`, /not a folder/]] as const) {
      const r = runCli(['scan', target, '--json']);
      assert.equal(r.code, 1);
      assert.match(r.err, reason);
      assert.doesNotMatch(r.err, /\n\s+at /);
    }
  });
});
