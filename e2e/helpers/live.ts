// The live machine view and its engine status.
import type { Page } from 'playwright-core';

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
};
