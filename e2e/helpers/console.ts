// The console panel: the screen as it looked at the playhead.
import type { Locator, Page } from 'playwright-core';

export const consolePanel = {
  /** The screen's lines (right-trimmed) once the panel has drawn tick `tick`; `within` a part of the page that holds several consoles (the diff view's). */
  async screenAt(page: Page, tick: bigint, timeout = 30_000, within: Page | Locator = page): Promise<string[]> {
    const screen = within.locator(`[data-testid="console-screen"][data-tick="${tick}"]`);
    await screen.waitFor({ state: 'attached', timeout });
    return ((await screen.textContent()) ?? '').split('\n').map((l) => l.trimEnd());
  },
};
