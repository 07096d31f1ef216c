// Determinism across runtimes: the default image booted in Chromium's Web
// Worker (with the JIT, the default) reaches the same machine state hashes, at
// the same ticks, as the same image booted in Node by the interpreter alone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine, runToTick } from '../src/engine/machine';
import { loadNodeBootConfig } from '../src/engine/node/images';
import { compileMachineModule } from '../src/engine/node/machine-module';
import { launchBrowser, newAppPage } from './helpers/browser';
import { live } from './helpers/live';

/** What the app puts on window for tests (src/ui/features/engine/engine.ts); e2e code is typed without the DOM. */
interface PageGlobals {
  __prnrEngine?: { bootHashes(image: string, ticks: string[]): Promise<string[]> };
}

const TICKS = ['5000000', '20000000', '45000000'];

async function nodeHashes(): Promise<string[]> {
  const { config } = await loadNodeBootConfig('default');
  // The interpreter alone in Node against the browser's default (the JIT): both ways, one check.
  const machine = await Machine.create(await compileMachineModule(), { jit: false });
  machine.boot(config);
  return TICKS.map((tick) => {
    runToTick(machine, BigInt(tick));
    return machine.stateHash().toString(16).padStart(16, '0');
  });
}

describe('the same boot in the browser and in Node', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reaches identical state hashes at the same ticks', async () => {
    const app = await newAppPage(browser);
    await app.open('/live'); // the live view starts the page's engine worker
    await live.waitUntilShown(app.page);
    await app.page.waitForFunction(() => (globalThis as unknown as PageGlobals).__prnrEngine !== undefined);
    const inBrowser = await app.page.evaluate((ticks) => (globalThis as unknown as PageGlobals).__prnrEngine!.bootHashes('default', ticks), TICKS);
    expect(inBrowser).toEqual(await nodeHashes());
    expect(app.errors).toEqual([]);
  }, 180_000);
});
