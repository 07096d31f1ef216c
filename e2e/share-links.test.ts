// Someone opens a link a colleague copied: the recording, at the linked tick and view.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAppPage } from './helpers/browser';
import { consolePanel } from './helpers/console';
import { loadDemo, serveRecording, type DemoRecording } from './helpers/demo';
import { memory } from './helpers/memory';
import { recording, recordingLink } from './helpers/recording';
import { registers } from './helpers/registers';
import { timeline } from './helpers/timeline';

const SRC = '/e2e/first-tour.prnr';

describe('someone opens a shared link to a recording', () => {
  let browser: Browser;
  let demo: DemoRecording;
  beforeAll(async () => {
    demo = loadDemo('first-tour');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  // Each test's pages close with it, so no engine of an earlier test competes for the cores.
  afterEach(async () => {
    await Promise.all(browser.contexts().map((context) => context.close()));
  });

  it('lands on the tick and view the sender saw, memory address included', async () => {
    // A demo: every copy of the app has it, so its link needs only the id.
    const sender = await newAppPage(browser);
    await sender.open(recordingLink({ id: demo.id }));
    await recording.waitUntilShown(sender.page);
    const tick = await timeline.clickAt(sender.page, 0.9);
    await timeline.press(sender.page, 'ArrowLeft');
    await recording.switchView(sender.page, 'memory');
    await memory.show(sender.page, '0x80200040', 'phys');
    const seen = await timeline.tick(sender.page);
    expect(seen).toBe(tick - 1n);
    const senderRows = await memory.rowsAt(sender.page, seen);
    const senderScreen = await consolePanel.screenAt(sender.page, seen);
    await registers.waitAt(sender.page, seen);
    const senderPc = await registers.reg(sender.page, 'pc');
    expect(await timeline.urlTick(sender.page)).toBe(seen.toString());
    const link = new URL(sender.page.url());
    expect(link.searchParams.get('t')).toBe(seen.toString());
    expect(link.searchParams.get('view')).toBe('memory');

    expect(link.searchParams.get('src')).toBeNull();
    const receiver = await newAppPage(browser);
    await receiver.open(link.pathname + link.search);
    await recording.waitUntilShown(receiver.page);
    expect(await timeline.tick(receiver.page)).toBe(seen);
    expect(await recording.currentView(receiver.page)).toBe('memory');
    expect(await memory.rowsAt(receiver.page, seen)).toEqual(senderRows);
    expect(await consolePanel.screenAt(receiver.page, seen)).toEqual(senderScreen);
    await registers.waitAt(receiver.page, seen);
    expect(await registers.reg(receiver.page, 'pc')).toBe(senderPc);
    expect(sender.errors).toEqual([]);
    expect(receiver.errors).toEqual([]);
  }, 180_000);

  it('opens a link that says where the recording is (?src=), for recordings this browser does not keep', async () => {
    const app = await newAppPage(browser);
    await serveRecording(app.page, SRC, demo.bytes);
    await app.open(recordingLink({ id: demo.id, src: SRC, t: 1234567n, view: 'registers' }));
    await recording.waitUntilShown(app.page);
    expect(await timeline.tick(app.page)).toBe(1234567n);
    expect(await recording.currentView(app.page)).toBe('registers');
    await registers.waitAt(app.page, 1234567n);
    expect(app.errors).toEqual([]);
  }, 120_000);

  it('explains what is wrong with a link whose tick is not a number', async () => {
    const app = await newAppPage(browser);
    await app.open(`/r/${demo.id}?t=12abc`);
    expect(await recording.linkError(app.page)).toContain('t: a tick is a decimal integer');
  });

  it('says where to find a recording this browser does not have', async () => {
    const app = await newAppPage(browser);
    await app.open(`/r/${'0'.repeat(64)}`);
    expect(await recording.openError(app.page)).toMatch(/no recording 0000000000000000… in this browser/);
  });
});
