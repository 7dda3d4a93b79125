// `npm test`: every check the project has, in one run, ending with a one-line summary.
// Static checks count as one test case each; vitest contributes its own test counts.
// A failing step does not stop the run, so the summary always covers everything.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitestJson = path.join(root, 'test-results', 'vitest.json');

/** Runs a local binary with inherited stdio; resolves to true when it exits 0. */
function run(label, bin, args) {
  console.log(`\n=== ${label}: ${[bin, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', bin), args, { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`${bin}: ${error.message}`);
      resolve(false);
    });
    child.on('exit', (code) => resolve(code === 0));
  });
}

const staticChecks = [
  ['typecheck', 'tsc', ['--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'eslint', ['--max-warnings', '0', '.']],
  ['format', 'prettier', ['--check', '.']],
  ['build', 'vite', ['build']],
];

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

for (const [label, bin, args] of staticChecks) {
  if (await run(label, bin, args)) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

// A stale report from an earlier run must never be counted.
await rm(vitestJson, { force: true });
const vitestOk = await run('tests', 'vitest', [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${path.relative(root, vitestJson)}`,
]);

// Missing or unreadable when vitest crashed before reporting; the exit code then tells the story.
const report = await readFile(vitestJson, 'utf8')
  .then(JSON.parse)
  .catch(() => null);
const vitestPassed = report?.numPassedTests ?? 0;
const vitestFailed = report?.numFailedTests ?? 0;
passed += vitestPassed;
failed += vitestFailed;
skipped += (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
if (vitestFailed > 0) failures.push(`${vitestFailed} vitest test(s)`);
// Vitest can fail without a failed test (a file that does not load, an unhandled error, a globalSetup
// crash, no test files): count that as one failed case so the summary never looks green.
if (!vitestOk && vitestFailed === 0) {
  failed++;
  failures.push('vitest run (failed outside any test; see its output above)');
}

const zeroTests = vitestPassed + vitestFailed === 0;
if (failures.length > 0) console.error(`\nFailed: ${failures.join(', ')}`);
if (zeroTests) console.error('\nNo vitest test ran.');

// Nothing may print after this line: CI reads it as the result.
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || zeroTests ? 1 : 0;
