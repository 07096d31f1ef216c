import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAppPage } from './helpers/browser';
import { recording } from './helpers/recording';

describe('someone opens a shared link to a recording', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lands on the recording at the linked tick and view, and keeps the tick when switching views', async () => {
    const app = await newAppPage(browser);
    await app.open('/r/demo-42?t=18446744073709551615&view=syscalls&pid=7');
    await recording.waitUntilShown(app.page);
    expect(await recording.id(app.page)).toBe('demo-42');
    expect(await recording.tick(app.page)).toBe('18446744073709551615');
    expect(await recording.currentView(app.page)).toBe('syscalls');

    await recording.switchView(app.page, 'memory');
    const url = new URL(app.page.url());
    expect(url.searchParams.get('t')).toBe('18446744073709551615');
    expect(url.searchParams.get('view')).toBe('memory');
    expect(url.searchParams.get('pid')).toBe('7');
    expect(app.errors).toEqual([]);
  });

  it('explains what is wrong with a link whose tick is not a number', async () => {
    const app = await newAppPage(browser);
    await app.open('/r/demo-42?t=12abc');
    expect(await recording.linkError(app.page)).toContain('t: a tick is a decimal integer');
  });
});
