#!/usr/bin/env node
// The @vscode/test-electron suite (test/electron/suite.ts: hover, references, document symbols, the Corpus view's
// data, an edit — all through the VS Code API) run inside code-server's extension host, for machines where
// @vscode/test-electron cannot download a desktop VS Code. The extension is loaded as a development extension from
// the checkout (extensionDevelopmentPath) and the suite as extensionTestsPath, passed in the workbench URL's
// `payload`, as @vscode/test-web does; the runner writes its outcome to $CN_TEST_RESULT.
//
//   node test/e2e/api.e2e.mjs [--timeout SEC] [--keep]
// Exit 0 passed, 1 a check failed, 2 cannot run (setup missing).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, prepareCorpus } from './lib/corpus.mjs';
import { CodeServer, missingTools } from './lib/codeserver.mjs';
import { build, logger, sleep } from './lib/util.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const STEP = Number(opt('timeout', 180)) * 1000;
const keep = args.includes('--keep');
const log = logger('api');
const OUT = path.join(ROOT, '.e2e-out', 'api');

async function main() {
  const tools = missingTools();
  if (tools.reason) { console.error(`cannot run: ${tools.reason}`); return 2; }
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  build();
  const b = spawnSync(process.execPath, [path.join(ROOT, 'test', 'electron', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) { console.error(`building the suite failed:\n${b.stdout}${b.stderr}`); return 1; }
  const corpus = prepareCorpus('cn-api-');
  const resultFile = path.join(OUT, 'suite-result.json');
  const cs = new CodeServer({ tools, env: { CN_TEST_RESULT: resultFile }, logFile: path.join(OUT, 'code-server.log'), keep, log });
  const consoleLines = [];
  let code = 1;
  try {
    await cs.start(STEP);
    const page = await cs.open(corpus.folder, {
      timeout: STEP,
      payload: [
        ['extensionDevelopmentPath', cs.remoteUri(ROOT)],
        ['extensionTestsPath', cs.remoteUri(path.join(ROOT, 'out', 'test', 'electron', 'index.js'))],
      ],
    });
    page.on('console', (m) => { const t = m.text(); if (/^\s*(ok|FAIL)\s|passed, \d+ failed|electron suite|^\s{7}/.test(t.replace(/%c\S*\s*/g, ''))) consoleLines.push(t.replace(/%c/g, '')); });
    log(`workbench open on ${corpus.folder}; waiting for the suite`);
    const t = Date.now();
    while (!fs.existsSync(resultFile) && Date.now() - t < STEP) {
      if (cs.exit) throw new Error(cs.exit);
      await sleep(250);
    }
    await page.screenshot({ path: path.join(OUT, 'workbench.png') }).catch(() => {});
    if (!fs.existsSync(resultFile)) throw new Error(`the suite wrote no result within ${STEP / 1000} s (see ${OUT}/vscode-logs, the extension host log)`);
    await sleep(200); // the file is written in one call; let it land
    const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    for (const x of r.results) console.error(`  ${x.ok ? 'ok  ' : 'FAIL'} ${x.name} (${x.ms} ms)${x.ok ? '' : `\n${x.error.split('\n').slice(0, 6).map((l) => `       ${l}`).join('\n')}`}`);
    console.error(`API suite in code-server: ${r.passed} passed, ${r.failed} failed (${(r.ms / 1000).toFixed(1)} s)`);
    code = r.failed === 0 && r.passed > 0 ? 0 : 1;
  } catch (e) {
    console.error(`API suite in code-server FAILED: ${e.message}`);
    if (consoleLines.length) console.error(consoleLines.join('\n'));
  } finally {
    await cs.stop(path.join(OUT, 'vscode-logs'));
    if (!keep) corpus.cleanup();
  }
  return code;
}

main().then((c) => process.exit(c), (e) => { console.error(e.stack || e.message); process.exit(1); });
