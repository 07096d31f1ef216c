// "Where did this value come from" at the end of the longest demo
// (first-tour), in the built app in headless Chromium: a kernel variable
// selected in the memory panel at the recording's last tick and the button
// pressed. Two variables: jiffies (written every 10 ms: found in the slice
// holding the tick) and max_pfn (written once during boot: every slice is
// searched, newest first, in growing batches on the analysis workers). Each
// cold (a fresh context: a new engine worker, nothing cached), then asked
// again in the same page (the searched slices cached); timed by the page
// around EngineApi.lastWrite (the result's data-ms) and from the click to
// the result drawn. Beside them, `prnr seek --last-write` on a fresh copy
// of the file (process start and worker threads included).
// Callable from scripts/bench/main.ts (benchLastWrite) or alone:
//   npx tsx scripts/bench/last-write.ts [--runs N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { startBenchApp } from './browser';
import { median, type BenchRow } from './stats';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = 'first-tour';
/** Where the kernel's image is loaded (its virtual base maps here). */
const KERNEL_PHYS = 0x8020_0000n;
const KERNEL_VIRT = 0xffff_ffff_8000_0000n;
const VARIABLES = [
  { symbol: 'jiffies', size: 8, what: 'written every 10 ms' },
  { symbol: 'max_pfn', size: 8, what: 'written once at boot: every slice searched' },
] as const;

function demo(): { id: string; ticks: bigint; slices: number; bytes: Uint8Array } {
  const dir = new URL('../../public/demos/', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as { demos: { id: string; name: string; file: string; ticks: string; slices: number }[] };
  const d = manifest.demos.find((x) => x.name === DEMO);
  if (!d) throw new Error(`no demo ${DEMO} in public/demos (npm run demos)`);
  return { id: d.id, ticks: BigInt(d.ticks), slices: d.slices, bytes: new Uint8Array(gunzipSync(readFileSync(new URL(d.file, dir)))) };
}

function physOf(symbol: string): bigint {
  const map = gunzipSync(readFileSync(join(root, 'public/images/default/System.map.gz'))).toString('utf8');
  const m = new RegExp(`^([0-9a-f]+) [DdBb] ${symbol}$`, 'm').exec(map);
  if (!m) throw new Error(`no ${symbol} in the default image's System.map`);
  return KERNEL_PHYS + (BigInt(`0x${m[1]}`) - KERNEL_VIRT);
}

/** One search from the click: the engine's time (data-ms) and the click to the result drawn. */
async function ask(page: Page): Promise<{ engineMs: number; paintMs: number; tick: string }> {
  const view = page.getByTestId('memory-view');
  const started = Date.now();
  await view.getByTestId('last-write-button').click();
  const result = view.getByTestId('last-write-result');
  await result.waitFor({ timeout: 600_000 });
  return { paintMs: Date.now() - started, engineMs: Number(await result.getAttribute('data-ms')), tick: (await result.getAttribute('data-tick')) ?? '' };
}

async function select(page: Page, paddr: bigint, size: number): Promise<void> {
  await page.locator(`[data-testid="memory-byte"][data-addr="${paddr.toString(16)}"]`).click();
  await page.getByTestId(`memory-size-${size}`).click();
}

async function inBrowser(browser: Browser, baseUrl: string, d: ReturnType<typeof demo>, paddr: bigint, size: number) {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1200 } });
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/r/${d.id}?t=${d.ticks}&view=memory&addr=0x${(paddr & ~0xfn).toString(16)}&space=phys`);
    await page.locator(`[data-testid="memory-view"][data-tick="${d.ticks}"]`).waitFor({ timeout: 120_000 });
    await select(page, paddr, size);
    const cold = await ask(page);
    // Back to the end, the answer dropped (a new selection), asked again.
    await page.keyboard.press('End');
    await page.locator(`[data-testid="memory-view"][data-tick="${d.ticks}"]`).waitFor({ timeout: 120_000 });
    await page.getByTestId('memory-size-1').click();
    await page.getByTestId('memory-view').getByTestId('last-write-result').waitFor({ state: 'detached' });
    await select(page, paddr, size);
    const cached = await ask(page);
    return { cold, cached };
  } finally {
    await context.close();
  }
}

function inNode(bytes: Uint8Array, tick: bigint, paddr: bigint, size: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-lw-'));
  try {
    const file = join(dir, `${DEMO}.prnr`);
    writeFileSync(file, bytes);
    const started = Date.now();
    execFileSync(process.execPath, [join(root, 'bin/prnr.js'), 'seek', file, '--tick', String(tick), '--last-write', `0x${paddr.toString(16)}:${size}`], { stdio: 'ignore' });
    return Date.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchLastWrite(runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  const d = demo();
  const { baseUrl, browser, close } = await startBenchApp(log, 'last-write');
  const rows: BenchRow[] = [];
  try {
    for (const v of VARIABLES) {
      const paddr = physOf(v.symbol);
      const seen: Awaited<ReturnType<typeof inBrowser>>[] = [];
      const node: number[] = [];
      for (let r = 0; r < runs; r++) {
        seen.push(await inBrowser(browser, baseUrl, d, paddr, v.size));
        node.push(inNode(d.bytes, d.ticks, paddr, v.size));
        log(`last-write ${v.symbol} run ${r + 1}/${runs}: browser ${Math.round(seen.at(-1)!.cold.engineMs)} ms (write at tick ${seen.at(-1)!.cold.tick}), node ${node.at(-1)} ms`);
      }
      const at = `${v.symbol} at the end of ${DEMO} (${d.slices} slices; ${v.what})`;
      const cold = median(seen.map((s) => s.cold.engineMs));
      rows.push({ name: `last write, ${v.symbol}: browser, search`, value: cold, unit: 'ms', note: `${at}; EngineApi.lastWrite on ${availableParallelism()} cores' workers, cold (median of ${runs})` });
      rows.push({ name: `last write, ${v.symbol}: browser, click to result`, value: median(seen.map((s) => s.cold.paintMs)), unit: 'ms', note: 'the button pressed to the result drawn, the playhead moved' });
      rows.push({ name: `last write, ${v.symbol}: browser, asked again`, value: median(seen.map((s) => s.cached.engineMs)), unit: 'ms', note: 'same page: the slices searched are cached' });
      const nodeMs = median(node);
      rows.push({ name: `last write, ${v.symbol}: prnr seek --last-write`, value: nodeMs, unit: 'ms', note: `cold, process start included; browser search / Node = ${(cold / nodeMs).toFixed(2)}x` });
    }
  } finally {
    await close();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runsAt = process.argv.indexOf('--runs');
  const rows = await benchLastWrite(runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3, (line) => console.error(line));
  const { printTable } = await import('./stats');
  printTable(rows);
}
