// The memory panel: an address box, physical or virtual, hex rows.
import type { Page } from 'playwright-core';

export const memory = {
  /** Types an address and picks the space, as a user does. */
  async show(page: Page, addr: string, space: 'virt' | 'phys'): Promise<void> {
    await page.getByTestId('memory-address').fill(addr);
    await page.getByTestId('memory-go').click();
    await page.getByTestId(`memory-space-${space}`).click();
    await page.locator(`[data-testid="memory-view"][data-space="${space}"]`).waitFor();
  },
  /** The hex rows (as `prnr seek --mem` prints them) once the panel shows tick `tick`. */
  async rowsAt(page: Page, tick: bigint, timeout = 60_000): Promise<string[]> {
    await page.locator(`[data-testid="memory-view"][data-tick="${tick}"]`).waitFor({ timeout });
    return page.getByTestId('memory-row').allTextContents();
  },
  async error(page: Page): Promise<string> {
    return page.getByTestId('memory-error').innerText();
  },
};
