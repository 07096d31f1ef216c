// A million syscalls stay smooth (issue 12): a recording of a syscall-heavy
// guest loop, made here, opened from a file and analysed in the page; the
// syscalls view scrolls from end to end and filters as the user types with
// no frame longer than 100 ms; and the page reopened shows the trace kept in
// this browser, not analysed again. Slow by nature: ~90 s to record, ~5 min
// for the page to analyse 110 slices on this machine's two cores.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePanel } from './helpers/analysis';
import { launchBrowser, newAppPage, type AppPage } from './helpers/browser';
import { library } from './helpers/library';
import { recording } from './helpers/recording';
import { recordSyscallHeavy } from './helpers/syscall-heavy';
import { syscallsView } from './helpers/syscalls';

const CALLS = 1_000_000;
const FRAME_BUDGET_MS = 100;

describe('a million syscalls in the IDE', () => {
  let dir: string;
  let file: string;
  let browser: Browser;
  let context: BrowserContext;
  let app: AppPage;
  let id: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prnr-e2e-million-'));
    browser = await launchBrowser();
    file = recordSyscallHeavy(dir, CALLS);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('analyses a recording of a syscall-heavy loop in the page: over a million rows', async () => {
    context = await browser.newContext({ viewport: { width: 1500, height: 1100 } });
    app = await newAppPage(context);
    await app.open('/');
    await library.waitUntilListed(app.page);
    await library.openFiles(app.page, [{ name: basename(file), bytes: new Uint8Array(readFileSync(file)) }]);
    const card = app.page.locator('[data-testid="recording-card"]').filter({ hasText: basename(file, '.prnr') }).first();
    await card.waitFor({ timeout: 120_000 });
    id = (await card.getAttribute('data-recording-id'))!;
    await library.open(app.page, id);
    await recording.waitUntilShown(app.page);
    await recording.switchView(app.page, 'syscalls');
    await analyzePanel.run(app.page, ['syscalls']);
    const [done] = await analyzePanel.waitUntilDone(app.page, 1, 1_500_000);
    expect(done!.state).toBe('done');
    expect(await syscallsView.count(app.page)).toBeGreaterThanOrEqual(CALLS);
    // XXX: keeping a million calls in IndexedDB clones them on the page's thread, a part at a time (seconds of long tasks); measure after it.
    await analyzePanel.waitUntilKept(app.page, 600_000);
    expect(app.errors).toEqual([]);
  }, 2_200_000);

  it('scrolls end to end and filters as the user types without a frame over 100 ms', async () => {
    const seen = await syscallsView.measureFrames(app.page, 'write(1');
    console.log(`a million syscalls: worst frame scrolling ${seen.scroll.worst.toFixed(1)} ms (longest task ${seen.scroll.longTask.toFixed(0)} ms), typing a filter ${seen.filter.worst.toFixed(1)} ms (longest task ${seen.filter.longTask.toFixed(0)} ms), ${seen.rows} rows kept`);
    expect(seen.scroll.worst).toBeLessThan(FRAME_BUDGET_MS);
    expect(seen.filter.worst).toBeLessThan(FRAME_BUDGET_MS);
    // dd's writes go to fd 1 (/dev/null): half the calls.
    expect(seen.rows).toBeGreaterThan(CALLS / 2 - 10);
    const shown = await app.page.getByTestId('syscall-row').allTextContents();
    expect(shown.length).toBeGreaterThan(5);
    for (const text of shown) expect(text).toContain('write(1');
    expect(shown.some((text) => text.includes(' dd  write(1, "\\0", 1) = 1'))).toBe(true);
  }, 300_000);

  it('reopens analysed: the trace kept in this browser', async () => {
    const again = await newAppPage(context);
    await again.open(`/r/${id}?view=syscalls`);
    await recording.waitUntilShown(again.page);
    const [kept] = await analyzePanel.waitUntilDone(again.page, 1, 300_000);
    expect(kept!.state).toBe('done');
    expect(await syscallsView.count(again.page, 300_000)).toBeGreaterThanOrEqual(CALLS);
    expect(again.errors).toEqual([]);
  }, 600_000);
});
