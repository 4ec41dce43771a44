// Bundles the @vscode/test-electron suite into out/test/electron/ (git-ignored): runTest.js (the launcher, run by
// node) and index.js (the runner VS Code loads in the extension host; `vscode` is provided there).
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: { runTest: 'test/electron/runTest.ts', index: 'test/electron/index.ts' },
  outdir: 'out/test/electron',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode', '@vscode/test-electron'],
});
