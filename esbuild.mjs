// Bundles the extension client, the language server, the CLI and the index worker into dist/.
// One bundle per entry point keeps the VSIX free of node_modules (see .vscodeignore).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// --outdir DIR: bundle elsewhere than dist/ (to benchmark one build beside another: bench.mjs --dist DIR).
const at = process.argv.indexOf('--outdir');
const outdir = at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : 'dist';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir, external: ['vscode'] },
  {
    ...common,
    entryPoints: {
      server: 'server/src/lsp/main.ts',
      cli: 'server/src/cli.ts',
      worker: 'server/src/node/worker.ts',
    },
    outdir,
    banner: { js: '#!/usr/bin/env node' }, // dist/cli.js is the package's `bin`; harmless in the other two
  },
];

for (const opts of builds) {
  if (watch) {
    const ctx = await esbuild.context(opts);
    await ctx.watch();
  } else {
    await esbuild.build(opts);
  }
}
