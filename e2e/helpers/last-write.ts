// "Where did this value come from" in the memory and registers panels, and
// the memory watch `prnr analyze --watch` runs over a whole recording, to
// compare with.
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { decodeAnalysisJson, type WatchResult } from '../../src/shared/analysis';
import { prnr } from '../../test/prnr';

export interface ChangeSeen {
  tick: string;
  pc: string;
  paddr: string | null;
  task: string;
  old: string;
  new: string;
  ms: number;
}

async function seen(item: Locator, ids: string): Promise<ChangeSeen> {
  return {
    tick: (await item.getAttribute('data-tick')) ?? '',
    pc: (await item.getAttribute('data-pc')) ?? '',
    paddr: await item.getAttribute('data-paddr'),
    task: await item.getByTestId(`${ids}-task`).innerText(),
    old: await item.getByTestId(`${ids}-old`).innerText(),
    new: await item.getByTestId(`${ids}-new`).innerText(),
    ms: Number(await item.getAttribute('data-ms')),
  };
}

/** The search in one panel: the memory panel's (the issue's last-write-* testids) or the registers panel's (register-change-*). */
export const lastChange = (page: Page, panel: 'memory-view' | 'registers') => {
  const box = page.getByTestId(panel);
  const ids = panel === 'memory-view' ? 'last-write' : 'register-change';
  const result = box.getByTestId(`${ids}-result`);
  return {
    /** Where did this value come from: the change found, once shown. */
    async find(timeout = 120_000): Promise<ChangeSeen> {
      await box.getByTestId(`${ids}-button`).click();
      await box.locator(`[data-testid="${ids}-result"], [data-testid="${ids}-none"], [data-testid="${ids}-error"]`).first().waitFor({ timeout });
      if (!(await result.count())) throw new Error(`no change found: ${await box.getByTestId(`${ids}-search`).innerText()}`);
      return seen(result, ids);
    },
    /** The change before the one shown. */
    async earlier(timeout = 120_000): Promise<ChangeSeen> {
      const before = await result.getAttribute('data-tick');
      await box.getByTestId(`${ids}-earlier`).click();
      await box.locator(`[data-testid="${ids}-result"]:not([data-tick="${before}"]), [data-testid="${ids}-none"], [data-testid="${ids}-error"]`).first().waitFor({ timeout });
      if (!(await box.locator(`[data-testid="${ids}-result"]:not([data-tick="${before}"])`).count())) throw new Error(`no earlier change: ${await box.getByTestId(`${ids}-search`).innerText()}`);
      return seen(result, ids);
    },
  };
};

export const memorySelection = {
  /** Clicks the byte at `addr` (hex, as the row shows it) and picks the selection's size. */
  async select(page: Page, addr: bigint, size: 1 | 2 | 4 | 8): Promise<void> {
    await page.locator(`[data-testid="memory-byte"][data-addr="${addr.toString(16)}"]`).click();
    await page.getByTestId(`memory-size-${size}`).click();
    await page.locator(`[data-testid="memory-selection"][data-size="${size}"]`).waitFor();
  },
  async value(page: Page): Promise<string> {
    return page.getByTestId('memory-selected-value').innerText();
  },
};

/** Every write `prnr analyze FILE --watch PADDR:LEN` reports over the whole recording, in tick order. */
export async function prnrWatch(file: string, paddr: bigint, length: number): Promise<WatchResult['writes']> {
  const { code, stderr } = await prnr(['analyze', file, '--watch', `0x${paddr.toString(16)}:${length}`]);
  if (code !== 0) throw new Error(`prnr analyze --watch failed: ${stderr}`);
  const { result } = decodeAnalysisJson(readFileSync(`${file}.analysis/watch-0x${paddr.toString(16)}-${length}.json`, 'utf8')) as { result: WatchResult };
  return result.writes;
}
