// Browser benchmarks (issue 11), driving the built app in headless Chromium
// (playwright-core, /usr/bin/chromium or CHROMIUM_PATH) on a demo recording:
// - page open to first frame: navigation to /r/<id>?t=T until the console
//   is drawn at T, and until the registers are (the first seek) too;
// - seek latency over random ticks, from the click on the timeline (and from
//   an arrow key, one tick on) to the console and registers painted at the
//   new tick (p50, p95; target p95 < 100 ms);
// - verify every slice on one worker (the engine's own thread) vs on
//   navigator.hardwareConcurrency replay workers (the Verify button), and the
//   speedup, measured side by side in one run.
// Callable from scripts/bench/main.ts (benchBrowser) or alone:
//   npx tsx scripts/bench/browser.ts [--runs N]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import { median, percentile, type BenchRow } from './stats';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = 'first-tour';
const SRC = '/bench/recording.prnr';

/** The page's globals the benchmark reads (typed without the DOM). */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null };
  performance: { now(): number };
  navigator: { hardwareConcurrency: number };
  __benchStart?: number;
  __benchDone?: number;
  __prnrEngine?: {
    verifySlices(id: string, options: { jobs: number }): Promise<{ ok: boolean }[]>;
    registersAt(id: string, tick: bigint): Promise<unknown>;
  };
}

function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
  return found;
}

function loadDemo(): { id: string; bytes: Uint8Array; slices: number; endTick: bigint } {
  const demos = new URL('../../public/demos/', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', demos), 'utf8')) as { demos: { id: string; name: string; file: string; slices: number; ticks: string }[] };
  const demo = manifest.demos.find((d) => d.name === DEMO);
  if (!demo) throw new Error(`no demo ${DEMO} in public/demos (npm run demos)`);
  return { id: demo.id, bytes: new Uint8Array(gunzipSync(readFileSync(new URL(demo.file, demos)))), slices: demo.slices, endTick: BigInt(demo.ticks) };
}

/** A page with the recording served at SRC, in a fresh context (cold caches). */
async function openPage(browser: Browser, bytes: Uint8Array): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  await context.route((url) => url.pathname === SRC, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(bytes) }));
  return context.newPage();
}

/** Resolves once the console (and, with `registers`, the registers panel) show the tick on the tick display, on the frame they do; returns performance.now() then. */
async function paintedAt(page: Page, registers: boolean, previous?: string, timeout = 120_000): Promise<number> {
  await page.waitForFunction(
    ({ registers, previous }) => {
      const g = globalThis as unknown as PageGlobals;
      const tick = g.document.querySelector('[data-testid="tick-display"]')?.textContent;
      if (!tick || tick === previous) return false;
      const shown = g.document.querySelector('[data-testid="console-screen"]')?.getAttribute('data-tick') === tick;
      const regs = !registers || g.document.querySelector('[data-testid="registers"]')?.getAttribute('data-tick') === tick;
      if (!shown || !regs) return false;
      g.__benchDone = g.performance.now();
      return true;
    },
    { registers, previous },
    { polling: 'raf', timeout },
  );
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__benchDone!);
}

/** Marks the start of each user action (pointer down, key down) in the page's clock. */
async function markInputs(page: Page): Promise<void> {
  // A string, so the bundler that runs this script adds no helpers (__name) the page lacks.
  await page.evaluate(`for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, () => { globalThis.__benchStart = performance.now(); }, true);`);
}

