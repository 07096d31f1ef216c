// The notes panel of a recording's page, and the notes track on its timeline.
import type { Page } from 'playwright-core';

export interface NoteSeen {
  tick: string;
  author: string;
  text: string;
}

export const notes = {
  /** Writes a note at the playhead as `author` (the name box is filled only if it differs) and waits until it is listed. */
  async add(page: Page, author: string, text: string): Promise<void> {
    const before = await page.getByTestId('note-item').count();
    const name = page.getByTestId('note-author');
    if ((await name.inputValue()) !== author) await name.fill(author);
    await page.getByTestId('note-text').fill(text);
    await page.getByTestId('note-add').click();
    await page.locator(`[data-testid="note-item"] >> nth=${before}`).waitFor();
  },
  /** The notes listed, in the list's order. */
  async listed(page: Page): Promise<NoteSeen[]> {
    const items = page.getByTestId('note-item');
    const seen: NoteSeen[] = [];
    for (let i = 0; i < (await items.count()); i++) {
      const item = items.nth(i);
      seen.push({ tick: (await item.getAttribute('data-tick')) ?? '', author: await item.getByTestId('note-author-name').innerText(), text: await item.getByTestId('note-text-shown').innerText() });
    }
    return seen;
  },
  /** Waits for `count` notes in the list (another tab's included). */
  async waitForCount(page: Page, count: number, timeout = 10_000): Promise<void> {
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid="note-item"]').length === n, count, { timeout });
  },
  /** Ticks of the note marks on the timeline. */
  async marks(page: Page): Promise<string[]> {
    return page.getByTestId('note-mark').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-tick') ?? ''));
  },
  /** Clicks the note at list position `index` to jump to it. */
  async jump(page: Page, index: number): Promise<void> {
    await page.getByTestId('note-item').nth(index).getByTestId('note-jump').click();
  },
  async delete(page: Page, index: number): Promise<void> {
    await page.getByTestId('note-item').nth(index).getByTestId('note-delete').click();
  },
  async author(page: Page): Promise<string> {
    return page.getByTestId('note-author').inputValue();
  },
};
