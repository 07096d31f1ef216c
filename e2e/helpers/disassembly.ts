// The disassembly panel: the instruction at pc and the Monaco listing around it.
import type { Page } from 'playwright-core';

export const disassembly = {
  /** The "pc <symbol> instruction" line once the panel shows tick `tick`. */
  async currentAt(page: Page, tick: bigint, timeout = 60_000): Promise<string> {
    await page.locator(`[data-testid="disassembly"][data-tick="${tick}"]`).waitFor({ timeout });
    return page.getByTestId('disasm-current').innerText();
  },
  /** Waits for the Monaco editor to load and returns the lines it shows. */
  async editorLines(page: Page, timeout = 60_000): Promise<string[]> {
    await page.locator('[data-testid="disassembly"] .monaco-editor .view-line').first().waitFor({ timeout });
    return page.locator('[data-testid="disassembly"] .monaco-editor .view-line').allTextContents();
  },
};
