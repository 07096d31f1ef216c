// The recordings library (home page).
import type { Page } from 'playwright-core';

export const library = {
  async emptyMessage(page: Page): Promise<string> {
    return page.getByTestId('library-empty').innerText();
  },
  async startLiveMachine(page: Page): Promise<void> {
    await page.getByTestId('start-live').click();
  },
};
