#!/usr/bin/env node
// The language server inside a second, independent LSP client: Debian's Neovim (0.7, headless, built-in client).
// Starts the bundled server (`node dist/server.js --stdio`) on a copy of the corpus, waits for the index to be ready
// (the server's corpusNavigator/indexStatus notification, or references that come back non-empty), and asserts
// hover, references across files through aliases, definition, document symbols, and an unsaved edit.
//
//   node test/e2e/nvim.e2e.mjs [--server "corpus-nav lsp --stdio"] [--timeout SEC] [--keep]
// Writes .e2e-out/nvim/result.json. Exit 0 passed, 1 a check failed, 2 cannot run (no nvim, no server).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NEW_PERSON, ROOT, prepareCorpus } from './lib/corpus.mjs';
import { Checks, build, logger, relFile, which } from './lib/util.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const timeoutMs = Number(opt('timeout', 30)) * 1000;
const keep = args.includes('--keep');
const log = logger('nvim');
const OUT = path.join(ROOT, '.e2e-out', 'nvim');
const T0 = Date.now();

function symbolNames(syms, depth = 0, out = []) {
  for (const s of syms ?? []) {
    out.push({ name: s.name, depth, kind: s.kind });
    if (s.children) symbolNames(s.children, depth + 1, out);
  }
  return out;
}

