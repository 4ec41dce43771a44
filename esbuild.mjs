// Bundles the extension client, the language server, the CLI and the index worker into dist/.
// One bundle per entry point keeps the VSIX free of node_modules (see .vscodeignore).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

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
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  {
    ...common,
    entryPoints: {
      server: 'server/src/lsp/main.ts',
      cli: 'server/src/cli.ts',
      worker: 'server/src/node/worker.ts',
    },
    outdir: 'dist',
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
