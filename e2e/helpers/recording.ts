// A recording opened from a shared link: position, views, link errors.
import type { Page } from 'playwright-core';

export const recording = {
  async waitUntilShown(page: Page): Promise<void> {
    await page.getByTestId('recording-page').waitFor();
  },
  async id(page: Page): Promise<string> {
    return page.getByTestId('recording-id').innerText();
  },
  async tick(page: Page): Promise<string> {
    return page.getByTestId('recording-tick').innerText();
  },
  async currentView(page: Page): Promise<string | null> {
    return page.getByTestId('recording-view').getAttribute('data-view');
  },
  async switchView(page: Page, view: string): Promise<void> {
    await page.getByTestId(`view-tab-${view}`).click();
    await page.locator(`[data-testid="recording-view"][data-view="${view}"]`).waitFor();
  },
  async linkError(page: Page): Promise<string> {
    return page.getByTestId('link-error').innerText();
  },
};
