// The diff view, /diff?a=<id>&b=<id>: choosing the pair, the divergences as
// listed, each side's calls and playhead, and `prnr diff --json` to compare with.
import type { Page } from 'playwright-core';
import { prnr } from '../../test/prnr';
import { consolePanel } from './console';

export interface DivergenceSeen {
  key: string;
  aTick: string;
  bTick: string;
}

/** What `prnr diff A B --json` reports (ticks as decimal strings). */
export interface PrnrDiff {
  equivalent: boolean;
  calls: { a: number; b: number };
  divergences: (DivergenceSeen & { aStart: number; bStart: number })[];
}

export async function prnrDiff(fileA: string, fileB: string): Promise<PrnrDiff> {
  const { code, stdout, stderr } = await prnr(['diff', fileA, fileB, '--json']);
  if (code !== 0 && code !== 1) throw new Error(`prnr diff failed (${code}): ${stderr}`);
  return JSON.parse(stdout) as PrnrDiff;
}

const side = (page: Page, s: 'a' | 'b') => ({
  tick: page.getByTestId(`diff-tick-${s}`),
  console: page.getByTestId(`diff-console-${s}`),
});

export const diffView = {
  /** From the library: Compare… on A's card, then B chosen in the picker. */
  async compareFromLibrary(page: Page, a: string, b: string): Promise<void> {
    await page.locator(`[data-testid="recording-card"][data-recording-id="${a}"]`).getByTestId('compare-recording').click();
    await page.getByTestId('diff-picker').waitFor();
    await page.getByTestId('diff-pick-b').selectOption(b);
    await page.getByTestId('diff-compare').click();
  },
  /** Waits until both recordings are traced and diffed (or one fails, which throws). */
  async waitUntilDiffed(page: Page, timeout = 240_000): Promise<void> {
    await page.locator('[data-testid="diff-view"]:not([data-state="pending"]), [data-testid^="diff-recording-"][data-state="failed"]').first().waitFor({ timeout });
    const failed = page.locator('[data-testid^="diff-recording-"][data-state="failed"]');
    if (await failed.count()) throw new Error(`a recording could not be traced: ${await failed.first().innerText()}`);
    if (await page.getByTestId('diff-error').count()) throw new Error(await page.getByTestId('diff-error').innerText());
  },
  async divergences(page: Page): Promise<DivergenceSeen[]> {
    const items = page.getByTestId('diff-divergence');
    const seen: DivergenceSeen[] = [];
    for (let i = 0; i < (await items.count()); i++) {
      const item = items.nth(i);
      seen.push({ key: (await item.getAttribute('data-key')) ?? '', aTick: (await item.getAttribute('data-tick-a')) ?? '', bTick: (await item.getAttribute('data-tick-b')) ?? '' });
    }
    return seen;
  },
  /** Selects divergence `index` in the list and waits for the table to show it. */
  async select(page: Page, index: number): Promise<void> {
    await page.locator(`[data-testid="diff-divergence"][data-index="${index}"]`).click();
    await page.locator(`[data-testid="diff-divergence"][data-index="${index}"][aria-current="true"]`).waitFor();
    await page.locator(`[data-testid="diff-row"][data-divergence="${index}"].selected`).first().waitFor();
  },
  async selectedIndex(page: Page): Promise<number> {
    return Number(await page.locator('[data-testid="diff-divergence"][aria-current="true"]').getAttribute('data-index'));
  },
  /** The process the side-by-side table shows. */
  async shownProcess(page: Page): Promise<string | null> {
    return page.getByTestId('diff-table').getAttribute('data-process');
  },
  /** The call cells of one side in the rows of divergence `index` (their ticks). */
  async callsOf(page: Page, index: number, s: 'a' | 'b'): Promise<string[]> {
    const cells = page.locator(`[data-testid="diff-row"][data-divergence="${index}"] [data-testid="diff-call"][data-side="${s}"]`);
    await cells.first().waitFor();
    const ticks: string[] = [];
    for (let i = 0; i < (await cells.count()); i++) ticks.push((await cells.nth(i).getAttribute('data-tick')) ?? '');
    return ticks;
  },
  /** Clicks side `s`'s call at `tick` (a row shown in the table) and waits for that side's playhead to get there. */
  async clickCall(page: Page, s: 'a' | 'b', tick: string): Promise<void> {
    await page.locator(`[data-testid="diff-call"][data-side="${s}"][data-tick="${tick}"]`).first().click();
    await page.locator(`[data-testid="diff-tick-${s}"]`, { hasText: new RegExp(`^${tick}$`) }).waitFor();
  },
  async playhead(page: Page, s: 'a' | 'b'): Promise<string> {
    return side(page, s).tick.innerText();
  },
  /** Side `s`'s console screen once drawn at `tick`. */
  screen(page: Page, s: 'a' | 'b', tick: bigint): Promise<string[]> {
    return consolePanel.screenAt(page, tick, 30_000, side(page, s).console);
  },
};
