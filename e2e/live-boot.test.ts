import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAppPage } from './helpers/browser';
import { BOOT_TIMEOUT_MS, live } from './helpers/live';

describe('a user boots Linux in the browser and types at its shell', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'opens /live, waits for the shell prompt, runs uname -m, watches the tick advance, and powers off',
    async () => {
      const app = await newAppPage(browser);
      const started = Date.now();
      await app.open('/live');
      await live.waitUntilShown(app.page);
      await live.waitForTerminal(app.page, 'prnr# ');
      console.log(`browser boot to prompt: ${Date.now() - started} ms`);
      expect((await live.status(app.page)).state).toBe('running');

      await live.typeLine(app.page, 'uname -m');
      await live.waitForTerminal(app.page, 'prnr# ', { count: 2, timeout: 30_000 });
      expect(await live.terminalText(app.page)).toMatch(/prnr# uname -m\s*\nriscv64\s*\nprnr# /);

      const before = await live.tick(app.page);
      await app.page.waitForTimeout(1500);
      const after = await live.tick(app.page);
      expect(before).toBeGreaterThan(0n);
      expect(after).toBeGreaterThan(before);
      expect(await live.mips(app.page)).toMatch(/^\d+(\.\d+)?$/);

      await live.typeLine(app.page, 'poweroff -f');
      await app.page.locator('[data-testid="live-status"][data-state="poweredOff"]').waitFor({ timeout: 30_000 });
      expect(app.errors).toEqual([]);
    },
    BOOT_TIMEOUT_MS + 60_000,
  );
});
