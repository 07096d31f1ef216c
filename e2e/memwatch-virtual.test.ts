// A memory watch of a virtual address in one process, from the Analyze
// panel: on the fork-and-pipe demo the analyst watches the parent's read
// buffer (its address from the trace, pid from the trace) as virtual in
// that pid; the writes the page lists are the ones `prnr analyze --watch
// pid:N:VADDR:LEN` reports, and a click lands the playhead on one.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchResult } from '../src/shared/analysis';
import { decodeAnalysisJson } from '../src/shared/analysis';
import { prnr } from '../test/prnr';
import { analyzePanel } from './helpers/analysis';
import { launchBrowser, newAppPage } from './helpers/browser';
import { loadDemo, prnrSeek, prnrTraceJson, type DemoRecording } from './helpers/demo';
import { recording, recordingLink } from './helpers/recording';
import { saveScreenshot } from './helpers/screenshots';
import { timeline } from './helpers/timeline';

describe('a virtual memory watch in the Analyze panel', () => {
  let browser: Browser;
  let demo: DemoRecording;
  let pid: number;
  let buffer: bigint;
  let expected: WatchResult;
  beforeAll(async () => {
    demo = loadDemo('fork-and-pipe');
    browser = await launchBrowser();
    const call = (await prnrTraceJson(demo.file, ['-e', 'trace=read'])).find((c) => c.comm === 'forkpipe' && c.args[0] !== '0');
    if (!call?.pid) throw new Error('fork-and-pipe has no read by forkpipe');
    pid = call.pid;
    buffer = BigInt((await prnrSeek(demo.file, BigInt(call.tick))).regs.a1!); // at the entry tick the trap has a1 = the buffer
    const watch = `pid:${pid}:0x${buffer.toString(16)}:8`;
    const { code, stderr } = await prnr(['analyze', demo.file, '--watch', watch]);
    if (code !== 0) throw new Error(`prnr analyze --watch ${watch} failed: ${stderr}`);
    ({ result: expected } = decodeAnalysisJson(readFileSync(`${demo.file}.analysis/watch-pid${pid}-0x${buffer.toString(16)}-8.json`, 'utf8')) as { result: WatchResult });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('lists the writes prnr analyze --watch pid:N:... reports, and a click seeks to one', async () => {
    const app = await newAppPage(browser);
    const { page } = app;
    await app.open(recordingLink({ id: demo.id }));
    await recording.waitUntilShown(page);
    await page.getByTestId('dimension-memwatch').setChecked(true);
    // Virtual needs a pid: the field appears with the choice.
    expect(await page.getByTestId('memwatch-pid').count()).toBe(0);
    await analyzePanel.run(page, ['memwatch'], { watch: { addr: `0x${buffer.toString(16)}`, length: 8, pid } });
    const [done] = await analyzePanel.waitUntilDone(page, 1);
    expect([done.label, done.state, done.done]).toEqual([`watch-pid${pid}-0x${buffer.toString(16)}-8`, 'done', demo.slices]);
    const listed = await page.getByTestId('memwatch-write').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-tick')));
    expect(expected.writes.length).toBeGreaterThan(2);
    expect(listed).toEqual(expected.writes.slice(0, 50).map((w) => w.tick.toString()));
    await saveScreenshot(page, 'memwatch-virtual');
    const pick = expected.writes.find((w) => !w.same)!;
    await page.locator(`[data-testid="memwatch-write"][data-tick="${pick.tick}"]`).click();
    await expect.poll(() => timeline.tick(page)).toBe(pick.tick);
    expect(app.errors).toEqual([]);
  }, 300_000);
});