/** A small deterministic PRNG (mulberry32), so every run scrubs the same ticks. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchBrowser(runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  const env = { ...process.env, NODE_ENV: 'production' };
  log('browser: building the app');
  execFileSync(process.execPath, [fileURLToPath(new URL('../build-wasm.mjs', import.meta.url))], { stdio: 'ignore', env });
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit', env });
  const server = await preview({ root, logLevel: 'error', preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const baseUrl = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const demo = loadDemo();
  const link = (t: bigint) => `${baseUrl}/r/${demo.id}?t=${t}&src=${encodeURIComponent(SRC)}`;
  const rows: BenchRow[] = [];
  try {
    // Page open to first frame, cold each time (a new context: no cache, a new engine worker).
    const consoleFirst: number[] = [];
    const registersFirst: number[] = [];
    const openTick = (demo.endTick * 3n) / 4n;
    for (let i = 0; i < runs; i++) {
      const page = await openPage(browser, demo.bytes);
      const started = Date.now();
      await page.goto(link(openTick));
      // The page's clock starts with the navigation: performance.now() is ms since it began.
      const navigationToWall = Date.now() - started;
      page.on('console', (m) => m.type() === 'error' && log(`browser: page error: ${m.text()}`));
      page.on('pageerror', (e) => log(`browser: page error: ${e.message}`));
      consoleFirst.push(await paintedAt(page, false));
      registersFirst.push(await paintedAt(page, true));
      log(`browser: open ${i + 1}/${runs}: console ${consoleFirst.at(-1)!.toFixed(0)} ms, registers ${registersFirst.at(-1)!.toFixed(0)} ms (goto returned after ${navigationToWall} ms)`);
      await page.context().close();
    }
    rows.push({ name: 'open to first frame (timeline + console)', value: median(consoleFirst), unit: 'ms', note: `median of ${runs}, cold; target < 2000 ms` });
    rows.push({ name: 'open to registers at the tick (first seek)', value: median(registersFirst), unit: 'ms', note: `median of ${runs}, cold` });

    // Seek latency: clicks at random places of the whole timeline, then one tick on with →.
    const page = await openPage(browser, demo.bytes);
    await page.goto(link(0n));
    await paintedAt(page, true);
    await markInputs(page);
    const box = (await page.getByTestId('timeline').boundingBox())!;
    const next = random(11);
    const clicks: number[] = [];
    const steps: number[] = [];
    const samples = Math.max(20, runs * 10);
    const tickShown = () => page.getByTestId('tick-display').innerText();
    for (let i = 0; i < samples; i++) {
      const before = await tickShown();
      await page.mouse.click(box.x + 2 + next() * (box.width - 4), box.y + box.height / 2);
      const done = await paintedAt(page, true, before);
      clicks.push(done - (await page.evaluate(() => (globalThis as unknown as PageGlobals).__benchStart!)));
      const at = await tickShown();
      await page.keyboard.press('ArrowRight');
      const stepped = await paintedAt(page, true, at);
      steps.push(stepped - (await page.evaluate(() => (globalThis as unknown as PageGlobals).__benchStart!)));
    }
    log(`browser: ${samples} random seeks: p50 ${median(clicks).toFixed(0)} ms, p95 ${percentile(clicks, 95).toFixed(0)} ms; one tick on: p50 ${median(steps).toFixed(0)} ms`);
    // The same ticks asked of the engine alone (registersAt through the page's engine worker): what the seek itself costs, without the UI.
    const ticks = Array.from({ length: samples }, () => BigInt(Math.floor(next() * Number(demo.endTick))));
    const engineMs = await page.evaluate(
      async ({ id, ticks }) => {
        const g = globalThis as unknown as PageGlobals;
        const out: number[] = [];
        for (const t of ticks) {
          const started = g.performance.now();
          await g.__prnrEngine!.registersAt(id, BigInt(t));
          out.push(g.performance.now() - started);
        }
        return out;
      },
      { id: demo.id, ticks: ticks.map(String) },
    );
    rows.push({ name: 'seek, click at a random tick: p50', value: median(clicks), unit: 'ms', note: `${samples} clicks to console + registers painted` });
    rows.push({ name: 'seek, click at a random tick: p95', value: percentile(clicks, 95), unit: 'ms', note: 'target < 100 ms' });
    rows.push({ name: 'engine alone, registersAt a random tick: p50', value: median(engineMs), unit: 'ms', note: 'the seek without the UI, same page' });
    rows.push({ name: 'engine alone, registersAt a random tick: p95', value: percentile(engineMs, 95), unit: 'ms' });
    rows.push({ name: 'seek, → one tick on: p50', value: median(steps), unit: 'ms' });
    rows.push({ name: 'seek, → one tick on: p95', value: percentile(steps, 95), unit: 'ms', note: 'target < 100 ms' });

    // Verify: one worker (the engine's thread) vs every core (the Verify button), side by side.
    const cores = await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.hardwareConcurrency);
    const one: number[] = [];
    const all: number[] = [];
    const startup: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = Date.now();
      const results = await page.evaluate((id) => (globalThis as unknown as PageGlobals).__prnrEngine!.verifySlices(id, { jobs: 1 }), demo.id);
      if (results.length !== demo.slices || !results.every((r) => r.ok)) throw new Error('verify on one worker: not every slice verified');
      one.push(Date.now() - started);
      const began = Date.now();
      await page.getByTestId('verify-button').click();
      await page.locator('[data-testid="verify-summary"][data-phase="done"], [data-testid="verify-summary"][data-phase="failed"]').waitFor({ timeout: 300_000 });
      const summary = await page.getByTestId('verify-summary').innerText();
      startup.push(Number(await page.getByTestId('verify-summary').getAttribute('data-startup-ms')));
      if (!summary.startsWith(`${demo.slices}/${demo.slices} slices verified`)) throw new Error(`verify in the page: ${summary}`);
      all.push(Date.now() - began);
      log(`browser: verify ${i + 1}/${runs}: 1 worker ${one.at(-1)} ms, ${cores} workers ${all.at(-1)} ms (${summary})`);
    }
    rows.push({ name: `verify ${demo.slices} slices, 1 worker`, value: median(one), unit: 'ms', note: `median of ${runs}` });
    rows.push({ name: `verify ${demo.slices} slices, ${cores} workers`, value: median(all), unit: 'ms', note: `median of ${runs}, the Verify button (navigator.hardwareConcurrency)` });
    rows.push({ name: `verify, ${cores} workers: start until the first slice runs`, value: median(startup), unit: 'ms', note: 'each worker opens the recording and boots the image' });
    rows.push({ name: 'verify speedup', value: median(one) / median(all), unit: 'x', note: `${cores} workers vs 1, same page, same run` });
    await page.context().close();
  } finally {
    await browser.close();
    await server.close();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 3;
  const { printTable } = await import('./stats');
  printTable(await benchBrowser(runs, (line) => console.error(line)));
}
