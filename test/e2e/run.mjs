#!/usr/bin/env node
// `npm run test:e2e`: the idempotent setup, then the editor tests (VS Code through code-server's UI, the VS Code API
// suite inside code-server, Neovim), with a summary of their run times. Exit non-zero when anything failed; the last line is "N passed, N failed".
//
//   node test/e2e/run.mjs [vscode|api|nvim ...] [--skip-setup]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const argv = process.argv.slice(2);
const only = argv.filter((a) => !a.startsWith('--'));
const tests = [
  { name: 'vscode', what: 'VS Code (code-server 4.100.3 + Chromium)', cmd: [process.execPath, path.join(HERE, 'vscode.e2e.mjs')] },
  { name: 'api', what: 'test/electron suite (VS Code API) in code-server', cmd: [process.execPath, path.join(HERE, 'api.e2e.mjs')] },
  { name: 'nvim', what: 'Neovim built-in LSP client', cmd: [process.execPath, path.join(HERE, 'nvim.e2e.mjs')] },
].filter((t) => only.length === 0 || only.includes(t.name));

const results = [];
const run = (name, what, cmd) => {
  console.error(`\n=== ${name}: ${what}`);
  const t = Date.now();
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: ROOT, stdio: 'inherit' });
  const res = { name, what, ok: r.status === 0, status: r.status ?? r.signal, seconds: (Date.now() - t) / 1000 };
  results.push(res);
  return res;
};

let setupOk = true;
if (!argv.includes('--skip-setup')) setupOk = run('setup', 'test/e2e/setup.sh (idempotent)', ['bash', path.join(HERE, 'setup.sh')]).ok;
if (setupOk) for (const t of tests) run(t.name, t.what, t.cmd);
else console.error('setup failed: the editor tests were not run');

const counted = results.filter((r) => r.name !== 'setup');
const passed = counted.filter((r) => r.ok).length;
const failed = counted.length - passed + (setupOk ? 0 : tests.length);
console.log('\ne2e summary:');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(7)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.what}${r.ok ? '' : ` (exit ${r.status})`}`);
if (!setupOk) for (const t of tests) console.log(`  FAIL ${t.name.padEnd(7)}      - s  not run (setup failed)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && setupOk ? 0 : 1);
