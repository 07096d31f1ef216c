// The app shell: top bar and main navigation.
import type { Page } from 'playwright-core';

export const shell = {
  async waitUntilShown(page: Page): Promise<void> {
    await page.getByTestId('app-shell').waitFor();
  },
  async goToLive(page: Page): Promise<void> {
    await page.getByTestId('nav-live').click();
  },
  async goToLibrary(page: Page): Promise<void> {
    await page.getByTestId('nav-library').click();
  },
};
