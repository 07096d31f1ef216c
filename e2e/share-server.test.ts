// Sharing through prnr serve, as two colleagues would: one opens a demo at a
// moment and a view, writes a note there and presses Share; the other opens
// the link in a browser of their own (nothing stored, nothing shared with the
// first) and lands on the same recording, tick and view, with the note on it,
// shown as text. The server is prnr serve's (src/server) over the built app.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SharedNote, SharedRecording } from '../src/shared/server-api';
import { loadDemo, type DemoRecording } from './helpers/demo';
import { notes } from './helpers/notes';
import { recording, recordingLink } from './helpers/recording';
import { servedApp } from './helpers/served-app';
import { timeline } from './helpers/timeline';

const NOTE = 'the <b>fork</b> happens here';

describe('share through prnr serve', () => {
  const app = servedApp('prnr-e2e-serve-');
  let demo: DemoRecording;
  beforeAll(() => {
    demo = loadDemo('fork-and-pipe');
  });

  it('uploads a demo with its note; the link opens it elsewhere at the same tick and view, note included', async () => {
    const tick = 30_000_123n;
    const sender = await app.browser.newContext();
    const page = await sender.newPage();
    await app.open(page, recordingLink({ id: demo.id, t: tick, view: 'registers' }));
    expect(await timeline.tick(page)).toBe(tick);
    await notes.add(page, 'ada', NOTE);

    await page.getByTestId('share-button').click();
    const shown = page.getByTestId('share-link');
    await shown.waitFor({ timeout: 60_000 });
    const link = new URL(await shown.inputValue());
    expect(link.origin).toBe(new URL(app.server.url).origin);
    expect(link.pathname).toBe(`/r/${demo.id}`);
    expect(link.searchParams.get('t')).toBe(String(tick));
    expect(link.searchParams.get('view')).toBe('registers');
    expect(await page.getByTestId('share').innerText()).toMatch(/uploaded, 1 note sent/);

    // The server holds the recording, byte for byte, and the note.
    const listed = (await (await fetch(new URL('/api/recordings', app.server.url))).json()) as SharedRecording[];
    expect(listed.map((r) => [r.id, r.title, r.slices])).toEqual([[demo.id, demo.title, demo.slices]]);
    const file = new Uint8Array(await (await fetch(new URL(`/api/recordings/${demo.id}/file`, app.server.url))).arrayBuffer());
    expect(Buffer.compare(file, demo.bytes)).toBe(0);
    const kept = (await (await fetch(new URL(`/api/recordings/${demo.id}/notes`, app.server.url))).json()) as SharedNote[];
    expect(kept.map((n) => [n.tick, n.author, n.text])).toEqual([[String(tick), 'ada', NOTE]]);

    // A colleague's browser: its own context, so no OPFS, no IndexedDB, no notes of the sender's.
    const receiver = await app.browser.newContext();
    const other = await receiver.newPage();
    await app.open(other, link.pathname + link.search);
    expect(await recording.id(other)).toBe(demo.id);
    expect(await timeline.tick(other)).toBe(tick);
    expect(await other.getByTestId('recording-view').getAttribute('data-view')).toBe('registers');
    await notes.waitForCount(other, 1, 30_000);
    expect(await other.getByTestId('share-notes-pulled').innerText()).toBe('1 note from the server');
    expect(await notes.listed(other)).toEqual([{ tick: String(tick), author: 'ada', text: NOTE }]);
    expect(await notes.marks(other)).toEqual([String(tick)]);
    // Shown as text: the markup made no element.
    expect(await other.locator('[data-testid="note-text-shown"] b').count()).toBe(0);

    // Sharing again from the colleague's side adds nothing twice.
    await other.getByTestId('share-button').click();
    await other.getByTestId('share-link').waitFor();
    expect(await other.getByTestId('share').innerText()).toMatch(/already on the server/);
    expect(((await (await fetch(new URL(`/api/recordings/${demo.id}/notes`, app.server.url))).json()) as SharedNote[]).length).toBe(1);
    // No request failed on either side (asking whether the server keeps a recording is not a 404).
    expect(app.problems).toEqual([]);
    await sender.close();
    await receiver.close();
  }, 180_000);

  it('says why Share cannot work where the page has no prnr server', async () => {
    // The same app, but the API answers as a server without it would (vite preview: the app's HTML).
    const context = await app.browser.newContext();
    await context.route((url) => url.pathname.startsWith('/api/'), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html>' }));
    const page = await context.newPage();
    await page.goto(new URL(recordingLink({ id: demo.id }), app.server.url).href);
    await recording.waitUntilShown(page);
    await page.getByTestId('share-button').click();
    await expect.poll(() => page.getByTestId('share-error').innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/not served by prnr serve.*npx prnr serve/);
    await context.close();
  }, 120_000);
});
