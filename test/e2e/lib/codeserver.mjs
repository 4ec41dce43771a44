// A throw-away VS Code: code-server (from test/e2e/setup.sh's cache) with a fresh user-data and extensions folder
// in a temp dir, bound to 127.0.0.1, in its own process group (one kill stops the server, the extension host and
// the language servers it started), and headless Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './corpus.mjs';
import { sleep, which } from './util.mjs';
import { waitFor } from './workbench.mjs';

export const E2E_HOME = path.resolve(process.env.E2E_HOME || path.join(ROOT, '.e2e-cache'));

/** User settings that keep the workbench quiet and predictable (no welcome page, trust prompt, tips, git toasts). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.minimap.enabled': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.wordBasedSuggestions': 'off',
  'outline.collapseItems': 'alwaysExpand',
  'files.autoSave': 'off',
  'workbench.tree.enableStickyScroll': false,
};

/** What is missing to run code-server tests, or undefined when everything is there. */
export function missingTools() {
  const codeServer = process.env.CODE_SERVER || path.join(E2E_HOME, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const chromiumBin = process.env.CHROMIUM || which('chromium') || which('chromium-browser');
  let chromium;
  try { chromium = createRequire(path.join(E2E_HOME, 'package.json'))('playwright-core').chromium; } catch { /* below */ }
  if (!fs.existsSync(codeServer)) return { reason: `no code-server at ${codeServer}; run test/e2e/setup.sh` };
  if (!chromium) return { reason: `no playwright-core in ${E2E_HOME}; run test/e2e/setup.sh` };
  if (!chromiumBin) return { reason: 'no chromium on PATH; run test/e2e/setup.sh' };
  return { codeServer, chromiumBin, chromium };
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

export class CodeServer {
  /** @param {{ tools: ReturnType<typeof missingTools>, settings?: object, env?: object, logFile: string, keep?: boolean, log?: Function }} o */
  constructor(o) {
    this.o = o;
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cn-code-server-'));
    fs.mkdirSync(path.join(this.tmp, 'data', 'User'), { recursive: true });
    fs.mkdirSync(path.join(this.tmp, 'extensions'), { recursive: true });
    fs.writeFileSync(path.join(this.tmp, 'config.yaml'), 'auth: none\ncert: false\n'); // never ~/.config/code-server
    fs.writeFileSync(path.join(this.tmp, 'data', 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...o.settings }, null, 2));
    const cs = o.tools.codeServer;
    [this.exe, this.pre] = cs.endsWith('.js') ? [process.execPath, [cs]] : [cs, []];
    this.env = { ...process.env, ...o.env, XDG_CONFIG_HOME: path.join(this.tmp, 'xdg-config'), XDG_DATA_HOME: path.join(this.tmp, 'xdg-data'), XDG_CACHE_HOME: path.join(this.tmp, 'xdg-cache') };
    this.proc = null; this.browser = null; this.exit = null;
    process.on('exit', () => this.killGroup('SIGKILL'));
  }

  args(extra) {
    return [...this.pre, '--user-data-dir', path.join(this.tmp, 'data'), '--extensions-dir', path.join(this.tmp, 'extensions'), '--config', path.join(this.tmp, 'config.yaml'), ...extra];
  }

  installExtension(vsix, timeout = 120000) {
    const r = spawnSync(this.exe, this.args(['--install-extension', vsix, '--force']), { env: this.env, encoding: 'utf8', timeout });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) throw new Error(`--install-extension failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
  }

  async start(timeout) {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.proc = spawn(this.exe, this.args(['--auth', 'none', '--bind-addr', `127.0.0.1:${this.port}`, '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened']),
    { env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = fs.createWriteStream(this.o.logFile);
    this.proc.stdout.pipe(out); this.proc.stderr.pipe(out);
    this.proc.on('exit', (code, sig) => { this.exit = `code-server exited (code ${code}, signal ${sig}); see ${this.o.logFile}`; });
    await waitFor('code-server /healthz', async () => {
      if (this.exit) throw Object.assign(new Error(this.exit), { fatal: true });
      try { return (await fetch(`${this.base}/healthz`)).ok; } catch { return false; }
    }, timeout, 100);
  }

  /** Chromium on the workbench URL (folder + optional payload); resolves to the page once the workbench shows. */
  async open(folder, { payload, timeout, headed = false } = {}) {
    this.browser = await this.o.tools.chromium.launch({
      executablePath: this.o.tools.chromiumBin, headless: !headed, timeout, handleSIGINT: false, handleSIGTERM: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions', '--no-default-browser-check',
        '--disable-crash-reporter', '--disable-breakpad'],
    });
    const ctx = await this.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(timeout);
    const q = new URLSearchParams({ folder });
    if (payload) q.set('payload', JSON.stringify(payload));
    await page.goto(`${this.base}/?${q}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    return page;
  }

  /** A URI the workbench resolves on the code-server machine (for payload entries). */
  remoteUri(p) { return `vscode-remote://127.0.0.1:${this.port}${p}`; }

  get logsDir() { return path.join(this.tmp, 'data', 'logs'); }

  killGroup(sig) { if (this.proc) { try { process.kill(-this.proc.pid, sig); } catch { /* gone */ } } }

  async stop(copyLogsTo) {
    if (this.browser) await Promise.race([this.browser.close().catch(() => {}), sleep(5000)]);
    if (this.proc) {
      this.killGroup('SIGTERM');
      const t = Date.now();
      while (this.proc.exitCode === null && this.proc.signalCode === null && Date.now() - t < 5000) await sleep(100);
      this.killGroup('SIGKILL');
    }
    if (copyLogsTo) { try { fs.cpSync(this.logsDir, copyLogsTo, { recursive: true }); } catch { /* no logs */ } }
    if (!this.o.keep) fs.rmSync(this.tmp, { recursive: true, force: true }); else this.o.log?.(`kept ${this.tmp}`);
  }
}
