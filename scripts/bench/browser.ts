// Browser benchmarks (issue 11), driving the built app in headless Chromium
// (playwright-core, /usr/bin/chromium or CHROMIUM_PATH) on a demo recording:
// - page open to first frame: navigation to /r/<id>?t=T until the console
//   is drawn at T, and until the registers are (the first seek) too;
// - seek latency over random ticks, from the click on the timeline (and from
//   an arrow key, one tick on) to the console and registers painted at the
//   new tick (the input event's timestamp to the end of the frame that shows
//   both; p50, p95; target p95 < 100 ms), right after the page opened and
//   after a few seconds on it, and where its milliseconds go,
//   asked of the page's engine worker alone: a message round trip, restoring
//   a snapshot, resuming a checkpoint (src/engine/replay/checkpoints.ts: the
//   first after that snapshot), a seek to a random tick;
// - verify every slice on one worker (the engine's own thread) vs on
//   navigator.hardwareConcurrency replay workers (the Verify button), and the
//   speedup, measured side by side in one run: the first Verify (its workers
//   started then, unless idle time started them before) apart from the later
//   ones (workers kept by the open recording).
// The app is built into a directory of its own, so the dist/ that e2e tests
// serve is left alone. Callable from scripts/bench/main.ts (benchBrowser) or alone:
//   npx tsx scripts/bench/browser.ts [--runs N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import { nodeSha256 } from '../../src/engine/node/hash';
import { CHECKPOINT_TICKS, checkpointTicks } from '../../src/engine/replay/checkpoints';
import { openRecording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { median, percentile, type BenchRow } from './stats';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = 'first-tour';
const SRC = '/bench/recording.prnr';
/** Clicks timed right after the page opens, and the time on the page (a user reading its first frame) before the rest. */
const COLD_CLICKS = 15;
const SETTLE_MS = 3000;

/** What clickVerify reads in the page (typed without the DOM). */
interface VerifyPageGlobals {
  document: { querySelector(selector: string): { getAttribute(name: string): string | null; click(): void } | null };
  performance: { now(): number };
  requestAnimationFrame(callback: () => void): void;
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: { attributes: boolean; attributeFilter: string[] }): void; disconnect(): void };
}

/** The page's globals the benchmark reads (typed without the DOM). */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null };
  performance: { now(): number };
  navigator: { hardwareConcurrency: number };
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: unknown): void } };
  __benchStart?: number;
  __benchDone?: Promise<number>;
  __prnrEngine?: {
    verifySlices(id: string, options: { jobs: number }): Promise<{ ok: boolean }[]>;
    registersAt(id: string, tick: bigint): Promise<unknown>;
  };
}

/**
 * Clicks Verify and times, in the page, from the click to the frame after the
 * summary says done (Playwright's own waiting polls at up to 500 ms, which
 * the figure must not include).
 */
async function clickVerify(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const g = globalThis as unknown as VerifyPageGlobals;
        const summary = g.document.querySelector('[data-testid="verify-summary"]');
        const button = g.document.querySelector('[data-testid="verify-button"]');
        if (!summary || !button) return reject(new Error('no Verify button on the page'));
        let running = false;
        const started = g.performance.now();
        const observer = new g.MutationObserver(() => {
          const phase = summary.getAttribute('data-phase');
          if (phase === 'running') running = true;
          if (!running || (phase !== 'done' && phase !== 'failed')) return;
          observer.disconnect();
          g.requestAnimationFrame(() => resolve(Math.round(g.performance.now() - started)));
        });
        observer.observe(summary, { attributes: true, attributeFilter: ['data-phase'] });
        button.click();
      }),
  );
}

function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
  return found;
}

