// A recording's page, /r/<id>: opening it (from a link), its id, view tabs, errors.
import type { Page } from 'playwright-core';

export interface RecordingLink {
  id: string;
  /** Where the page fetches the recording (?src=). */
  src?: string;
  t?: bigint | string;
  view?: string;
  addr?: string;
  space?: 'virt' | 'phys';
}

/** The app path of a link to a recording, as a user would paste it. */
export function recordingLink(link: RecordingLink): string {
  const params = new URLSearchParams();
  if (link.t !== undefined) params.set('t', String(link.t));
  if (link.view) params.set('view', link.view);
  if (link.addr) params.set('addr', link.addr);
  if (link.space) params.set('space', link.space);
  if (link.src) params.set('src', link.src);
  const query = params.toString();
  return `/r/${link.id}${query ? `?${query}` : ''}`;
}

export const recording = {
  /** Waits until the recording is open and its timeline shown (or its error). */
  async waitUntilShown(page: Page, timeout = 60_000): Promise<void> {
    await page.locator('[data-testid="recording-page"], [data-testid="recording-error"], [data-testid="link-error"]').first().waitFor({ timeout });
    const error = page.getByTestId('recording-error');
    if (await error.count()) throw new Error(`the recording did not open: ${await error.innerText()}`);
  },
  /** The title the page shows (the library's, for a demo). */
  async title(page: Page): Promise<string> {
    return page.getByTestId('recording-title').innerText();
  },
  async id(page: Page): Promise<string> {
    return page.getByTestId('recording-id').innerText();
  },
  /** The reader's message when a recording cannot be opened. */
  async openError(page: Page, timeout = 60_000): Promise<string> {
    await page.getByTestId('recording-error').waitFor({ timeout });
    return page.getByTestId('recording-error-message').innerText();
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
