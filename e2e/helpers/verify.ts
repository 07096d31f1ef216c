// Verify: replays every slice on the replay workers; the summary and each slice's state.
import type { Page } from 'playwright-core';

export const verify = {
  async start(page: Page): Promise<void> {
    await page.getByTestId('verify-button').click();
  },
  /** Waits for the verification to end; returns the summary and the most workers that ran at once. */
  async waitDone(page: Page, timeout = 240_000): Promise<{ summary: string; peakParallel: number; phase: string }> {
    const summary = page.getByTestId('verify-summary');
    await page.locator('[data-testid="verify-summary"][data-phase="done"], [data-testid="verify-summary"][data-phase="failed"]').waitFor({ timeout });
    return { summary: await summary.innerText(), peakParallel: Number(await summary.getAttribute('data-peak-parallel')), phase: (await summary.getAttribute('data-phase')) ?? '' };
  },
};
