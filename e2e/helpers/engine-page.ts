// A page whose engine worker a test drives directly (window.__prnrEngine, put
// there by src/ui/features/engine/engine.ts), serving a recording made in Node.
import type { Browser } from 'playwright-core';
import { Machine } from '../../src/engine/machine';
import { nodeSha256 } from '../../src/engine/node/hash';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { Recorder } from '../../src/engine/record/recorder';
import { runSession } from '../../src/engine/record/session';
import { MemorySink } from '../../src/engine/record/writer';
import { describeImageFiles } from '../../src/engine/replay/boot';
import { newAppPage, type AppPage } from './browser';
import { live } from './live';

/** A session of the default image running `commands`, recorded in Node (written without deflate). */
export async function recordNodeSession(commands: string[]): Promise<Uint8Array> {
  const { image, config } = await loadNodeBootConfig('default');
  const sink = new MemorySink();
  const recorder = new Recorder({
    machine: await Machine.create(await compileMachineModule()),
    config,
    image: { name: 'default', files: describeImageFiles(image) },
    output: { sink, writer: {} },
    sha256: nodeSha256,
    createdBy: 'prnr e2e',
    commands,
  });
  runSession(recorder, { prompt: image.manifest.prompt, commands });
  return sink.bytes();
}

/**
 * Opens the app with its engine worker running and `recording` served at
 * `path`; the live boot the /live view starts is left to the test to stop
 * (engine.stopLive()), since it would compete for the cores.
 */
export async function openEnginePage(browser: Browser, path: string, recording: Uint8Array): Promise<AppPage> {
  const app = await newAppPage(browser);
  await app.page.route(`**${path}`, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(recording) }));
  await app.open('/live'); // the live view starts the page's engine worker
  await live.waitUntilShown(app.page);
  await app.page.waitForFunction(() => (globalThis as unknown as { __prnrEngine?: unknown }).__prnrEngine !== undefined);
  return app;
}