function loadDemo(): { id: string; bytes: Uint8Array; slices: number; endTick: bigint; snapshotTicks: bigint[] } {
  const demos = new URL('../../public/demos/', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', demos), 'utf8')) as { demos: { id: string; name: string; file: string; slices: number; ticks: string }[] };
  const demo = manifest.demos.find((d) => d.name === DEMO);
  if (!demo) throw new Error(`no demo ${DEMO} in public/demos (npm run demos)`);
  const bytes = new Uint8Array(gunzipSync(readFileSync(new URL(demo.file, demos))));
  const snapshotTicks = openRecording(bytesSource(bytes), { sha256: nodeSha256 }).snapshots.map((s) => s.tick);
  return { id: demo.id, bytes, slices: demo.slices, endTick: BigInt(demo.ticks), snapshotTicks };
}

/** A page with the recording served at SRC, in a fresh context (cold caches). */
async function openPage(browser: Browser, bytes: Uint8Array): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  await context.route((url) => url.pathname === SRC, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(bytes) }));
  return context.newPage();
}

/**
 * Resolves once the console (and, with `registers`, the registers panel) show the tick on the tick display, and
 * the frame that shows them is painted; returns performance.now() then. The DOM is looked at on every animation
 * frame; once it shows the tick, the time is taken in a task posted from that frame's callback, which runs after
 * the frame's style, layout and paint (the next-paint point INP measures to), not at the DOM update.
 */
export async function paintedAt(page: Page, registers: boolean, previous?: string, timeout = 120_000): Promise<number> {
  await page.waitForFunction(
    ({ registers, previous }) => {
      const g = globalThis as unknown as PageGlobals;
      const tick = g.document.querySelector('[data-testid="tick-display"]')?.textContent;
      if (!tick || tick === previous) return false;
      const shown = g.document.querySelector('[data-testid="console-screen"]')?.getAttribute('data-tick') === tick;
      const regs = !registers || g.document.querySelector('[data-testid="registers"]')?.getAttribute('data-tick') === tick;
      if (!shown || !regs) return false;
      g.__benchDone = new Promise((resolve) => {
        const channel = new g.MessageChannel();
        channel.port1.onmessage = () => resolve(g.performance.now());
        channel.port2.postMessage(null);
      });
      return true;
    },
    { registers, previous },
    { polling: 'raf', timeout },
  );
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__benchDone!);
}

/** Marks the start of each user action (pointer down, key down) in the page's clock: when the browser took the input (event.timeStamp), so time it waited for a busy main thread counts. */
async function markInputs(page: Page): Promise<void> {
  // A string, so the bundler that runs this script adds no helpers (__name) the page lacks.
  await page.evaluate(`for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, (event) => { globalThis.__benchStart = event.timeStamp; }, true);`);
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

/** The app built into a fresh directory of its own (the dist/ e2e tests serve is left alone); returns the directory. */
export function buildBenchApp(log: (line: string) => void, section = 'browser'): string {
  const env = { ...process.env, NODE_ENV: 'production' };
  log(`${section}: building the app`);
  const outDir = mkdtempSync(join(tmpdir(), 'prnr-bench-app-'));
  execFileSync(process.execPath, [fileURLToPath(new URL('../build-wasm.mjs', import.meta.url))], { stdio: 'ignore', env });
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit', env });
  return outDir;
}

/** Headless Chromium for the benchmarks; `extraArgs` for a diagnostic run (e.g. --js-flags), never the app's own figures. */
export function launchBenchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', ...extraArgs] });
}

