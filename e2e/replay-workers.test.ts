// The replay pool in the browser: the engine's Web Worker opens a recording
// made in Node and verifies every slice on two replay Web Workers (the
// runtime-neutral replay code, src/engine/replay, behind src/engine/web/replay.worker.ts).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser';
import { openEnginePage, recordNodeSession } from './helpers/engine-page';

/** What the app puts on window for tests (src/ui/features/engine/engine.ts); e2e code is typed without the DOM. */
interface PageGlobals {
  __prnrEngine?: {
    stopLive(): Promise<void>;
    openRecording(from: { bytes: Uint8Array }): Promise<{ id: string; snapshotTicks: bigint[] }>;
    verifySlices(id: string, options: { jobs: number }): Promise<Array<{ index: number; ok: boolean; divergence?: string; worker: number }>>;
  };
  fetch(url: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>;
}

const RECORDING_PATH = '/e2e/replay-workers.prnr';

describe('replay in the browser', () => {
  let browser: Browser;
  let recording: Uint8Array;
  beforeAll(async () => {
    [browser, recording] = await Promise.all([launchBrowser(), recordNodeSession(['true'])]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('verifies every slice of a Node recording on two replay Web Workers', async () => {
    const app = await openEnginePage(browser, RECORDING_PATH, recording);
    const { slices, results } = await app.page.evaluate(async (path) => {
      const page = globalThis as unknown as PageGlobals;
      const engine = page.__prnrEngine!;
      await engine.stopLive(); // the live boot would compete for the cores
      const bytes = new Uint8Array(await (await page.fetch(path)).arrayBuffer());
      const info = await engine.openRecording({ bytes });
      return { slices: info.snapshotTicks.length - 1, results: await engine.verifySlices(info.id, { jobs: 2 }) };
    }, RECORDING_PATH);
    expect(slices).toBeGreaterThan(4);
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: slices }, (_, i) => i));
    for (const r of results) expect(r.ok, `slice ${r.index}: ${r.divergence}`).toBe(true);
    expect(new Set(results.map((r) => r.worker))).toEqual(new Set([0, 1]));
    expect(app.errors).toEqual([]);
  }, 240_000);
});
