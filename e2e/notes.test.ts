// Notes pinned to ticks, as an analyst keeps them: one written at the
// playhead, another further on; both listed in tick order and marked on the
// timeline; clicking one brings the playhead back; they are still there
// after a reload and in another tab of this browser (not in another
// browser); markup in a note is shown as text.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAppPage } from './helpers/browser';
import { loadDemo, type DemoRecording } from './helpers/demo';
import { notes } from './helpers/notes';
import { recording, recordingLink } from './helpers/recording';
import { timeline } from './helpers/timeline';

/** Text a careless viewer would turn into markup (and run). */
const MARKUP = '<img src=x onerror="document.title=\'pwned\'"> the <b>fork</b> happens here';

describe('notes', () => {
  let browser: Browser;
  let demo: DemoRecording;
  beforeAll(async () => {
    demo = loadDemo('fork-and-pipe');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('are added at the playhead, marked on the timeline, jumped to, and kept in this browser', async () => {
    const context = await browser.newContext();
    const app = await newAppPage(context);
    const { page } = app;
    const first = 30_000_123n;
    await app.open(recordingLink({ id: demo.id, t: first }));
    await recording.waitUntilShown(page);
    await notes.add(page, 'ada', MARKUP);

    // Another tab of this browser on the same recording hears of every note.
    const other = await newAppPage(context);
    await other.open(recordingLink({ id: demo.id }));
    await recording.waitUntilShown(other.page);
    await notes.waitForCount(other.page, 1);

    const later = await timeline.press(page, 'End');
    expect(later).toBe(demo.endTick);
    await notes.add(page, 'ada', 'the end');
    await notes.waitForCount(other.page, 2);
    const expected = [
      { tick: String(first), author: 'ada', text: MARKUP },
      { tick: String(later), author: 'ada', text: 'the end' },
    ];
    expect(await notes.listed(page)).toEqual(expected);
    expect(await notes.listed(other.page)).toEqual(expected);
    expect(await notes.marks(page)).toEqual([String(first), String(later)]);
    // Shown as text: no element made of the markup, nothing run.
    expect(await page.locator('[data-testid="note-text-shown"] img, [data-testid="note-text-shown"] b').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');

    await notes.jump(page, 0);
    await page.locator('[data-testid="tick-display"]', { hasText: new RegExp(`^${first}$`) }).waitFor();
    expect(await timeline.urlTick(page)).toBe(String(first));

    // A reload: still there, and the author's name remembered.
    await page.reload();
    await recording.waitUntilShown(page);
    await notes.waitForCount(page, 2);
    expect(await notes.listed(page)).toEqual(expected);
    expect(await notes.author(page)).toBe('ada');

    await notes.delete(page, 1);
    await notes.waitForCount(page, 1);
    await notes.waitForCount(other.page, 1);
    expect(await notes.marks(page)).toEqual([String(first)]);

    // Another browser keeps its own notes: none of these.
    const stranger = await newAppPage(browser);
    await stranger.open(recordingLink({ id: demo.id }));
    await recording.waitUntilShown(stranger.page);
    await stranger.page.getByText('No notes yet').waitFor();
    expect(await notes.listed(stranger.page)).toEqual([]);
    expect([...app.errors, ...other.errors, ...stranger.errors]).toEqual([]);
    await context.close();
  }, 180_000);

  it('refuses an empty note and says why', async () => {
    const app = await newAppPage(browser);
    await app.open(recordingLink({ id: demo.id }));
    await recording.waitUntilShown(app.page);
    await app.page.getByTestId('note-author').fill('ada');
    await app.page.getByTestId('note-add').click();
    expect(await app.page.getByTestId('note-error').innerText()).toBe('a note needs some text');
    expect(await notes.listed(app.page)).toEqual([]);
  });
});
