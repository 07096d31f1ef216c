// Analyses shared through prnr serve (issue 13), as colleagues use them: one
// opens a demo, shares it and analyses its syscalls in the browser; another,
// in a browser of their own (nothing stored), opens the link and has the
// trace at once, no slice replayed; `prnr analyze LINK` on a machine with
// an empty cache reads the browser's partials instead of replaying, and what
// it computes itself the next browser opens analysed. The browser's
// partials are the very bytes the server derives by replaying in Node.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysesPath, PARTIAL_CONTENT_TYPE, partialPath, type PartialAnswer, type SharedAnalysis } from '../src/shared/server-api';
import { prnr } from '../test/prnr';
import { analyzePanel } from './helpers/analysis';
import { loadDemo, type DemoRecording } from './helpers/demo';
import { recording, recordingLink } from './helpers/recording';
import { servedApp } from './helpers/served-app';
import { syscallsView } from './helpers/syscalls';
import { timeline } from './helpers/timeline';

/** What the Analyze panel says of a run: each dimension's slices done and read (not replayed), and the slices the engine replayed. */
async function panelSays(page: Page): Promise<{ replayed: string | null; note: string | null; runs: Array<{ dimension: string; state: string; done: number; cached: number; kept: string }> }> {
  const replayed = await page.getByTestId('analyze-panel').getAttribute('data-replayed-slices');
  const runs = await page.getByTestId('analysis-progress').evaluateAll((els) =>
    els.map((e) => {
      const a = (name: string) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute(name) ?? '';
      return { dimension: a('data-dimension'), state: a('data-state'), done: Number(a('data-done-slices')), cached: Number(a('data-cached-slices')), kept: a('data-kept') };
    }),
  );
  const note = (await page.getByTestId('analysis-note').count()) > 0 ? await page.getByTestId('analysis-note').innerText() : null;
  return { replayed, note, runs };
}

describe('analyses shared through prnr serve', () => {
  const app = servedApp('prnr-e2e-analyses-');
  let work: string;
  let demo: DemoRecording;
  let link: string;
  let calls: number;
  beforeAll(() => {
    demo = loadDemo('fork-and-pipe');
    work = mkdtempSync(join(tmpdir(), 'prnr-e2e-analyses-cli-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });
  const listed = async () => (await (await fetch(new URL(analysesPath(demo.id), app.server.url))).json()) as SharedAnalysis[];

  it('a colleague opening the link sees the syscalls analysed in the sender\'s browser, replaying nothing', async () => {
    const sender = await app.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await sender.newPage();
    await app.open(page, recordingLink({ id: demo.id }));
    await page.getByTestId('share-button').click();
    link = await page.getByTestId('share-link').inputValue({ timeout: 60_000 });
    expect(new URL(link).pathname).toBe(`/r/${demo.id}`);

    await analyzePanel.run(page, ['syscalls'], { workers: 2 });
    await analyzePanel.waitUntilKept(page);
    const sent = await panelSays(page);
    expect(sent.runs).toEqual([{ dimension: 'syscalls', state: 'done', done: demo.slices, cached: 0, kept: 'true' }]);
    expect(sent.replayed).toBe(String(demo.slices));
    await recording.switchView(page, 'syscalls');
    calls = await syscallsView.count(page);
    expect(calls).toBeGreaterThan(100);
    // Every slice's partial is on the server, and is what the server derives itself by replaying the slice in Node, byte for byte.
    const [shared] = await listed();
    expect([shared!.dimension, shared!.slices.length, shared!.disputed.length]).toEqual(['syscalls', demo.slices, 0]);
    for (const slice of [0, demo.slices - 1]) {
      const at = new URL(partialPath(demo.id, { ...shared!, slice }), app.server.url);
      const browsers = await (await fetch(at)).text();
      const verified = await fetch(`${at.href}&verify=1`, { method: 'PUT', body: browsers, headers: { 'content-type': PARTIAL_CONTENT_TYPE } });
      expect(await verified.json(), `slice ${slice}`).toMatchObject({ stored: false, verified: true } satisfies Partial<PartialAnswer>);
      expect(verified.status).toBe(200);
    }

    // A colleague's browser: its own context, so no OPFS, no IndexedDB, nothing of the sender's.
    const receiver = await app.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const other = await receiver.newPage();
    await app.open(other, `${new URL(link).pathname}?view=syscalls`);
    await analyzePanel.waitUntilKept(other);
    const seen = await panelSays(other);
    expect(seen.runs, JSON.stringify({ ...seen, problems: app.problems })).toEqual([{ dimension: 'syscalls', state: 'done', done: demo.slices, cached: demo.slices, kept: 'true' }]);
    expect(seen.replayed).toBe('0');
    expect(await syscallsView.count(other)).toBe(calls);
    expect((await syscallsView.rows(other)).map((r) => r.text)).toEqual((await syscallsView.rows(page)).map((r) => r.text));
    // The timeline's syscall lane has a mark per call.
    expect((await timeline.lanes(other)).find((l) => l.id === 'syscalls')?.label).toBe(`syscalls ${calls}`);
    expect(app.problems).toEqual([]);
    await sender.close();
    await receiver.close();
  }, 600_000);

  it('prnr analyze LINK on a machine with an empty cache reads the browser\'s partials, replaying nothing', async () => {
    const result = await prnr(['analyze', link, '--syscalls', '--jobs', '2', '-o', join(work, 'first')], { env: { PRNR_CACHE_DIR: join(work, 'cache-a') } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`all ${demo.slices} slices of every analysis from the cache`));
    expect(result.stdout).toMatch(new RegExp(`syscalls: ${calls} calls`));
  }, 300_000);

  it('what prnr analyze LINK computes, the next browser opening the link loads without replaying', async () => {
    const result = await prnr(['analyze', link, '--processes', '--jobs', '2', '-o', join(work, 'second')], { env: { PRNR_CACHE_DIR: join(work, 'cache-b') } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/from the cache/);
    expect((await listed()).map((a) => [a.dimension, a.slices.length]).sort()).toEqual([
      ['processes', demo.slices],
      ['syscalls', demo.slices],
    ]);

    const third = await app.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await third.newPage();
    await app.open(page, `${new URL(link).pathname}?view=processes`);
    await analyzePanel.waitUntilKept(page);
    const seen = await panelSays(page);
    expect(seen.runs.map((r) => [r.dimension, r.state, r.done, r.cached]).sort()).toEqual([
      ['processes', 'done', demo.slices, demo.slices],
      ['syscalls', 'done', demo.slices, demo.slices],
    ]);
    expect(seen.replayed).toBe('0');
    expect(await page.getByTestId('process-row').count()).toBeGreaterThan(3);
    expect((await timeline.lanes(page)).some((l) => l.id.startsWith('process-'))).toBe(true);
    expect(app.problems).toEqual([]);
    await third.close();
  }, 600_000);
});
