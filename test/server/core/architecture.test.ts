import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// ARCHITECTURE.md's first invariant, checked: the core is protocol-free and does no I/O, so that the server,
// the CLI, the workers and the tests all run the same code.
const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);

test('server/src/core imports only itself: no vscode, no LSP, no node: modules', () => {
  const offenders: string[] = [];
  for (const file of sources(join(root, 'server', 'src', 'core'))) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) offenders.push(`${relative(root, file)} imports ${spec}`);
      else if (spec.includes('/node/') || spec.includes('/lsp/') || spec.startsWith('../')) offenders.push(`${relative(root, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('server/src/node knows the file system but not the protocol', () => {
  const offenders: string[] = [];
  for (const file of sources(join(root, 'server', 'src', 'node'))) {
    for (const spec of importsOf(file)) {
      if (/^vscode/.test(spec) || spec.includes('/lsp/')) offenders.push(`${relative(root, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});
