// The test runner module @vscode/test-electron loads inside the extension host (extensionTestsPath): it must
// export run(). This one needs no test framework: suite.ts lists named async checks, run() awaits them in order,
// prints one line each and rejects when any failed, which makes VS Code exit non-zero. When CN_TEST_RESULT names a
// file, the outcome is also written there as JSON (test/e2e/api.e2e.mjs runs this suite inside code-server, whose
// extension host has no exit code to hand back).
import { writeFileSync } from 'node:fs';
import { tests } from './suite';

export async function run(): Promise<void> {
  const failures: string[] = [];
  const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
  let passed = 0;
  const t0 = Date.now();
  for (const t of tests) {
    const start = Date.now();
    try {
      await t.fn();
      passed++;
      results.push({ name: t.name, ok: true, ms: Date.now() - start });
      console.log(`  ok   ${t.name} (${Date.now() - start} ms)`);
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push(`${t.name}: ${message}`);
      results.push({ name: t.name, ok: false, ms: Date.now() - start, error: message });
      console.log(`  FAIL ${t.name} (${Date.now() - start} ms)\n${message.replace(/^/gm, '       ')}`);
      if (t.fatal) break;
    }
  }
  const skipped = tests.length - passed - failures.length;
  if (skipped) console.log(`  (${skipped} not run after a fatal failure)`);
  console.log(`electron suite: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failures.length + skipped} failed`);
  const resultFile = process.env.CN_TEST_RESULT;
  if (resultFile) {
    try {
      writeFileSync(resultFile, JSON.stringify({ passed, failed: failures.length + skipped, skipped, results, ms: Date.now() - t0 }, null, 2));
    } catch (err) {
      console.log(`could not write ${resultFile}: ${String(err)}`);
    }
  }
  if (failures.length || skipped) throw new Error(`${failures.length} of ${tests.length} checks failed:\n${failures.join('\n')}`);
}
