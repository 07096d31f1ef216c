// The live machine view: engine status, boot status, tick and speed, terminal.
import type { Page } from 'playwright-core';

/** Linux boots in seconds to a minute in headless Chromium on a small machine. */
export const BOOT_TIMEOUT_MS = 120_000;

/** The page's globals these helpers read (the e2e code is typed for Node, without the DOM). */
interface PageGlobals {
  /** Test hook of the live view (src/ui/features/live/LivePage.tsx). */
  __prnrTerminalText?: () => string;
  document: { querySelector(selector: string): unknown };
}

export const live = {
  async waitUntilShown(page: Page): Promise<void> {
    await page.getByTestId('live-page').waitFor();
  },
  /** Waits for the engine worker to answer and returns the machine API version it reports. */
  async machineApiVersion(page: Page): Promise<number> {
    const status = page.getByTestId('engine-status');
    await status.and(page.locator('[data-state="success"], [data-state="error"]')).waitFor();
    if ((await status.getAttribute('data-state')) === 'error') throw new Error(`engine failed in the page: ${await status.innerText()}`);
    return Number(await page.getByTestId('engine-api-version').innerText());
  },
  async status(page: Page): Promise<{ state: string | null; text: string }> {
    const status = page.getByTestId('live-status');
    return { state: await status.getAttribute('data-state'), text: await status.innerText() };
  },
  /** Everything the terminal shows, scrollback included. */
  async terminalText(page: Page): Promise<string> {
    return page.evaluate(() => (globalThis as unknown as PageGlobals).__prnrTerminalText?.() ?? '');
  },
  /** Waits until the terminal shows `text` at least `count` times; fails early if the boot fails. */
  async waitForTerminal(page: Page, text: string, { count = 1, timeout = BOOT_TIMEOUT_MS } = {}): Promise<void> {
    await page.waitForFunction(
      ({ text, count }) => {
        const page = globalThis as unknown as PageGlobals;
        if (page.document.querySelector('[data-testid="live-status"][data-state="failed"]')) return true;
        return (page.__prnrTerminalText?.() ?? '').split(text).length - 1 >= count;
      },
      { text, count },
      { timeout, polling: 250 },
    );
    const status = await live.status(page);
    if (status.state === 'failed') throw new Error(`the live machine failed: ${status.text}`);
  },
  /** Types a line at the guest's console, as a user does: click the terminal, type, Enter. */
  async typeLine(page: Page, line: string): Promise<void> {
    await page.getByTestId('live-terminal').click();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  },
  async tick(page: Page): Promise<bigint> {
    const text = await page.getByTestId('live-tick').innerText();
    return /^\d+$/.test(text) ? BigInt(text) : -1n;
  },
  async mips(page: Page): Promise<string> {
    return page.getByTestId('live-mips').innerText();
  },
};
