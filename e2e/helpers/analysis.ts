// The Analyze panel: tick dimensions, launch, wait for every one to finish.
import type { Page } from 'playwright-core';

export interface ProgressSeen {
  dimension: string;
  label: string;
  done: number;
  total: number;
  state: string;
}

export const analyzePanel = {
  /** Ticks exactly `dimensions` (syscalls, processes, hotspots, memwatch: physical, or virtual in `watch.pid`) and presses Analyze. */
  async run(page: Page, dimensions: readonly string[], options: { watch?: { addr: string; length: number; pid?: number }; workers?: number } = {}): Promise<void> {
    for (const d of ['syscalls', 'processes', 'hotspots', 'memwatch']) await page.getByTestId(`dimension-${d}`).setChecked(dimensions.includes(d));
    if (options.watch) {
      await page.getByTestId('memwatch-space').selectOption(options.watch.pid === undefined ? 'physical' : 'virtual');
      if (options.watch.pid !== undefined) await page.getByTestId('memwatch-pid').fill(String(options.watch.pid));
      await page.getByTestId('memwatch-addr').fill(options.watch.addr);
      await page.getByTestId('memwatch-length').fill(String(options.watch.length));
    }
    if (options.workers !== undefined) await page.getByTestId('analysis-jobs').selectOption(String(options.workers));
    await page.getByTestId('analyze-button').click();
  },
  /** Waits until every listed dimension's result is kept in the browser's store. */
  async waitUntilKept(page: Page, timeout = 300_000): Promise<void> {
    await page.waitForFunction(
      () => {
        const els = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> } }).document.querySelectorAll('[data-testid="analysis-progress"]');
        return els.length > 0 && Array.from(els).every((e) => e.getAttribute('data-kept') === 'true');
      },
      null,
      { timeout },
    );
  },
  async progress(page: Page): Promise<ProgressSeen[]> {
    return page.getByTestId('analysis-progress').evaluateAll((els) =>
      els.map((e) => {
        const a = (name: string) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute(name) ?? '';
        return { dimension: a('data-dimension'), label: a('data-label'), done: Number(a('data-done-slices')), total: Number(a('data-total-slices')), state: a('data-state') };
      }),
    );
  },
  /** Waits until `count` dimensions are listed and none is running; returns their progress. */
  async waitUntilDone(page: Page, count: number, timeout = 300_000): Promise<ProgressSeen[]> {
    await page.waitForFunction(
      (n) => {
        const els = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> } }).document.querySelectorAll('[data-testid="analysis-progress"]');
        return els.length === n && Array.from(els).every((e) => e.getAttribute('data-state') !== 'running');
      },
      count,
      { timeout },
    );
    return analyzePanel.progress(page);
  },
};
