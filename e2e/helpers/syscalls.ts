// The syscalls view: its rows (virtualised: read by scrolling the table), its
// filter, and clicking a row.
import type { Page } from 'playwright-core';

export interface RowSeen {
  tick: string;
  pid: string;
  text: string;
}

/** The page's globals these helpers read (the e2e code is typed without the DOM). */
interface TableElement {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null; getAttribute(n: string): string | null }>;
}
interface PageGlobals {
  document: { querySelector(s: string): TableElement | null };
  requestAnimationFrame(fn: () => void): void;
  __frames?: { worst: number; longTask: number; running: boolean };
}

export interface FramesSeen {
  /** The longest gap between two animation frames (ms). */
  worst: number;
  /** The longest task the page reported (ms; 0 if none over 50 ms). */
  longTask: number;
}

/** Starts counting the page's worst frame and longest task (a string, so no bundler helper the page lacks is added). */
async function startFrames(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const f = (globalThis.__frames = { worst: 0, longTask: 0, running: true });
    let last = performance.now();
    const tick = (t) => { f.worst = Math.max(f.worst, t - last); last = t; if (f.running) requestAnimationFrame(tick); };
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) f.longTask = Math.max(f.longTask, e.duration); }).observe({ type: 'longtask', buffered: false });
  })()`);
}

async function stopFrames(page: Page): Promise<FramesSeen> {
  return page.evaluate(() => {
    const f = (globalThis as unknown as PageGlobals).__frames!;
    f.running = false;
    return { worst: f.worst, longTask: f.longTask };
  });
}

export const syscallsView = {
  /** Waits until the table has filtered every call; returns how many rows it has. */
  async count(page: Page, timeout = 30_000): Promise<number> {
    const count = page.locator('[data-testid="syscall-count"][data-done="true"]');
    await count.waitFor({ timeout });
    return Number(await count.getAttribute('data-count'));
  },
  /** Every row of the table, top to bottom, scrolling it a screen at a time. */
  async rows(page: Page): Promise<RowSeen[]> {
    await syscallsView.count(page);
    return page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      const table = g.document.querySelector('[data-testid="syscall-table"]')!;
      const frame = () => new Promise<void>((resolve) => g.requestAnimationFrame(() => g.requestAnimationFrame(() => resolve())));
      const seen = new Map<number, RowSeen>();
      table.scrollTop = 0;
      for (;;) {
        await frame();
        for (const row of Array.from(table.querySelectorAll('[data-testid="syscall-row"]'))) {
          seen.set(Number(row.getAttribute('data-index')), { tick: row.getAttribute('data-tick') ?? '', pid: row.getAttribute('data-pid') ?? '', text: row.textContent ?? '' });
        }
        if (table.scrollTop + table.clientHeight >= table.scrollHeight - 1) break;
        table.scrollTop += table.clientHeight;
      }
      return [...seen.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
    });
  },
  /** Types a search into the filter and waits for the table to settle on it. */
  async search(page: Page, text: string): Promise<number> {
    await page.getByTestId('syscall-filter').fill(text);
    await page.waitForURL((url) => (url.searchParams.get('q') ?? '') === text);
    return syscallsView.count(page);
  },
  /**
   * Scrolls the table top to bottom (a hundredth of it per frame, then a
   * screen per frame back up) and types `filter` a key at a time until the
   * table has filtered on it, measuring the worst frame of each.
   */
  async measureFrames(page: Page, filter: string): Promise<{ scroll: FramesSeen; filter: FramesSeen; rows: number }> {
    await syscallsView.count(page, 120_000);
    await startFrames(page);
    // A string, so a bundler running this helper (tsx, in the bench) adds no helpers (__name) the page lacks.
    await page.evaluate(`(async () => {
      const table = document.querySelector('[data-testid="syscall-table"]');
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      for (let step = 0; step <= 100; step++) {
        table.scrollTop = ((table.scrollHeight - table.clientHeight) * step) / 100;
        await frame();
      }
      for (let i = 0; i < 30; i++) {
        table.scrollTop -= table.clientHeight;
        await frame();
      }
    })()`);
    const scroll = await stopFrames(page);
    await startFrames(page);
    await page.getByTestId('syscall-filter').pressSequentially(filter, { delay: 60 });
    await page.waitForURL((url) => url.searchParams.get('q') === filter);
    const rows = await syscallsView.count(page, 120_000);
    return { scroll, filter: await stopFrames(page), rows };
  },
  async clickRow(page: Page, tick: bigint | string): Promise<void> {
    await page.locator(`[data-testid="syscall-row"][data-tick="${tick}"]`).click();
  },
};

export const processesView = {
  async rows(page: Page): Promise<{ pid: string; ppid: string; comm: string; text: string }[]> {
    return page.getByTestId('process-row').evaluateAll((els) =>
      els.map((e) => {
        const el = e as unknown as { getAttribute(n: string): string | null; textContent: string | null };
        return { pid: el.getAttribute('data-pid') ?? '', ppid: el.getAttribute('data-ppid') ?? '', comm: el.getAttribute('data-comm') ?? '', text: el.textContent ?? '' };
      }),
    );
  },
  async select(page: Page, pid: number): Promise<void> {
    await page.locator(`[data-testid="process-row"][data-pid="${pid}"]`).click();
    await page.waitForURL((url) => url.searchParams.get('pid') === String(pid));
  },
};
