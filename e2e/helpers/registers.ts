// The registers panel: pc, the integer registers by ABI name, CSRs, the privilege.
import type { Page } from 'playwright-core';

/** An element as the page sees it (the e2e code is typed without the DOM). */
interface Attributed {
  getAttribute(name: string): string | null;
}

export const registers = {
  /** Waits until the panel shows tick `tick`. */
  async waitAt(page: Page, tick: bigint, timeout = 60_000): Promise<void> {
    await page.locator(`[data-testid="registers"][data-tick="${tick}"]`).waitFor({ timeout });
  },
  /** A register's hex text, e.g. reg(page, 'pc'), reg(page, 'a0'). */
  async reg(page: Page, name: string): Promise<string> {
    return page.getByTestId(`reg-${name}`).innerText();
  },
  async privilege(page: Page): Promise<string> {
    return page.getByTestId('privilege').innerText();
  },
  /** Names of the registers highlighted as changed since the previous position. */
  async changed(page: Page): Promise<string[]> {
    return page.locator('[data-testid="registers"] [data-changed]').evaluateAll((els) => els.map((e) => ((e as unknown as Attributed).getAttribute('data-testid') ?? '').replace(/^reg-/, '')));
  },
};