async function main() {
  if (!which('nvim')) { console.error('nvim not found: run test/e2e/setup.sh (apt-get install neovim)'); return 2; }
  let cmd;
  if (opt('server')) cmd = opt('server').split(/\s+/);
  else {
    build();
    const server = path.join(ROOT, 'dist', 'server.js');
    if (!fs.existsSync(server)) { console.error(`no ${server}: the language server is not built`); return 2; }
    cmd = [process.execPath, server, '--stdio'];
  }
  fs.mkdirSync(OUT, { recursive: true });
  const corpus = prepareCorpus('cn-nvim-');
  const { folder, plan } = corpus;
  log(`corpus ${corpus.source} → ${folder}; server: ${cmd.join(' ')}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cn-nvim-home-'));
  const abs = (f) => path.join(folder, f);
  const probes = [
    { name: 'person', file: abs(plan.person.at.file), line: plan.person.at.line - 1, character: plan.person.at.col - 1 },
    { name: 'organisation', file: abs(plan.organisation.at.file), line: plan.organisation.at.line - 1, character: plan.organisation.at.col - 1 },
  ];
  const spec = {
    cmd, root: folder, out: path.join(work, 'result.json'), timeoutMs,
    files: [...new Set(probes.map((p) => p.file))],
    probes,
    edit: { file: probes[0].file, sentence: NEW_PERSON.sentence, word: NEW_PERSON.surname },
  };
  fs.writeFileSync(path.join(work, 'spec.json'), JSON.stringify(spec));

  const t = Date.now();
  // --clean: no user config; XDG_* keep lsp.log, shada and swap files in the temp dir.
  const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${path.join(ROOT, 'test', 'e2e', 'nvim-client.lua')}`], {
    env: { ...process.env, CN_E2E_SPEC: path.join(work, 'spec.json'), XDG_CACHE_HOME: path.join(work, 'cache'), XDG_STATE_HOME: path.join(work, 'state'), XDG_DATA_HOME: path.join(work, 'data'), XDG_CONFIG_HOME: path.join(work, 'config') },
    encoding: 'utf8', timeout: timeoutMs * 4 + 10000, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const nvimMs = Date.now() - t;
  const lspLog = [path.join(work, 'cache', 'nvim', 'lsp.log'), path.join(work, 'state', 'nvim', 'lsp.log')].find((f) => fs.existsSync(f));
  const tail = (f, n = 30) => (f && fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').slice(-n).join('\n') : '');
  if (!fs.existsSync(spec.out)) {
    console.error(`nvim produced no result (exit ${r.status}, signal ${r.signal})\n${r.stdout}${r.stderr}\n--- lsp.log tail:\n${tail(lspLog)}`);
    if (!keep) { fs.rmSync(work, { recursive: true, force: true }); corpus.cleanup(); }
    return 1;
  }
  const res = JSON.parse(fs.readFileSync(spec.out, 'utf8'));
  res.timings.nvimWallMs = nvimMs;

  // ------------------------------------------------------------------ assertions
  const c = new Checks();
  for (const f of res.failures) c.check('nvim', false, f);
  c.check('index ready', !!res.readyBy, 'neither a ready status nor non-empty references');
  for (const [kind, p] of [['person', plan.person], ['organisation', plan.organisation]]) {
    const pr = res.probes.find((x) => x.name === kind);
    if (!c.check(`${kind} probe ran`, !!pr)) continue;
    c.check(`${kind} hover names the entity`, (p.hoverAll ?? [p.name]).every((re) => re.test(pr.hoverText ?? '')), `hover at ${p.at.file}:${p.at.line}:${p.at.col} ("${p.at.word}") was ${JSON.stringify(pr.hoverText)}`);
    const counts = /(\d+) mentions? in (\d+) files?/.exec(pr.hoverText ?? '');
    c.check(`${kind} hover gives mention and file counts`, counts && Number(counts[2]) >= p.minFiles, `hover: ${JSON.stringify(pr.hoverText)}`);
    const refs = Array.isArray(pr.references) ? pr.references : [];
    const files = [...new Set(refs.map((l) => relFile(folder, l.uri)))];
    c.check(`${kind} references span ≥ ${p.minFiles} files`, files.length >= p.minFiles, `${refs.length} references in ${JSON.stringify(files)}`);
    // the text at each reference, read from the files: aliases must be among them
    const texts = refs.map((l) => {
      const lines = fs.readFileSync(path.join(folder, relFile(folder, l.uri)), 'utf8').split('\n');
      const s = l.range.start; const e = l.range.end;
      return s.line === e.line ? (lines[s.line] ?? '').slice(s.character, e.character) : (lines[s.line] ?? '').slice(s.character);
    });
    pr.referenceTexts = [...new Set(texts)];
    const forms = p.aliasForms.filter((a) => texts.some((x) => x.includes(a)));
    c.check(`${kind} references include alias forms`, forms.length >= 2, `forms seen ${JSON.stringify(pr.referenceTexts)}, expected ≥ 2 of ${JSON.stringify(p.aliasForms)}`);
    const def = Array.isArray(pr.definition) ? pr.definition[0] : pr.definition;
    c.check(`${kind} definition`, def && (def.uri || def.targetUri), `definition: ${JSON.stringify(pr.definition)}`);
    const names = symbolNames(pr.documentSymbol);
    pr.symbolNames = names.map((s) => `${'  '.repeat(s.depth)}${s.name}`);
    c.check(`${kind} document symbols`, names.some((s) => p.name.test(s.name)), `symbols of ${p.at.file}: ${JSON.stringify(pr.symbolNames.slice(0, 30))}`);
  }
  const personProbe = res.probes.find((x) => x.name === 'person');
  if (personProbe) {
    const names = symbolNames(personProbe.documentSymbol);
    for (const re of plan.outlinePeople) c.check(`outline people ${re}`, names.some((s) => s.depth > 0 && re.test(s.name)));
    c.check('outline groups People / Organisations', names.some((s) => /^People/.test(s.name)) && names.some((s) => /^Organi[sz]ations/.test(s.name)), JSON.stringify(names.filter((s) => s.depth === 0).map((s) => s.name)));
  }
  c.check('edit: hover knows the new person without a save', NEW_PERSON.name.test(res.edit?.hoverText ?? ''), `hover on "${NEW_PERSON.surname}" after the edit: ${JSON.stringify(res.edit?.hoverText)}`);
  const wsNames = (Array.isArray(res.edit?.workspaceSymbol) ? res.edit.workspaceSymbol : []).map((x) => x.name);
  c.check('edit: workspace symbols find the new person', wsNames.some((n) => NEW_PERSON.name.test(n)), `workspace/symbol "${NEW_PERSON.surname}": ${JSON.stringify(wsNames)}`);

  // The configuration the README gives users (nvim-user-config.lua as init.lua), starting `corpus-nav lsp --stdio`
  // (dist/cli.js) when it is built: the buffer must get a client by itself and answer hover and references.
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const userCmd = opt('server') ? cmd : fs.existsSync(cli) ? [process.execPath, cli, 'lsp', '--stdio'] : cmd;
  const file = path.join(folder, plan.person.at.file);
  const lineText = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\n')[plan.person.at.line - 1];
  const byteCol = Buffer.byteLength(lineText.slice(0, plan.person.at.col - 1));
  const userOut = path.join(work, 'user.json');
  const tu = Date.now();
  const ru = spawnSync('nvim', ['--headless', '-u', path.join(ROOT, 'test', 'e2e', 'nvim-user-config.lua'), '-i', 'NONE', '-n',
    '--cmd', `lua vim.g.corpus_navigator_cmd = vim.fn.json_decode(${JSON.stringify(JSON.stringify(userCmd))})`,
    file, '-c', `luafile ${path.join(ROOT, 'test', 'e2e', 'nvim-user-check.lua')}`], {
    cwd: folder,
    env: { ...process.env, CN_OUT: userOut, CN_LINE: String(plan.person.at.line), CN_COL: String(byteCol), CN_MIN_FILES: String(plan.person.minFiles), CN_TIMEOUT_MS: String(timeoutMs), XDG_CACHE_HOME: path.join(work, 'ucache'), XDG_STATE_HOME: path.join(work, 'ustate'), XDG_DATA_HOME: path.join(work, 'udata'), XDG_CONFIG_HOME: path.join(work, 'uconfig') },
    encoding: 'utf8', timeout: timeoutMs * 3 + 10000, stdio: ['ignore', 'pipe', 'pipe'],
  });
  res.timings.userConfigMs = Date.now() - tu;
  const user = fs.existsSync(userOut) ? JSON.parse(fs.readFileSync(userOut, 'utf8')) : { failures: [`no result (nvim exit ${ru.status}): ${(ru.stderr || '').slice(-500)}`] };
  res.userConfig = { cmd: userCmd, ...user };
  for (const f of user.failures ?? []) c.check('README config', false, f);
  c.check('README config: hover through the user config', plan.person.name.test(String(user.hover ?? '')), `hover ${JSON.stringify(user.hover)} (server ${userCmd.join(' ')})`);
  c.check('README config: references across files through the user config', (user.referenceFiles ?? 0) >= plan.person.minFiles, `${user.references} references in ${user.referenceFiles} files`);
  const userCounts = /(\d+) mentions? in (\d+) files?/.exec(String(user.hover ?? ''));
  c.check('README config: hover counts the whole workspace', userCounts && Number(userCounts[2]) >= plan.person.minFiles, `hover ${JSON.stringify(user.hover)}`);

  res.checks = { passed: c.passed, failed: c.failed };
  res.corpus = corpus.source;
  fs.writeFileSync(path.join(OUT, 'result.json'), JSON.stringify(res, null, 2));
  const pr = res.probes.find((x) => x.name === 'person');
  log(`ready by ${res.readyBy} after ${res.timings.readyMs} ms; person hover ${JSON.stringify((pr?.hoverText ?? '').split('\n')[0])}; references ${pr?.references?.length ?? 0}`);
  if (!c.ok) {
    console.error(`nvim e2e FAILED (${c.failed.length} of ${c.passed.length + c.failed.length} checks):\n - ${c.failed.join('\n - ')}`);
    console.error(`--- person hover:\n${pr?.hoverText}\n--- statuses: ${JSON.stringify(res.statuses.slice(-3))}\n--- lsp.log tail:\n${tail(lspLog, 20)}\n--- nvim stderr:\n${(r.stderr || '').slice(-2000)}`);
    console.error(`result: ${path.join(OUT, 'result.json')}`);
  } else {
    console.error(`nvim e2e passed: ${c.passed.length} checks in ${((Date.now() - T0) / 1000).toFixed(1)} s (nvim ${res.nvim}, ready ${res.timings.readyMs} ms)`);
  }
  if (!keep) { fs.rmSync(work, { recursive: true, force: true }); corpus.cleanup(); } else log(`kept ${work} and ${folder}`);
  return c.ok ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => { console.error(`nvim e2e error: ${e.stack || e.message}`); process.exit(1); });
