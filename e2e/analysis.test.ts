// Analyses in the browser: the app's engine worker (src/ui/features/engine/
// engine.worker.ts) analyses a recording made in Node on two analysis
// replay Web Workers, every slice verified, and its syscall trace and
// process table are the very ones Node computes from the same bytes.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisRuntime } from '../src/analysis/runtime';
import { LocalAnalyzer } from '../src/engine/analyze/local';
import { analyzeRecording } from '../src/engine/analyze/run';
import { nodeSha256 } from '../src/engine/node/hash';
import { loadNodeAnalysisFiles, loadNodeBootConfig } from '../src/engine/node/images';
import { compileMachineModule } from '../src/engine/node/machine-module';
import { bootConfigForImage } from '../src/engine/replay/boot';
import { ReplayMachine } from '../src/engine/replay/replay-machine';
import { openRecording } from '../src/shared/recording/reader';
import { bytesSource } from '../src/shared/recording/source';
import { launchBrowser } from './helpers/browser';
import { openEnginePage, recordNodeSession } from './helpers/engine-page';

/** What the app puts on window for tests (src/ui/features/engine/engine.ts); e2e code is typed without the DOM. */
interface PageGlobals {
  __prnrEngine?: {
    stopLive(): Promise<void>;
    openRecording(from: { bytes: Uint8Array }): Promise<{ id: string }>;
    analyze(id: string, options: { dimensions: { dimension: string; params: Record<string, number> }[]; jobs: number }): Promise<{ dimensions: { result: unknown }[]; verified: { ok: boolean }[] }>;
  };
  fetch(url: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>;
}

const RECORDING_PATH = '/e2e/analysis.prnr';
const DIMENSIONS = [{ dimension: 'syscalls', params: {} }, { dimension: 'processes', params: {} }];
/** Results as text the page and Node can both give: bigints as decimal, bytes as arrays. */
const asText = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? [...v] : v));

/** The same analyses in Node, on this thread. */
async function inNode(bytes: Uint8Array): Promise<string> {
  const rec = openRecording(bytesSource(bytes), { sha256: nodeSha256 });
  const { image } = await loadNodeBootConfig('default');
  const runtime = createAnalysisRuntime();
  const machine = await ReplayMachine.create(await compileMachineModule(), rec, bootConfigForImage(rec.header, image), nodeSha256);
  const outcome = await analyzeRecording({ rec, requests: DIMENSIONS, runtime, inputs: await loadNodeAnalysisFiles('default'), analyzer: async () => new LocalAnalyzer(machine, runtime) });
  return asText(outcome.dimensions.map((d) => d.result));
}

describe('analyses in the browser', () => {
  let browser: Browser;
  let recording: Uint8Array;
  beforeAll(async () => {
    [browser, recording] = await Promise.all([launchBrowser(), recordNodeSession(['ls /demo'])]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('gives the syscall trace and process table Node gives, every slice verified on two workers', async () => {
    const app = await openEnginePage(browser, RECORDING_PATH, recording);
    const page = await app.page.evaluate(async ({ path, dimensions }) => {
      const g = globalThis as unknown as PageGlobals;
      const engine = g.__prnrEngine!;
      await engine.stopLive(); // the live boot would compete for the cores
      const bytes = new Uint8Array(await (await g.fetch(path)).arrayBuffer());
      const { id } = await engine.openRecording({ bytes });
      const out = await engine.analyze(id, { dimensions, jobs: 2 });
      const text = JSON.stringify(out.dimensions.map((d) => d.result), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? [...v] : v));
      return { text, verified: out.verified.map((s) => s.ok) };
    }, { path: RECORDING_PATH, dimensions: DIMENSIONS });
    expect(page.verified.length).toBeGreaterThan(4);
    expect(page.verified.every(Boolean)).toBe(true);
    expect(page.text).toBe(await inNode(recording));
    expect(page.text).toContain('"name":"execve"');
    expect(app.errors).toEqual([]);
  }, 240_000);
});