/** The app built into a directory of its own and served by vite preview, with Chromium launched: for the browser benchmarks. */
export async function startBenchApp(log: (line: string) => void, section = 'browser'): Promise<{ baseUrl: string; browser: Browser; close(): Promise<void> }> {
  const outDir = buildBenchApp(log, section);
  const server = await preview({ root, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const baseUrl = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
  const browser = await launchBenchBrowser();
  return {
    baseUrl,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export async function benchBrowser(runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  const { baseUrl, browser, close } = await startBenchApp(log);
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

    // Seek latency: clicks at random places of the whole timeline, then one tick on with →. First right after
    // the page opened (the engine has taken no checkpoints but those its seeks pass), then after SETTLE_MS on the
    // page, as a user reads the first frame (idle time takes the checkpoints every seek starts from).
    const page = await openPage(browser, demo.bytes);
    await page.goto(link(0n));
    await paintedAt(page, true);
    await markInputs(page);
    const box = (await page.getByTestId('timeline').boundingBox())!;
    const next = random(11);
    const tickShown = () => page.getByTestId('tick-display').innerText();
    const scrub = async (count: number, clicks: number[], steps: number[]) => {
      for (let i = 0; i < count; i++) {
        const before = await tickShown();
        await page.mouse.click(box.x + 2 + next() * (box.width - 4), box.y + box.height / 2);
        const done = await paintedAt(page, true, before);
        clicks.push(done - (await page.evaluate(() => (globalThis as unknown as PageGlobals).__benchStart!)));
        const at = await tickShown();
        await page.keyboard.press('ArrowRight');
        const stepped = await paintedAt(page, true, at);
        steps.push(stepped - (await page.evaluate(() => (globalThis as unknown as PageGlobals).__benchStart!)));
      }
    };
    const coldClicks: number[] = [];
    await scrub(COLD_CLICKS, coldClicks, []);
    log(`browser: ${COLD_CLICKS} random seeks right after open: p50 ${median(coldClicks).toFixed(0)} ms, p95 ${percentile(coldClicks, 95).toFixed(0)} ms`);
    await page.waitForTimeout(SETTLE_MS);
    const clicks: number[] = [];
    const steps: number[] = [];
    const samples = Math.max(40, runs * 15);
    await scrub(samples, clicks, steps);
    log(`browser: ${samples} random seeks: p50 ${median(clicks).toFixed(0)} ms, p95 ${percentile(clicks, 95).toFixed(0)} ms; one tick on: p50 ${median(steps).toFixed(0)} ms`);
    // Where a seek's milliseconds go, asked of the page's engine worker alone (no UI): a round trip to it
    // (registers where the machine is), restoring a snapshot (a seek to a random snapshot's own tick), running
    // the first checkpoint after it (kept by then), and a seek to a random tick (all of it).
    const ticks = Array.from({ length: samples }, () => BigInt(Math.floor(next() * Number(demo.endTick))));
    const snapshots = Array.from({ length: samples }, () => demo.snapshotTicks[Math.floor(next() * (demo.snapshotTicks.length - 1))]!);
    const engine = await page.evaluate(
      async ({ id, ticks, snapshots, firstCheckpoints }) => {
        const g = globalThis as unknown as PageGlobals;
        const out = { roundTrip: [] as number[], restore: [] as number[], run: [] as number[], seek: [] as number[] };
        for (let i = 0; i < ticks.length; i++) {
          const asks: Array<[number[], bigint]> = [
            [out.restore, BigInt(snapshots[i]!)],
            [out.roundTrip, BigInt(snapshots[i]!)],
            [out.run, BigInt(firstCheckpoints[i]!)],
            [out.seek, BigInt(ticks[i]!)],
          ];
          for (const [into, tick] of asks) {
            const started = g.performance.now();
            await g.__prnrEngine!.registersAt(id, tick);
            into.push(g.performance.now() - started);
          }
        }
        return out;
      },
      { id: demo.id, ticks: ticks.map(String), snapshots: snapshots.map(String), firstCheckpoints: snapshots.map((t) => String(checkpointTicks(t, t + CHECKPOINT_TICKS)[0]!)) },
    );
    const engineMs = engine.seek;
    rows.push({ name: 'seek, click right after open: p50', value: median(coldClicks), unit: 'ms', note: `the first ${COLD_CLICKS} clicks, before idle time took checkpoints` });
    rows.push({ name: 'seek, click right after open: p95', value: percentile(coldClicks, 95), unit: 'ms' });
    rows.push({ name: 'seek, click at a random tick: p50', value: median(clicks), unit: 'ms', note: `${samples} clicks to console + registers painted, ${SETTLE_MS / 1000} s after open` });
    rows.push({ name: 'seek, click at a random tick: p95', value: percentile(clicks, 95), unit: 'ms', note: 'target < 100 ms' });
    rows.push({ name: 'engine alone, registersAt a random tick: p50', value: median(engineMs), unit: 'ms', note: 'the seek without the UI, same page' });
    rows.push({ name: 'engine alone, registersAt a random tick: p95', value: percentile(engineMs, 95), unit: 'ms' });
    rows.push({ name: 'engine: round trip (registers where the machine is): p50', value: median(engine.roundTrip), unit: 'ms', note: 'page -> engine worker -> page, Comlink' });
    rows.push({ name: 'engine: restore a random snapshot: p50', value: median(engine.restore), unit: 'ms', note: `p95 ${percentile(engine.restore, 95).toFixed(0)} ms; pages from the decoded-page cache` });
    rows.push({ name: 'engine: resume the first checkpoint after it: p50', value: median(engine.run), unit: 'ms', note: `p95 ${percentile(engine.run, 95).toFixed(0)} ms; from the snapshot just restored; a slice is ${(demo.snapshotTicks[1]! - demo.snapshotTicks[0]!) / 1_000_000n} M ticks` });
    rows.push({ name: 'seek UI share (click p50 - engine seek p50)', value: median(clicks) - median(engineMs), unit: 'ms', note: 'input, render, paint, and the console query' });
    rows.push({ name: 'seek, → one tick on: p50', value: median(steps), unit: 'ms' });
    rows.push({ name: 'seek, → one tick on: p95', value: percentile(steps, 95), unit: 'ms', note: 'target < 100 ms' });

    // Verify: one worker (the engine's thread) vs every core (the Verify button), side by side, alternating.
    // The first Verify starts the page's replay workers (unless idle time did); later ones reuse them.
    const cores = await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.hardwareConcurrency);
    const one: number[] = [];
    const all: number[] = [];
    const startup: number[] = [];
    const api: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const started = Date.now();
      const results = await page.evaluate((id) => (globalThis as unknown as PageGlobals).__prnrEngine!.verifySlices(id, { jobs: 1 }), demo.id);
      if (results.length !== demo.slices || !results.every((r) => r.ok)) throw new Error('verify on one worker: not every slice verified');
      one.push(Date.now() - started);
      all.push(await clickVerify(page));
      const summary = await page.getByTestId('verify-summary').innerText();
      startup.push(Number(await page.getByTestId('verify-summary').getAttribute('data-startup-ms')));
      if (!summary.startsWith(`${demo.slices}/${demo.slices} slices verified`)) throw new Error(`verify in the page: ${summary}`);
      // The same workers asked by the engine API alone (no button, no painting): the replay's own speedup.
      const asked = Date.now();
      const parallel = await page.evaluate(({ id, jobs }) => (globalThis as unknown as PageGlobals).__prnrEngine!.verifySlices(id, { jobs }), { id: demo.id, jobs: cores });
      if (parallel.length !== demo.slices || !parallel.every((r) => r.ok)) throw new Error(`verify on ${cores} workers: not every slice verified`);
      api.push(Date.now() - asked);
      log(`browser: verify ${i + 1}/${runs + 1}: 1 worker ${one.at(-1)} ms, ${cores} workers ${all.at(-1)} ms (Verify button, first slice after ${startup.at(-1)} ms: ${summary}), ${api.at(-1)} ms (engine API)`);
    }
    const kept = all.slice(1);
    rows.push({ name: `verify ${demo.slices} slices, 1 worker`, value: median(one), unit: 'ms', note: `median of ${one.length}, the engine's own thread` });
    rows.push({ name: `verify ${demo.slices} slices, ${cores} workers, first Verify`, value: all[0]!, unit: 'ms', note: `its workers started ${startup[0]!.toFixed(0)} ms before the first slice ran` });
    rows.push({ name: `verify ${demo.slices} slices, ${cores} workers, later Verify`, value: median(kept), unit: 'ms', note: `median of ${kept.length}, the workers the open recording keeps` });
    rows.push({ name: 'verify speedup, later Verify', value: median(one) / median(kept), unit: 'x', note: `${cores} workers vs 1, same page, same run` });
    rows.push({ name: 'verify speedup, first Verify', value: median(one) / all[0]!, unit: 'x', note: 'with the workers\' start' });
    rows.push({ name: `verify ${demo.slices} slices, ${cores} workers, engine API`, value: median(api), unit: 'ms', note: `median of ${api.length}, kept workers, no button or painting` });
    rows.push({ name: 'verify speedup, engine API', value: median(one) / median(api), unit: 'x', note: `${cores} workers vs 1, both asked of the engine alone` });
    await page.context().close();
  } finally {
    await close();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 3;
  const { printTable } = await import('./stats');
  printTable(await benchBrowser(runs, (line) => console.error(line)));
}
