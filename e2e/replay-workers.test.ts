// The replay pool in the browser: the engine's Web Worker opens a recording
// made in Node and verifies every slice on two replay Web Workers (the
// runtime-neutral replay code, src/engine/replay, behind src/engine/web/replay.worker.ts).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../src/engine/machine';
import { nodeSha256 } from '../src/engine/node/hash';
import { loadNodeBootConfig } from '../src/engine/node/images';
import { compileMachineModule } from '../src/engine/node/machine-module';
import { Recorder } from '../src/engine/record/recorder';
import { runSession } from '../src/engine/record/session';
import { MemorySink } from '../src/engine/record/writer';
import { describeImageFiles } from '../src/engine/replay/boot';
import { launchBrowser, newAppPage } from './helpers/browser';
import { live } from './helpers/live';

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

/** A short session of the default image, recorded in Node; written without deflate (the browser has no inflater yet). */
async function recordSession(): Promise<Uint8Array> {
  const { image, config } = await loadNodeBootConfig('default');
  const sink = new MemorySink();
  const recorder = new Recorder({
    machine: await Machine.create(await compileMachineModule()),
    config,
    image: { name: 'default', files: describeImageFiles(image) },
    output: { sink, writer: {} },
    sha256: nodeSha256,
    createdBy: 'prnr e2e',
    commands: ['true'],
  });
  runSession(recorder, { prompt: image.manifest.prompt, commands: ['true'] });
  return sink.bytes();
}

describe('replay in the browser', () => {
  let browser: Browser;
  let recording: Uint8Array;
  beforeAll(async () => {
    [browser, recording] = await Promise.all([launchBrowser(), recordSession()]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('verifies every slice of a Node recording on two replay Web Workers', async () => {
    const app = await newAppPage(browser);
    await app.page.route(`**${RECORDING_PATH}`, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(recording) }));
    await app.open('/live'); // the live view starts the page's engine worker
    await live.waitUntilShown(app.page);
    await app.page.waitForFunction(() => (globalThis as unknown as PageGlobals).__prnrEngine !== undefined);
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
