// `npm run test:electron`: runs the in-editor suite (suite.ts, loaded through index.ts) inside a real desktop VS Code
// with @vscode/test-electron, on a copy of ../shared/seeds (else server/sample-corpus).
//
// VS Code comes from VSCODE_EXECUTABLE_PATH when set, else @vscode/test-electron downloads it (into .vscode-test/,
// needs internet). On a machine without either this fails at once with a message saying so (exit 2); the same
// suite then runs inside code-server's extension host through test/e2e/api.e2e.mjs (part of `npm run test:e2e`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..'); // out/test/electron → project root

function corpusCopy(): string {
  const seeds = path.resolve(ROOT, '..', 'shared', 'seeds');
  const source = process.env.CORPUS ? path.resolve(process.env.CORPUS) : fs.existsSync(seeds) ? seeds : path.join(ROOT, 'server', 'sample-corpus');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cn-electron-'));
  const folder = path.join(dir, path.basename(source));
  fs.cpSync(source, folder, { recursive: true });
  fs.chmodSync(folder, 0o755);
  for (const f of fs.readdirSync(folder)) fs.chmodSync(path.join(folder, f), fs.statSync(path.join(folder, f)).isDirectory() ? 0o755 : 0o644);
  return folder;
}

async function main(): Promise<number> {
  let executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (executable && !fs.existsSync(executable)) {
    console.error(`test:electron: VSCODE_EXECUTABLE_PATH=${executable} does not exist`);
    return 2;
  }
  if (!executable) {
    // First, so that a machine without internet learns it at once rather than after the build.
    try {
      executable = await downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION || 'stable', timeout: 30_000 });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.error(
        `test:electron: could not download VS Code (${message.split('\n')[0]}).\n` +
          '@vscode/test-electron needs internet access to fetch VS Code, or VSCODE_EXECUTABLE_PATH naming a VS Code ' +
          'binary (e.g. /usr/share/code/code). Without either, this same suite runs inside code-server: ' +
          '`node test/e2e/api.e2e.mjs` (part of `npm run test:e2e`).',
      );
      return 2;
    }
  }
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('test:electron: node esbuild.mjs failed');
    return 1;
  }
  const folder = corpusCopy();
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'cn-electron-profile-'));
  try {
    const code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      extensionTestsEnv: { CN_CORPUS_FOLDER: folder },
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', userData],
    });
    return code;
  } catch (err) {
    console.error(`test:electron failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    fs.rmSync(path.dirname(folder), { recursive: true, force: true });
    fs.rmSync(userData, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
