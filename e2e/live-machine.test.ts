import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_API_VERSION } from '../src/engine/machine';
import { launchBrowser, newAppPage } from './helpers/browser';
import { library } from './helpers/library';
import { live } from './helpers/live';
import { shell } from './helpers/shell';

describe('a newcomer opens prnr and starts a live machine', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the empty library, then the live view where the engine worker reports the machine API version', async () => {
    const app = await newAppPage(browser);
    await app.open('/');
    await shell.waitUntilShown(app.page);
    expect(await app.page.title()).toBe('prnr');
    expect(await library.emptyMessage(app.page)).toContain('No recordings yet');

    await library.startLiveMachine(app.page);
    await live.waitUntilShown(app.page);
    expect(new URL(app.page.url()).pathname).toBe('/live');
    expect(await live.machineApiVersion(app.page)).toBe(MACHINE_API_VERSION);
    expect(app.errors).toEqual([]);
  });

  it('serves /live directly (deep link) and navigates back to the library', async () => {
    const app = await newAppPage(browser);
    await app.open('/live');
    expect(await live.machineApiVersion(app.page)).toBe(MACHINE_API_VERSION);
    await shell.goToLibrary(app.page);
    expect(await library.emptyMessage(app.page)).toContain('No recordings yet');
    expect(app.errors).toEqual([]);
  });
});
