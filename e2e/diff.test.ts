// The diff view as an analyst uses it: from the library, Compare… on
// the diverge demo's run A, run B chosen; the divergences listed are those
// `prnr diff` reports for the same pair, the first one selected and shown
// side by side at the call prnr diff names; clicking a call on either side
// puts that recording's playhead on its tick, and each console shows the
// screen `prnr seek` prints there.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAppPage } from './helpers/browser';
import { loadDemo, prnrSeek, type DemoRecording } from './helpers/demo';
import { diffView, prnrDiff, type PrnrDiff } from './helpers/diff';
import { library } from './helpers/library';
import { timeline } from './helpers/timeline';

const screenText = (lines: string[]) => lines.join('\n').trimEnd();

describe('the diff view', () => {
  let browser: Browser;
  let a: DemoRecording;
  let b: DemoRecording;
  let expected: PrnrDiff;
  beforeAll(async () => {
    a = loadDemo('diverge-a');
    b = loadDemo('diverge-b');
    [browser, expected] = await Promise.all([launchBrowser(), prnrDiff(a.file, b.file)]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the diverge pair parting at the call prnr diff names, and lands each side on the call clicked', async () => {
    expect(expected.equivalent).toBe(false);
    const app = await newAppPage(browser);
    const { page } = app;
    await app.open('/');
    await library.waitUntilListed(page);
    await diffView.compareFromLibrary(page, a.id, b.id);
    expect(new URL(page.url()).search).toBe(`?a=${a.id}&b=${b.id}`);
    await diffView.waitUntilDiffed(page);

    // Every divergence prnr diff reports, in its order, with both ticks; the first selected, its process shown.
    expect(await diffView.divergences(page)).toEqual(expected.divergences.map(({ key, aTick, bTick }) => ({ key, aTick, bTick })));
    const first = expected.divergences[0]!;
    expect(await diffView.selectedIndex(page)).toBe(0);
    expect(await diffView.shownProcess(page)).toBe(first.key);
    expect((await diffView.callsOf(page, 0, 'a'))[0]).toBe(first.aTick);
    expect((await diffView.callsOf(page, 0, 'b'))[0]).toBe(first.bTick);
    expect(await diffView.playhead(page, 'a')).toBe(first.aTick);
    expect(await diffView.playhead(page, 'b')).toBe(first.bTick);

    // The last divergence, where the runs are at different ticks: a call on each side, clicked.
    const last = expected.divergences.length - 1;
    await diffView.select(page, last);
    expect(await diffView.shownProcess(page)).toBe(expected.divergences[last]!.key);
    const [callA, callB] = [(await diffView.callsOf(page, last, 'a')).at(-1)!, (await diffView.callsOf(page, last, 'b')).at(-1)!];
    expect(callA).not.toBe(expected.divergences[last]!.aTick);
    await diffView.clickCall(page, 'a', callA);
    expect(await diffView.playhead(page, 'b')).toBe(expected.divergences[last]!.bTick); // B stays
    await diffView.clickCall(page, 'b', callB);
    expect(await diffView.playhead(page, 'a')).toBe(callA);
    const [seekA, seekB] = await Promise.all([prnrSeek(a.file, BigInt(callA)), prnrSeek(b.file, BigInt(callB))]);
    expect(screenText(await diffView.screen(page, 'a', BigInt(callA)))).toBe(screenText(seekA.screen));
    expect(screenText(await diffView.screen(page, 'b', BigInt(callB)))).toBe(screenText(seekB.screen));

    // The link holds the pair, the divergence and both playheads: a new page shows the same.
    const link = new URL(page.url());
    expect(Object.fromEntries(link.searchParams)).toEqual({ a: a.id, b: b.id, d: String(last), ta: callA, tb: callB });
    const again = await newAppPage(browser);
    await again.open(link.pathname + link.search);
    await diffView.waitUntilDiffed(again.page);
    expect(await diffView.selectedIndex(again.page)).toBe(last);
    expect([await diffView.playhead(again.page, 'a'), await diffView.playhead(again.page, 'b')]).toEqual([callA, callB]);

    // Open B at its tick: the recording page lands there.
    await again.page.getByTestId('diff-open-b').click();
    await again.page.getByTestId('recording-page').waitFor({ timeout: 60_000 });
    expect(String(await timeline.tick(again.page))).toBe(callB);
    expect(app.errors).toEqual([]);
    expect(again.errors).toEqual([]);
  }, 600_000);

  it('says what is wrong with a bad diff link', async () => {
    const app = await newAppPage(browser);
    await app.open('/diff?a=../../etc&b=x');
    expect(await app.page.getByTestId('link-error').innerText()).toContain('a: "../../etc" is not a recording id');
  });
});
