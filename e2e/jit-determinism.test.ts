// The JIT in Chromium (issue 14): the default image booted in a Web Worker
// reaches the same state hashes at a series of ticks with the JIT on and off,
// and the same as Node's with it on and off; translated code really ran in
// Chromium. And the app's engine follows the page's choice (?jit=1, ?jit=0:
// src/engine/web/jit-setting.ts), boots to Node's hashes either way, and
// hands the choice to its replay workers, which verify a demo's slices, each
// running code another thread compiled (shared translations).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JitStats } from '../src/engine/jit/jit';
import { Machine, runToTick } from '../src/engine/machine';
import { loadNodeBootConfig } from '../src/engine/node/images';
import { compileMachineModule } from '../src/engine/node/machine-module';
import { launchBrowser, newAppPage } from './helpers/browser';
import { loadDemo, serveRecording } from './helpers/demo';
import { bootHashesInWorker, serveMachineWorker } from './helpers/machine-worker';

/** What the app puts on window for tests (src/ui/features/engine/engine.ts); e2e code is typed without the DOM. */
interface PageGlobals {
  __prnrEngine?: {
    ping(): Promise<{ jit: boolean }>;
    bootHashes(image: string, ticks: string[]): Promise<string[]>;
    openRecording(from: { bytes: Uint8Array }): Promise<{ id: string }>;
    verifySlices(id: string, options: { jobs: number }): Promise<Array<{ ok: boolean }>>;
  };
  fetch(url: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>;
}

/** What the app's replay workers put on their global for tests (src/engine/web/replay-worker-host.ts). */
interface WorkerGlobals {
  __prnrReplayWorker?: { jitStats(): JitStats };
}

const DEMO_PATH = '/e2e/jit-demo.prnr';

const TICKS = ['2000000', '8000000', '20000000', '45000000'];

async function nodeHashes(jit: boolean): Promise<{ hashes: string[]; jitExecuted: number }> {
  const { config } = await loadNodeBootConfig('default');
  const machine = await Machine.create(await compileMachineModule(), { jit });
  machine.boot(config);
  const hashes = TICKS.map((tick) => {
    runToTick(machine, BigInt(tick));
    return machine.stateHash().toString(16).padStart(16, '0');
  });
  return { hashes, jitExecuted: machine.jitStats().executed };
}

describe('the JIT in Chromium', () => {
  let browser: Browser;
  let node: { hashes: string[]; jitExecuted: number };
  beforeAll(async () => {
    browser = await launchBrowser();
    node = await nodeHashes(false);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('boots to identical state hashes at the same ticks with the JIT on and off, in a worker and in Node', async () => {
    const app = await newAppPage(browser);
    await serveMachineWorker(app.page);
    await app.open('/');
    const off = await bootHashesInWorker(app.page, false, TICKS);
    const on = await bootHashesInWorker(app.page, true, TICKS);
    expect(off.jitExecuted).toBe(0);
    expect(on.jitExecuted).toBeGreaterThan(1_000_000); // translated code ran, in Chromium
    expect(off.hashes).toEqual(node.hashes);
    expect(on.hashes).toEqual(node.hashes);
    const nodeJit = await nodeHashes(true);
    expect(nodeJit.jitExecuted).toBeGreaterThan(1_000_000);
    expect(nodeJit.hashes).toEqual(node.hashes);
    expect(new Set(node.hashes).size).toBe(TICKS.length); // the machine moved between the ticks
    expect(app.errors).toEqual([]);
  }, 300_000);

  for (const jit of [true, false]) {
    it(`the app's engine with ?jit=${jit ? 1 : 0} has the JIT ${jit ? 'on' : 'off'}, boots to Node's hashes and starts its replay workers so`, async () => {
      const app = await newAppPage(browser);
      await app.open(`/live?jit=${jit ? 1 : 0}`); // the live view starts the page's engine worker
      await app.page.waitForFunction(() => (globalThis as unknown as PageGlobals).__prnrEngine !== undefined);
      expect(await app.page.evaluate(() => (globalThis as unknown as PageGlobals).__prnrEngine!.ping())).toMatchObject({ jit });
      const hashes = await app.page.evaluate((ticks) => (globalThis as unknown as PageGlobals).__prnrEngine!.bootHashes('default', ticks), TICKS);
      expect(hashes).toEqual(node.hashes);
      // Verify on two replay workers: every slice verifies, and each worker was started with the engine's choice.
      const demo = loadDemo('fork-and-pipe');
      await serveRecording(app.page, DEMO_PATH, demo.bytes);
      const results = await app.page.evaluate(async (path) => {
        const g = globalThis as unknown as PageGlobals;
        const bytes = new Uint8Array(await (await g.fetch(path)).arrayBuffer());
        const { id } = await g.__prnrEngine!.openRecording({ bytes });
        return g.__prnrEngine!.verifySlices(id, { jobs: 2 });
      }, DEMO_PATH);
      expect(results).toHaveLength(demo.slices);
      expect(results.every((r) => r.ok)).toBe(true);
      const workers = app.page.workers();
      const names = await Promise.all(workers.map((w) => w.evaluate(() => (globalThis as unknown as { name: string }).name)));
      const replayWorkers = workers.filter((_, i) => names[i]!.startsWith('prnr-replay-') || names[i]!.startsWith('prnr-analysis-'));
      const replayNames = names.filter((n) => n.startsWith('prnr-replay-') || n.startsWith('prnr-analysis-'));
      expect(replayNames.length, `workers: ${names.join(', ')}`).toBeGreaterThan(0);
      expect(replayNames.every((n) => n.endsWith(` jit=${jit ? 1 : 0}`)), replayNames.join(', ')).toBe(true);
      // Compiled code is shared (src/engine/jit/translation-share.ts): each replay worker ran translations
      // compiled by another thread (the engine's, which booted, or the other worker).
      const stats = await Promise.all(replayWorkers.map((w) => w.evaluate(() => (globalThis as unknown as WorkerGlobals).__prnrReplayWorker!.jitStats())));
      expect(stats).toHaveLength(replayNames.length);
      for (const s of stats) {
        if (jit) expect(s.sharedHits, JSON.stringify(s)).toBeGreaterThan(0);
        else expect(s.translations).toBe(0);
      }
      expect(app.errors).toEqual([]);
    }, 300_000);
  }
});
