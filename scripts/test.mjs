// `npm test`: every test, unit/integration (vitest.config.ts) then e2e in
// Chromium (e2e/vitest.config.ts), each with its usual output; ends with one
// line "N passed, N failed[, N skipped]" and exits non-zero if anything failed
// or a runner crashed. Arguments are passed to both runners as Vitest file
// filters: `npm test -- src/engine` runs only matching files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, '.tmp', 'test-results');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const filters = process.argv.slice(2);

const suites = [
  { name: 'unit', config: 'vitest.config.ts' },
  { name: 'e2e', config: 'e2e/vitest.config.ts' },
];

function run(command, args) {
  return spawnSync(process.execPath, [command, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;
}

/** Counts from Vitest's JSON report; a file that failed without any failed test (import error, hook) counts as one failure. */
function countResults(report) {
  let failed = report.numFailedTests;
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) failed += 1;
  }
  return { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests };
}

mkdirSync(resultsDir, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

if (run(join(root, 'scripts', 'build-wasm.mjs'), []) !== 0) {
  problems.push('the wasm build failed');
  totals.failed += 1;
} else {
  for (const suite of suites) {
    const output = join(resultsDir, `${suite.name}.json`);
    rmSync(output, { force: true });
    const args = ['run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${output}`];
    if (filters.length > 0) args.push('--passWithNoTests', ...filters);
    const status = run(vitest, args);
    if (!existsSync(output)) {
      problems.push(`the ${suite.name} runner crashed (exit ${status}) before reporting`);
      totals.failed += 1;
      continue;
    }
    const counts = countResults(JSON.parse(readFileSync(output, 'utf8')));
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    if (status !== 0 && counts.failed === 0) {
      problems.push(`the ${suite.name} runner exited with ${status} (unhandled error?) although no test failed`);
      totals.failed += 1;
    }
  }
}

console.log('');
for (const problem of problems) console.log(`note: ${problem}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''}`);
process.exitCode = totals.failed > 0 ? 1 : 0;
