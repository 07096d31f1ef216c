// The timeline: the playhead's tick, clicking and dragging on the axis, its keys, zoom, slice states.
import type { Page } from 'playwright-core';

/** An element as the page sees it (the e2e code is typed without the DOM). */
interface Attributed {
  getAttribute(name: string): string | null;
}

/** The page's globals these helpers read (the e2e code is typed for Node, without the DOM). */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
  location: { href: string };
  PointerEvent: new (type: string, init: Record<string, unknown>) => unknown;
  setTimeout(fn: (value?: unknown) => void, ms: number): void;
}

/** Waits (a moment at most: a key at the end moves nothing) for the tick display to leave `before`. */
async function tickChange(page: Page, before: string): Promise<void> {
  await page.waitForFunction((text) => (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="tick-display"]')?.textContent !== text, before, { timeout: 3_000 }).catch(() => undefined);
}

/** The axis's box, scrolled into view first (as a user scrolls up to it: a panel lower down may have scrolled the page). */
async function axisBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const axis = page.getByTestId('timeline');
  await axis.scrollIntoViewIfNeeded();
  return (await axis.boundingBox())!;
}

export const timeline = {
  async tick(page: Page): Promise<bigint> {
    return BigInt(await page.getByTestId('tick-display').innerText());
  },
  /** Clicks the axis at `fraction` (0..1) of its width; returns the tick the playhead went to. */
  async clickAt(page: Page, fraction: number): Promise<bigint> {
    const box = await axisBox(page);
    const before = await page.getByTestId('tick-display').innerText();
    await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
    await tickChange(page, before);
    return timeline.tick(page);
  },
  /** Drags the playhead from one fraction of the axis to another. */
  async drag(page: Page, from: number, to: number, steps = 12): Promise<bigint> {
    const box = await axisBox(page);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * from, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * to, y, { steps });
    await page.mouse.up();
    await page.waitForFunction((url) => (globalThis as unknown as PageGlobals).location.href !== url, page.url(), { timeout: 3_000 }).catch(() => undefined);
    return timeline.tick(page);
  },
  /**
   * A fast drag: the button pressed and released by the mouse, the moves in
   * between dispatched by the page every `intervalMs` (a quick hand; the
   * driver's own moves each wait for the page). Returns the tick it ends at.
   */
  async fastDrag(page: Page, from: number, to: number, steps: number, intervalMs = 5): Promise<bigint> {
    const box = await axisBox(page);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * from, y);
    await page.mouse.down();
    await page.evaluate(
      async ({ x0, x1, y, steps, intervalMs }) => {
        const g = globalThis as unknown as PageGlobals;
        const target = g.document.querySelector('[data-testid="timeline"]') as unknown as { dispatchEvent(e: unknown): void };
        for (let i = 1; i <= steps; i++) {
          target.dispatchEvent(new g.PointerEvent('pointermove', { bubbles: true, pointerId: 1, pointerType: 'mouse', buttons: 1, clientX: x0 + ((x1 - x0) * i) / steps, clientY: y }));
          await new Promise((resolve) => g.setTimeout(resolve, intervalMs));
        }
      },
      { x0: box.x + box.width * from, x1: box.x + box.width * to, y, steps, intervalMs },
    );
    await page.mouse.move(box.x + box.width * to, y);
    await page.mouse.up();
    return timeline.tick(page);
  },
  /** Presses a timeline key (e.g. 'ArrowRight', 'Shift+ArrowRight', 'PageDown') and returns the new tick. */
  async press(page: Page, key: string): Promise<bigint> {
    const before = await page.getByTestId('tick-display').innerText();
    await page.keyboard.press(key);
    await tickChange(page, before);
    return timeline.tick(page);
  },
  async zoomIn(page: Page, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await page.getByTestId('timeline-zoom-in').click();
  },
  async fit(page: Page): Promise<void> {
    await page.getByTestId('timeline-fit').click();
  },
  /** Ticks the timeline's window shows. */
  async windowSpan(page: Page): Promise<number> {
    return Number(await page.getByTestId('timeline').getAttribute('data-view-span'));
  },
  async sliceStates(page: Page): Promise<string[]> {
    return page.getByTestId('slice-status').evaluateAll((els) => els.map((e) => (e as unknown as Attributed).getAttribute('data-state') ?? ''));
  },
  /** The tick in the page's URL (?t=), once it has caught up with the playhead (it is written at most every 150 ms). */
  async urlTick(page: Page): Promise<string | null> {
    const shown = await page.getByTestId('tick-display').innerText();
    await page.waitForURL((url) => url.searchParams.get('t') === shown || (shown === '0' && url.searchParams.get('t') === null), { timeout: 5_000 }).catch(() => undefined);
    return new URL(page.url()).searchParams.get('t');
  },
  /** The generic tracks' lanes (processes, syscalls, notes...): id, label and its hover title. */
  async lanes(page: Page): Promise<{ id: string; label: string; title: string }[]> {
    return page.locator('.track-lane').evaluateAll((els) =>
      els.map((e) => {
        const el = e as unknown as Attributed & { querySelector(s: string): (Attributed & { textContent: string | null }) | null };
        const label = el.querySelector('.track-label');
        return { id: el.getAttribute('data-track') ?? '', label: label?.textContent ?? '', title: label?.getAttribute('title') ?? '' };
      }),
    );
  },
};
