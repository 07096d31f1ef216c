// The recordings library (home page): one card per recording, the file
// picker, drag and drop, Export and Delete.
import type { Page } from 'playwright-core';

export interface CardSeen {
  id: string;
  source: string;
  title: string;
  duration: string;
  size: string;
}

const card = (page: Page, id: string) => page.locator(`[data-testid="recording-card"][data-recording-id="${id}"]`);

export const library = {
  async emptyMessage(page: Page): Promise<string> {
    return page.getByTestId('library-empty').innerText();
  },
  async startLiveMachine(page: Page): Promise<void> {
    await page.getByTestId('start-live').click();
  },
  /** Waits until the library has loaded (the demos are listed). */
  async waitUntilListed(page: Page): Promise<void> {
    await page.getByTestId('library-demos').waitFor();
  },
  async cards(page: Page): Promise<CardSeen[]> {
    const cards = page.getByTestId('recording-card');
    const seen: CardSeen[] = [];
    for (let i = 0; i < (await cards.count()); i++) {
      const c = cards.nth(i);
      seen.push({
        id: (await c.getAttribute('data-recording-id')) ?? '',
        source: (await c.getByTestId('recording-source').innerText()).trim(),
        title: (await c.getByTestId('recording-link').innerText()).trim(),
        duration: (await c.getByTestId('recording-duration').innerText()).replace(/\s+/g, ' ').trim(),
        size: (await c.getByTestId('recording-size').innerText()).replace(/\s+/g, ' ').trim(),
      });
    }
    return seen;
  },
  async waitForCard(page: Page, id: string, timeout = 30_000): Promise<void> {
    await card(page, id).waitFor({ timeout });
  },
  /** Opens files through the file picker. */
  async openFiles(page: Page, files: Array<{ name: string; bytes: Uint8Array }>): Promise<void> {
    await page.getByTestId('open-recording-file').setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: Buffer.from(f.bytes) })));
  },
  /** Drops a file on the page, as a user dragging it from the desktop: the page fetches it from `url` (a test route) into a File first. */
  async dropFile(page: Page, url: string, name: string): Promise<void> {
    const transfer = await page.evaluateHandle(
      async ({ url, name }) => {
        const g = globalThis as unknown as { fetch(u: string): Promise<{ blob(): Promise<unknown> }>; DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: unknown[], name: string) => unknown };
        const blob = await (await g.fetch(url)).blob();
        const dt = new g.DataTransfer();
        dt.items.add(new g.File([blob], name));
        return dt;
      },
      { url, name },
    );
    const target = page.getByTestId('library-page');
    await target.dispatchEvent('dragover', { dataTransfer: transfer });
    await page.getByTestId('drop-overlay').waitFor();
    await target.dispatchEvent('drop', { dataTransfer: transfer });
  },
  async notice(page: Page): Promise<string> {
    return page.getByTestId('library-notice').innerText();
  },
  async error(page: Page): Promise<string> {
    return page.getByTestId('library-error').innerText();
  },
  /** Clicks Export on a card and returns the downloaded file's name and bytes. */
  async export(page: Page, id: string): Promise<{ name: string; bytes: Uint8Array }> {
    const [download] = await Promise.all([page.waitForEvent('download'), card(page, id).getByTestId('export-recording').click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { name: download.suggestedFilename(), bytes: new Uint8Array(Buffer.concat(chunks)) };
  },
  async delete(page: Page, id: string): Promise<void> {
    await card(page, id).getByTestId('delete-recording').click();
    await card(page, id).getByTestId('confirm-delete-recording').click();
    await card(page, id).waitFor({ state: 'detached' });
  },
  async open(page: Page, id: string): Promise<void> {
    await card(page, id).getByTestId('open-recording').click();
  },
};
