// The console panel: the screen as it looked at the playhead.
import type { Page } from 'playwright-core';

export const consolePanel = {
  /** The screen's lines (right-trimmed) once the panel has drawn tick `tick`. */
  async screenAt(page: Page, tick: bigint, timeout = 30_000): Promise<string[]> {
    const screen = page.locator(`[data-testid="console-screen"][data-tick="${tick}"]`);
    await screen.waitFor({ state: 'attached', timeout });
    return ((await screen.textContent()) ?? '').split('\n').map((l) => l.trimEnd());
  },
};
