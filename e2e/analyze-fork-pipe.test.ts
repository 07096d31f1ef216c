// Analyses in the IDE, as an analyst uses them (issue 12): open the
// fork-and-pipe demo, analyse syscalls and processes at once, read the
// trace (the very lines `prnr trace` prints), see the processes on the
// timeline, click a write and land on it; a filtered link opens the same rows.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prnr } from '../test/prnr';
import { analyzePanel } from './helpers/analysis';
import { launchBrowser, newAppPage, type AppPage } from './helpers/browser';
import { consolePanel } from './helpers/console';
import { loadDemo, type DemoRecording } from './helpers/demo';
import { library } from './helpers/library';
import { recording, recordingLink } from './helpers/recording';
import { registers } from './helpers/registers';
import { processesView, syscallsView } from './helpers/syscalls';
import { timeline } from './helpers/timeline';

interface TraceJson {
  tick: string;
  endTick: string | null;
  pid: number | null;
  name: string;
}

async function trace(file: string, args: string[] = []): Promise<string[]> {
  const { code, stdout, stderr } = await prnr(['trace', file, ...args]);
  if (code !== 0) throw new Error(`prnr trace ${args.join(' ')} failed: ${stderr}`);
  return stdout.split('\n').filter(Boolean);
}

describe('analyses in the IDE: the fork-and-pipe demo', () => {
  let browser: Browser;
  let context: BrowserContext;
  let demo: DemoRecording;
  let app: AppPage;
  let lines: string[];
  let json: TraceJson[];

  beforeAll(async () => {
    demo = loadDemo('fork-and-pipe');
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1500, height: 1200 } });
    // The CLI's trace of the same file (the second call reads the first's cache).
    lines = await trace(demo.file);
    json = (await trace(demo.file, ['--json'])).map((l) => JSON.parse(l) as TraceJson);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('analyses syscalls and processes at once, and shows the trace prnr trace prints', async () => {
    app = await newAppPage(context);
    await app.open('/');
    await library.waitUntilListed(app.page);
    await library.open(app.page, demo.id);
    await recording.waitUntilShown(app.page);

    await analyzePanel.run(app.page, ['syscalls', 'processes']);
    // Both run at once: each reports its own slices.
    await app.page.locator('[data-testid="analysis-progress"][data-state="running"]').first().waitFor({ state: 'attached' });
    const running = await analyzePanel.progress(app.page);
    expect(running.map((p) => p.dimension).sort()).toEqual(['processes', 'syscalls']);
    const done = await analyzePanel.waitUntilDone(app.page, 2);
    expect(done.map((p) => [p.dimension, p.state, p.done, p.total])).toEqual(
      expect.arrayContaining([
        ['syscalls', 'done', demo.slices, demo.slices],
        ['processes', 'done', demo.slices, demo.slices],
      ]),
    );

    await recording.switchView(app.page, 'syscalls');
    const rows = await syscallsView.rows(app.page);
    expect(rows.length).toBe(json.length);
    expect(rows.map((r) => r.text)).toEqual(lines);
    expect(rows.map((r) => [r.tick, r.pid])).toEqual(json.map((c) => [c.tick, String(c.pid ?? '')]));
    expect(app.errors).toEqual([]);
  }, 360_000);

  it('shows a lane per process, the children with their parent on hover', async () => {
    const procs = await processesView.rows(app.page);
    const forkpipe = procs.find((p) => p.comm === 'forkpipe');
    expect(forkpipe, JSON.stringify(procs)).toBeDefined();
    const children = procs.filter((p) => p.ppid === forkpipe!.pid);
    expect(children.length).toBeGreaterThanOrEqual(3);

    const lanes = await timeline.lanes(app.page);
    const parentLane = lanes.find((l) => l.id === `process-${forkpipe!.pid}`);
    expect(parentLane?.label).toBe(`${forkpipe!.pid} forkpipe`);
    for (const child of children) {
      const lane = lanes.find((l) => l.id === `process-${child.pid}`);
      expect(lane?.title, `lane of pid ${child.pid}`).toContain(`parent ${forkpipe!.pid} forkpipe`);
    }
    // The syscall track titles each mark with prnr trace's line.
    expect(lanes.some((l) => l.id === 'syscalls' && l.label === `syscalls ${json.length}`)).toBe(true);
  });

  it("lands on a write when its row is clicked: the machine at its ecall, the text about to appear on the console", async () => {
    const text = 'forkpipe: child 0 said';
    expect(await syscallsView.search(app.page, text)).toBe(1);
    const [row] = await syscallsView.rows(app.page);
    const call = json.find((c) => c.tick === row!.tick)!;
    expect(call.name).toBe('write');
    await syscallsView.clickRow(app.page, row!.tick);
    const tick = BigInt(row!.tick);
    expect(await timeline.tick(app.page)).toBe(tick);
    await registers.waitAt(app.page, tick);
    expect(BigInt(await registers.reg(app.page, 'a7'))).toBe(64n); // write
    expect((await consolePanel.screenAt(app.page, tick)).join('\n')).not.toContain(text);

    // Shift+→ steps to the next console write or syscall: the kernel's tty sends the text to the UART a little later.
    await app.page.getByTestId('timeline').focus();
    let at = tick;
    let screen = '';
    for (let i = 0; i < 80 && !screen.includes(text); i++) {
      at = await timeline.press(app.page, 'Shift+ArrowRight');
      screen = (await consolePanel.screenAt(app.page, at)).join('\n');
    }
    expect(screen).toContain(text);
    expect(at).toBeGreaterThan(BigInt(call.endTick!));
    expect(app.errors).toEqual([]);
  }, 120_000);

  it('opens a filtered link in a new page with the same rows, analysed from this browser', async () => {
    const pid = json.find((c) => c.name === 'openat' && lines[json.indexOf(c)]!.includes('/dev/console'))!.pid!;
    const link = recordingLink({ id: demo.id, view: 'syscalls' }) + `&pid=${pid}&q=openat`;
    await app.page.goto(new URL(link, app.page.url()).href);
    await recording.waitUntilShown(app.page);
    const here = await syscallsView.rows(app.page);

    const other = await newAppPage(context);
    await other.open(link);
    await recording.waitUntilShown(other.page);
    expect(await recording.currentView(other.page)).toBe('syscalls');
    const there = await syscallsView.rows(other.page);
    const expected = (await trace(demo.file, ['-p', String(pid)])).filter((l) => l.includes('openat'));
    expect(there.map((r) => r.text)).toEqual(expected);
    expect(there).toEqual(here);
    expect(expected.length).toBeGreaterThan(2);
    // Kept in this browser: the new page did not analyse again.
    expect((await analyzePanel.progress(other.page)).map((p) => p.state)).toEqual(['done', 'done']);
    expect(other.errors).toEqual([]);
  }, 120_000);
});
