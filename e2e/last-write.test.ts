// Where did this value come from, as an analyst asks it: the diverge demo
// has just read "12\n" from /tmp/diverge.a into a buffer on its stack; in
// the memory panel (virtual addresses, the program's own page table) the
// analyst selects the buffer's first word and asks. The write found, and
// the one before it, are the newest writes at or before the playhead that a
// memory watch over the whole recording (`prnr analyze --watch`) reports
// for those physical bytes; the playhead lands on each. In the registers
// panel, a0's last change in the slice is where prnr seek shows it change.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueText } from '../src/ui/features/memory/selection';
import { launchBrowser, newAppPage } from './helpers/browser';
import { loadDemo, prnrSeek, prnrTraceJson, type DemoRecording } from './helpers/demo';
import { lastChange, memorySelection, prnrWatch } from './helpers/last-write';
import { recording, recordingLink } from './helpers/recording';
import { timeline } from './helpers/timeline';

describe('where did this value come from', () => {
  let browser: Browser;
  let demo: DemoRecording;
  /** The program's read of the file, the buffer it read into, and the tick it returned at. */
  let read: { tick: bigint; end: bigint; buffer: bigint };
  beforeAll(async () => {
    demo = loadDemo('diverge-a');
    browser = await launchBrowser();
    const call = (await prnrTraceJson(demo.file, ['-e', 'trace=read'])).find((c) => c.comm === 'diverge' && c.args[1] === '"12\\n"');
    if (!call?.endTick) throw new Error('the diverge demo has no read of "12\\n"');
    // At a call's entry tick the machine is at the trap: a1 still holds the buffer's address.
    const buffer = BigInt((await prnrSeek(demo.file, BigInt(call.tick))).regs.a1!);
    read = { tick: BigInt(call.tick), end: BigInt(call.endTick), buffer };
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("finds the read's copy into the buffer and the write before it, as a memory watch over the whole recording reports them", async () => {
    const app = await newAppPage(browser);
    const { page } = app;
    const word = read.buffer - (read.buffer % 4n);
    await app.open(recordingLink({ id: demo.id, t: read.end, view: 'memory', addr: `0x${word.toString(16)}`, space: 'virt' }));
    await recording.waitUntilShown(page);
    await page.locator(`[data-testid="memory-view"][data-tick="${read.end}"]`).waitFor({ timeout: 60_000 });
    await memorySelection.select(page, word, 4);
    // One such button on the page (the registers panel's has its own testids), as the issue names it.
    expect(await page.getByTestId('last-write-button').count()).toBe(1);
    const shown = await memorySelection.value(page);

    const found = await lastChange(page, 'memory-view').find();
    expect(found.paddr).not.toBeNull();
    const paddr = BigInt(`0x${found.paddr}`);
    const watched = (await prnrWatch(demo.file, paddr, 4)).filter((w) => w.tick <= read.end);
    const [last, before] = [watched.at(-1)!, watched.at(-2)!];
    expect({ tick: found.tick, pc: found.pc, old: found.old, new: found.new }).toEqual({ tick: String(last.tick), pc: last.pc.toString(16), old: valueText(last.old), new: valueText(last.new) });
    // It is the kernel copying the file's bytes for diverge's read, and the value the panel showed.
    expect(last.tick > read.tick && last.tick <= read.end).toBe(true);
    expect(found.task).toContain('diverge');
    expect(found.new).toBe(shown);
    expect(await timeline.tick(page)).toBe(last.tick);

    const earlier = await lastChange(page, 'memory-view').earlier();
    expect({ tick: earlier.tick, pc: earlier.pc, old: earlier.old, new: earlier.new }).toEqual({ tick: String(before.tick), pc: before.pc.toString(16), old: valueText(before.old), new: valueText(before.new) });
    expect(await timeline.tick(page)).toBe(before.tick);
    expect(app.errors).toEqual([]);
  }, 300_000);

  it("finds a register's last change in the slice where prnr seek shows it change", async () => {
    const app = await newAppPage(browser);
    const { page } = app;
    await app.open(recordingLink({ id: demo.id, t: read.end, view: 'registers' }));
    await recording.waitUntilShown(page);
    await page.locator(`[data-testid="registers"][data-tick="${read.end}"]`).waitFor({ timeout: 60_000 });
    await page.getByTestId('reg-a0').click();
    await page.locator('[data-testid="register-last-change"][data-reg="a0"]').waitFor();
    const found = await lastChange(page, 'registers').find();
    const tick = BigInt(found.tick);
    expect(tick <= read.end).toBe(true);
    const [atOld, atNew, atEnd] = await Promise.all([prnrSeek(demo.file, tick - 1n), prnrSeek(demo.file, tick), prnrSeek(demo.file, read.end)]);
    expect([atOld.regs.a0, atNew.regs.a0, atEnd.regs.a0]).toEqual([found.old, found.new, found.new]);
    expect(`0x${found.pc}`).toBe(`0x${BigInt(atOld.pc).toString(16)}`);
    expect(await timeline.tick(page)).toBe(tick);
    expect(app.errors).toEqual([]);
  }, 180_000);
});
