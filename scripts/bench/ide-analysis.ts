// Analyses in the IDE (issue 12), driving the built app in headless Chromium:
// - Analyze to complete results, syscalls + processes at once on the longest
//   demo: the Analyze button pressed with 1 worker and with every core's
//   (navigator.hardwareConcurrency), each in a fresh context (no results
//   kept, no partials cached, a new engine worker), timed in the page from
//   the click to the frame both dimensions show done; and the same analysis
//   in Node, `prnr analyze --syscalls --processes --jobs N` into a fresh
//   directory (process start included), side by side;
// - the syscalls view over many calls: the worst frame while scrolling the
//   table from top to bottom and while typing a filter (requestAnimationFrame
//   gaps and long tasks), on a recording of a syscall-heavy guest loop made
//   here (`prnr record --cmd 'dd if=/dev/zero of=/dev/null bs=1 count=N'`:
//   two calls a block) and analysed in the page. --calls sets how many
//   (default the million: ~90 s to record, ~5 min for the page to
//   analyse on two cores).
// Callable from scripts/bench/main.ts (benchIdeAnalysis) or alone:
//   npx tsx scripts/bench/ide-analysis.ts [--runs N] [--calls N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { recordSyscallHeavy } from '../../e2e/helpers/syscall-heavy';
import { syscallsView } from '../../e2e/helpers/syscalls';
import { startBenchApp } from './browser';
import { median, type BenchRow } from './stats';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PRNR = join(root, 'bin', 'prnr.js');

interface Demo {
  id: string;
  name: string;
  file: string;
  ticks: string;
  slices: number;
}

/** The page's globals the benchmark reads (typed without the DOM). */
interface PageGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }> };
  performance: { now(): number };
  __benchStart?: number;
}

function longestDemo(): Demo {
  const manifest = JSON.parse(readFileSync(join(root, 'public', 'demos', 'manifest.json'), 'utf8')) as { demos: Demo[] };
  return manifest.demos.reduce((a, b) => (BigInt(b.ticks) > BigInt(a.ticks) ? b : a));
}

/** Analyze pressed in a fresh page of `path`: ms from the click to every one of `count` dimensions done. */
async function analyzeInPage(browser: Browser, url: string, dimensions: readonly string[], workers: number, log: (line: string) => void): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1100 } });
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`ide-analysis: page error: ${e.message}`));
    await page.goto(url);
    await page.getByTestId('analyze-button').waitFor({ timeout: 120_000 });
    for (const d of ['syscalls', 'processes', 'hotspots', 'memwatch']) await page.getByTestId(`dimension-${d}`).setChecked(dimensions.includes(d));
    await page.getByTestId('analysis-jobs').selectOption(String(workers));
    await page.evaluate(`document.addEventListener('pointerdown', () => { globalThis.__benchStart = performance.now(); }, true);`);
    await page.getByTestId('analyze-button').click();
    await page.waitForFunction(
      (n) => {
        const g = globalThis as unknown as PageGlobals;
        const els = Array.from(g.document.querySelectorAll('[data-testid="analysis-progress"]'));
        return els.length === n && els.every((e) => e.getAttribute('data-state') === 'done');
      },
      dimensions.length,
      { polling: 'raf', timeout: 1_800_000 },
    );
    return await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.performance.now() - g.__benchStart!;
    });
  } finally {
    await context.close();
  }
}

