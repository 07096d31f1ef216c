// The recording page as an analyst uses it: open a demo recording, scrub the
// timeline by clicking, dragging and keys, and read the machine at the
// playhead; every panel must say what `prnr seek` says for the same tick.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAppPage, type AppPage } from './helpers/browser';
import { consolePanel } from './helpers/console';
import { loadDemo, prnrSeek, serveRecording, type DemoRecording } from './helpers/demo';
import { disassembly } from './helpers/disassembly';
import { library } from './helpers/library';
import { memory } from './helpers/memory';
import { recording, recordingLink } from './helpers/recording';
import { registers } from './helpers/registers';
import { timeline } from './helpers/timeline';
import { verify } from './helpers/verify';

const SRC = '/e2e/first-tour.prnr';
const KERNEL_PHYS = '0x80200000';

const INTEGER_REGS = ['pc', 'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

/** pc and the integer registers whose values differ between two ticks, by prnr seek. */
async function changedBySeek(demo: DemoRecording, from: bigint, to: bigint): Promise<string[]> {
  const [a, b] = await Promise.all([prnrSeek(demo.file, from), prnrSeek(demo.file, to)]);
  return INTEGER_REGS.filter((r) => (r === 'pc' ? a.pc !== b.pc : a.regs[r] !== b.regs[r]));
}

/** pc and the integer registers the panel highlights as changed. */
async function highlightedIntegerRegs(app: AppPage): Promise<string[]> {
  const changed = new Set(await registers.changed(app.page));
  return INTEGER_REGS.filter((r) => changed.has(r));
}

/**
 * Counts the page's calls of an engine method, and the most in flight at once: Comlink messages to the
 * engine worker naming it, and the worker's answers to them (wrapped before the app loads).
 */
async function countEngineCalls(app: AppPage, method: string): Promise<void> {
  await app.page.addInitScript((method) => {
    type Port = { postMessage(this: Port, message: unknown, ...rest: unknown[]): void; addEventListener(type: string, listener: (event: { data: unknown }) => void): void };
    const g = globalThis as unknown as { __engineCalls: number; __enginePeak: number; Worker: { prototype: Port } };
    g.__engineCalls = 0;
    g.__enginePeak = 0;
    const open = new Set<unknown>();
    const watched = new WeakSet<Port>();
    const post = g.Worker.prototype.postMessage;
    g.Worker.prototype.postMessage = function (message: unknown, ...rest: unknown[]) {
      const { path, id } = (message ?? {}) as { path?: unknown[]; id?: unknown };
      if (!watched.has(this)) {
        watched.add(this);
        this.addEventListener('message', (event) => open.delete((event.data as { id?: unknown } | null)?.id));
      }
      if (Array.isArray(path) && path[0] === method) {
        g.__engineCalls++;
        open.add(id);
        g.__enginePeak = Math.max(g.__enginePeak, open.size);
      }
      return post.call(this, message, ...rest);
    };
  }, method);
}

async function engineCalls(app: AppPage): Promise<{ calls: number; peak: number }> {
  return app.page.evaluate(() => {
    const g = globalThis as unknown as { __engineCalls: number; __enginePeak: number };
    return { calls: g.__engineCalls, peak: g.__enginePeak };
  });
}

/** The panels at `tick` against `prnr seek` at the same tick: console screen, pc, registers, a memory row. */
async function expectSameAsSeek(app: AppPage, demo: DemoRecording, tick: bigint, mem: { addr: string; space: 'phys' | 'virt' }) {
  const seek = await prnrSeek(demo.file, tick, { ...mem, length: 16 });
  await registers.waitAt(app.page, tick);
  expect(await registers.reg(app.page, 'pc'), `pc at ${tick}`).toBe(seek.pc);
  expect(await registers.reg(app.page, 'sp'), `sp at ${tick}`).toBe(seek.regs.sp);
  expect(await registers.reg(app.page, 'a0'), `a0 at ${tick}`).toBe(seek.regs.a0);
  expect(await registers.privilege(app.page)).toBe(`${seek.privilege}-mode`);
  expect((await consolePanel.screenAt(app.page, tick)).join('\n').trimEnd(), `screen at ${tick}`).toBe(seek.screen.join('\n').trimEnd());
  const rows = await memory.rowsAt(app.page, tick);
  expect(rows[0], `memory at ${mem.addr} at ${tick}`).toBe(seek.memory[0]);
}

describe('an analyst opens a demo recording and scrubs it', () => {
  let browser: Browser;
  let demo: DemoRecording;
  beforeAll(async () => {
    demo = loadDemo('first-tour');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  // Each test's pages close with it, so no engine of an earlier test competes for the cores.
  afterEach(async () => {
    await Promise.all(browser.contexts().map((context) => context.close()));
  });

  it('shows the machine at every position the playhead goes to, as prnr seek does', async () => {
    const app = await newAppPage(browser);
    // A teacher's path: the library lists the demo, Open shows it.
    await app.open('/');
    await library.waitUntilListed(app.page);
    await library.open(app.page, demo.id);
    await recording.waitUntilShown(app.page);
    expect(new URL(app.page.url()).pathname).toBe(`/r/${demo.id}`);
    expect(await recording.title(app.page)).toBe(demo.title);
    expect(await recording.id(app.page)).toBe(demo.id);
    expect(await timeline.sliceStates(app.page)).toEqual(Array.from({ length: demo.slices }, () => 'pending'));
    expect(await timeline.tick(app.page)).toBe(0n);

    // Click late in the recording (after the boot), then show kernel memory by its physical address.
    const clicked = await timeline.clickAt(app.page, 0.8);
    expect(clicked).toBeGreaterThan(demo.endTick / 2n);
    expect(await timeline.urlTick(app.page)).toBe(clicked.toString());
    await memory.show(app.page, KERNEL_PHYS, 'phys');
    await expectSameAsSeek(app, demo, clicked, { addr: KERNEL_PHYS, space: 'phys' });

    // One instruction on: what changed since the previous position is highlighted, exactly what prnr seek says changed.
    const stepped = await timeline.press(app.page, 'ArrowRight');
    expect(stepped).toBe(clicked + 1n);
    await registers.waitAt(app.page, stepped);
    expect(await highlightedIntegerRegs(app)).toEqual(await changedBySeek(demo, clicked, stepped));
    // The next console write, then the next slice boundary; memory now virtual, at sp.
    const written = await timeline.press(app.page, 'Shift+ArrowRight');
    expect(written).toBeGreaterThan(stepped);
    expect((await consolePanel.screenAt(app.page, written)).join('\n').trimEnd()).toBe((await prnrSeek(demo.file, written)).screen.join('\n').trimEnd());
    const sliced = await timeline.press(app.page, 'PageDown');
    expect(sliced % 5_000_000n).toBe(0n);
    await registers.waitAt(app.page, sliced);
    const sp = await registers.reg(app.page, 'sp');
    await memory.show(app.page, sp, 'virt');
    await expectSameAsSeek(app, demo, sliced, { addr: sp, space: 'virt' });

    // Drag back towards the start: the panels land on where the drag ended, not on a tick it passed.
    const dragged = await timeline.drag(app.page, 0.6, 0.3);
    expect(dragged).toBeLessThan(sliced);
    await expectSameAsSeek(app, demo, dragged, { addr: sp, space: 'virt' }).catch(async (err: unknown) => {
      // A virtual address valid at one tick may be unmapped at another: then the panel says so.
      if (!(await app.page.getByTestId('memory-error').count())) throw err;
    });
    // Home and End.
    expect(await timeline.press(app.page, 'End')).toBe(demo.endTick);
    expect(await timeline.press(app.page, 'Home')).toBe(0n);
    expect(app.errors).toEqual([]);
  }, 240_000);

  it('zooms down to single instructions and steps through them with the disassembly following pc', async () => {
    const app = await newAppPage(browser);
    await serveRecording(app.page, SRC, demo.bytes);
    const start = 20_000_123n; // the kernel is booting here: every step executes
    await app.open(recordingLink({ id: demo.id, src: SRC, t: start, view: 'disassembly' }));
    await recording.waitUntilShown(app.page);
    await timeline.zoomIn(app.page, 24);
    expect(await timeline.windowSpan(app.page)).toBeLessThanOrEqual(64);
    // Clicking the zoomed axis picks a tick a few instructions away.
    const near = await timeline.clickAt(app.page, 0.75);
    expect(near > start - 64n && near < start + 64n).toBe(true);
    // The boot is running here: a step changes pc at least, and the highlight says what changed.
    await registers.waitAt(app.page, near);
    const next = await timeline.press(app.page, 'ArrowRight');
    await registers.waitAt(app.page, next);
    const changed = await changedBySeek(demo, near, next);
    expect(changed).toContain('pc');
    expect(await highlightedIntegerRegs(app)).toEqual(changed);
    await timeline.press(app.page, 'ArrowLeft');
    const seek = await prnrSeek(demo.file, near);
    const current = await disassembly.currentAt(app.page, near);
    expect(current).toContain(seek.pc);
    const lines = await disassembly.editorLines(app.page);
    expect(lines.some((l) => l.replace(/\u00a0/g, ' ').startsWith(seek.pc.slice(2)))).toBe(true);
    expect(app.errors).toEqual([]);
  }, 240_000);

  it('drops the positions a drag passes: only the latest is computed', async () => {
    const app = await newAppPage(browser);
    await countEngineCalls(app, 'registersAt');
    await serveRecording(app.page, SRC, demo.bytes);
    await app.open(recordingLink({ id: demo.id, src: SRC, t: 1000n }));
    await recording.waitUntilShown(app.page);
    await registers.waitAt(app.page, 1000n);
    const before = (await engineCalls(app)).calls;
    const steps = 40;
    const end = await timeline.fastDrag(app.page, 0.1, 0.9, steps);
    await registers.waitAt(app.page, end);
    expect((await consolePanel.screenAt(app.page, end)).length).toBe(24);
    const { calls, peak } = await engineCalls(app);
    // The playhead went through ~40 ticks; the engine was asked for one position at a time (the newest when the
    // last answer came; without the guard every move asks at once: 42 calls, 5 in flight), and for the last, so for
    // fewer than the moves (how many fewer depends on how fast a seek is against the drag: a third to a half here).
    expect(peak).toBe(1);
    expect(calls - before).toBeGreaterThanOrEqual(1);
    expect(calls - before).toBeLessThan(steps);
    expect(app.errors).toEqual([]);
  }, 120_000);

  it('verifies every slice in parallel and paints each on the timeline', async () => {
    const app = await newAppPage(browser);
    await serveRecording(app.page, SRC, demo.bytes);
    await app.open(recordingLink({ id: demo.id, src: SRC }));
    await recording.waitUntilShown(app.page);
    await verify.start(app.page);
    const done = await verify.waitDone(app.page);
    expect(done.phase).toBe('done');
    expect(done.summary).toMatch(new RegExp(`^${demo.slices}/${demo.slices} slices verified in \\d+\\.\\d s on [2-9]\\d* workers`));
    expect(done.peakParallel).toBeGreaterThan(1);
    expect(await timeline.sliceStates(app.page)).toEqual(Array.from({ length: demo.slices }, () => 'verified'));
    expect(app.errors).toEqual([]);
  }, 300_000);

  it('rejects a recording whose header is damaged, with the reader\'s message', async () => {
    const app = await newAppPage(browser);
    const bad = demo.bytes.slice();
    bad[40] ^= 0x40; // inside the header record
    await serveRecording(app.page, '/e2e/bad-header.prnr', bad);
    await app.open(recordingLink({ id: demo.id, src: '/e2e/bad-header.prnr' }));
    expect(await recording.openError(app.page)).toBe('recording is corrupt: header record at byte 16 fails its checksum');
  }, 120_000);

  it('opens a recording with a damaged page and shows the slice that needs it as diverged when verified', async () => {
    const app = await newAppPage(browser);
    const bad = demo.bytes.slice();
    // The middle of the file is page data (blobs are read, and checked, only when a restore needs them).
    bad[Math.floor(bad.length / 2)] ^= 0x40;
    await serveRecording(app.page, '/e2e/bad-page.prnr', bad);
    await app.open(recordingLink({ id: demo.id, src: '/e2e/bad-page.prnr' }));
    await recording.waitUntilShown(app.page);
    await verify.start(app.page);
    const done = await verify.waitDone(app.page);
    const states = await timeline.sliceStates(app.page);
    expect(states.filter((s) => s === 'diverged').length).toBeGreaterThan(0);
    expect(states.every((s) => s === 'diverged' || s === 'verified')).toBe(true);
    expect(done.summary).toMatch(/slices diverged/);
    expect(done.summary).toMatch(/slice \d+: snapshot \d+ cannot be restored: recording (is corrupt|has been tampered with)/);
  }, 300_000);
});