/** `prnr analyze` of `file` with `jobs` workers into a fresh directory: wall ms. */
function analyzeInNode(file: string, flags: readonly string[], jobs: number): number {
  const out = mkdtempSync(join(tmpdir(), 'prnr-bench-analysis-'));
  try {
    const started = performance.now();
    execFileSync(process.execPath, [PRNR, 'analyze', file, ...flags, '--jobs', String(jobs), '-o', out], { stdio: 'ignore' });
    return performance.now() - started;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function benchIdeAnalysis(runs: number, log: (line: string) => void, calls = 1_000_000): Promise<BenchRow[]> {
  const demo = longestDemo();
  const cores = availableParallelism();
  const work = mkdtempSync(join(tmpdir(), 'prnr-bench-ide-'));
  const { baseUrl, browser, close } = await startBenchApp(log, 'ide-analysis');
  const rows: BenchRow[] = [];
  try {
    const demoFile = join(work, `${demo.name}.prnr`);
    execFileSync('sh', ['-c', `gzip -dc '${join(root, 'public', 'demos', demo.file)}' > '${demoFile}'`]);
    const url = `${baseUrl}/r/${demo.id}`;
    const times: Record<string, number[]> = { page1: [], pageAll: [], node1: [], nodeAll: [] };
    for (let i = 0; i < runs; i++) {
      times.page1!.push(await analyzeInPage(browser, url, ['syscalls', 'processes'], 1, log));
      times.pageAll!.push(await analyzeInPage(browser, url, ['syscalls', 'processes'], cores, log));
      times.node1!.push(analyzeInNode(demoFile, ['--syscalls', '--processes'], 1));
      times.nodeAll!.push(analyzeInNode(demoFile, ['--syscalls', '--processes'], cores));
      log(`ide-analysis: run ${i + 1}/${runs}: page 1 worker ${times.page1!.at(-1)!.toFixed(0)} ms, ${cores} ${times.pageAll!.at(-1)!.toFixed(0)} ms; node 1 ${times.node1!.at(-1)!.toFixed(0)} ms, ${cores} ${times.nodeAll!.at(-1)!.toFixed(0)} ms`);
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<keyof typeof times, number>;
    const what = `${demo.name}, ${demo.slices} slices, syscalls + processes`;
    rows.push({ name: 'IDE Analyze to results, 1 worker', value: m.page1, unit: 'ms', note: `${what}; median of ${runs}, fresh context` });
    rows.push({ name: `IDE Analyze to results, ${cores} workers`, value: m.pageAll, unit: 'ms', note: `speedup ${(m.page1 / m.pageAll).toFixed(2)}x over 1 worker` });
    rows.push({ name: 'prnr analyze (Node), 1 worker', value: m.node1, unit: 'ms', note: `same analysis, process start included; page/Node ${(m.page1 / m.node1).toFixed(2)}x` });
    rows.push({ name: `prnr analyze (Node), ${cores} workers`, value: m.nodeAll, unit: 'ms', note: `page/Node ${(m.pageAll / m.nodeAll).toFixed(2)}x` });

    log(`ide-analysis: recording a syscall-heavy loop (${calls} calls)`);
    const heavy = recordSyscallHeavy(work, calls);
    const context = await browser.newContext({ viewport: { width: 1500, height: 1100 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('library-demos').waitFor({ timeout: 60_000 });
    await page.getByTestId('open-recording-file').setInputFiles(heavy);
    const card = page.locator('[data-testid="recording-card"]').filter({ hasText: basename(heavy, '.prnr') }).first();
    await card.waitFor({ timeout: 120_000 });
    const id = await card.getAttribute('data-recording-id');
    const analysed = await (async () => {
      await page.goto(`${baseUrl}/r/${id}?view=syscalls`);
      await page.getByTestId('analyze-button').waitFor({ timeout: 120_000 });
      await page.getByTestId('dimension-processes').setChecked(false);
      const started = Date.now();
      await page.getByTestId('analyze-button').click();
      await page.locator('[data-testid="analysis-progress"][data-state="done"]').waitFor({ timeout: 3_600_000 });
      const analysedMs = Date.now() - started;
      // Kept in IndexedDB before measuring: the write clones the calls on the page's thread (XXX: seconds of long tasks).
      await page.locator('[data-testid="analysis-progress"][data-kept="true"]').waitFor({ timeout: 3_600_000 });
      return analysedMs;
    })();
    const seen = await syscallsView.measureFrames(page, 'write(1');
    const total = Number(await page.evaluate(`document.querySelector('[data-testid="syscall-count"]').textContent.split(' of ')[1].split(' ')[0].replace(/,/g, '')`));
    await context.close();
    rows.push({ name: `IDE syscalls view: worst frame scrolling ${total.toLocaleString()} rows`, value: seen.scroll.worst, unit: 'ms', note: `longest task ${seen.scroll.longTask.toFixed(0)} ms; target < 100 ms` });
    rows.push({ name: 'IDE syscalls view: worst frame typing a filter', value: seen.filter.worst, unit: 'ms', note: `"write(1" -> ${seen.rows.toLocaleString()} rows; longest task ${seen.filter.longTask.toFixed(0)} ms; analysed in the page in ${(analysed / 1000).toFixed(0)} s` });
  } finally {
    await close();
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i < 0 ? fallback : Number(process.argv[i + 1]);
  };
  const { printTable } = await import('./stats');
  printTable(await benchIdeAnalysis(arg('--runs', 1), (line) => console.error(line), arg('--calls', 1_000_000)));
}
