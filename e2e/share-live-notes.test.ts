// A team on one prnr serve: the library lists what the server keeps and opens
// it by ranges; two colleagues on one link see each other's notes appear
// without reloading; a note written while the server is down is kept, marked
// unsent, and reaches the server once it is back. The server is prnr serve's
// (src/server) over the built app, in this process, stopped and started again
// on its port.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/server';
import type { SharedNote } from '../src/shared/server-api';
import { prnr } from '../test/prnr';
import { launchBrowser } from './helpers/browser';
import { loadDemo, type DemoRecording } from './helpers/demo';
import { notes } from './helpers/notes';
import { recording, recordingLink } from './helpers/recording';

describe('a team on prnr serve', () => {
  let browser: Browser;
  let server: RunningServer;
  let port: number;
  let dataDir: string;
  let demo: DemoRecording;
  /** A recording made with prnr record: no demo, so a page has it from the server only. */
  let made: { id: string; bytes: Uint8Array };
  const contexts: BrowserContext[] = [];

  const start = async () => {
    server = await startServer({ dataDir, port, host: '127.0.0.1' });
    port = Number(new URL(server.url).port);
  };
  const upload = async (bytes: Uint8Array, title: string) => {
    const response = await fetch(new URL(`/api/recordings?title=${encodeURIComponent(title)}`, server.url), { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const serverNotes = async (id: string) => ((await (await fetch(new URL(`/api/recordings/${id}/notes`, server.url))).json()) as SharedNote[]).map((n) => [n.tick, n.author, n.text]);
  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    return page;
  };

  beforeAll(async () => {
    demo = loadDemo('fork-and-pipe');
    dataDir = mkdtempSync(join(tmpdir(), 'prnr-e2e-team-'));
    const file = join(dataDir, 'made.prnr');
    const recorded = await prnr(['record', '--cmd', 'echo shared-by-ranges', '-o', file]);
    expect(recorded.code, recorded.stderr).toBe(0);
    port = 0;
    await start();
    made = { bytes: new Uint8Array(readFileSync(file)), id: '' };
    made.id = await upload(made.bytes, 'Made with prnr record');
    await upload(demo.bytes, demo.title);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the server\'s recordings in the library and opens one from there by ranges', async () => {
    const page = await newPage();
    const fileRequests: Array<string | undefined> = [];
    page.on('request', (r) => r.url().includes(`/api/recordings/${made.id}/file`) && fileRequests.push(r.headers().range));
    await page.goto(server.url);
    const section = page.getByTestId('library-server');
    await section.waitFor();
    const cards = section.locator('[data-testid="recording-card"][data-source="server"]');
    await expect.poll(() => cards.count()).toBe(2);
    // Newest first, as the server lists them.
    expect(await cards.evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-recording-id')))).toEqual([demo.id, made.id]);
    expect(await section.locator('h2 .count').innerText()).toBe('2');
    const card = section.locator(`[data-recording-id="${made.id}"]`);
    expect(await card.getByTestId('recording-source').innerText()).toBe('On this server');
    await card.getByTestId('open-recording').click();
    await recording.waitUntilShown(page);
    expect(await recording.id(page)).toBe(made.id);
    // Read by ranges: every request for the file asked for some of it, the first for its tail.
    expect(fileRequests.length).toBeGreaterThan(0);
    expect(fileRequests.every((range) => range !== undefined)).toBe(true);
    expect(fileRequests[0]).toMatch(/^bytes=-\d+$/);
  }, 120_000);

  it('keeps what a link fetched in this browser, so opening it again asks the server for nothing', async () => {
    const page = await newPage();
    const fileRequests: string[] = [];
    page.context().on('request', (r) => r.url().includes(`/api/recordings/${made.id}/file`) && fileRequests.push(r.url()));
    const link = new URL(recordingLink({ id: made.id }), server.url).href;
    await page.goto(link);
    await recording.waitUntilShown(page);
    expect(fileRequests.length).toBeGreaterThan(0);
    // Kept once the page has read all of it (in idle time after the first frame).
    const keptBytes = () => page.evaluate(`navigator.storage.getDirectory().then((root) => root.getDirectoryHandle('links')).then((dir) => dir.getFileHandle('${made.id}.prnr')).then((h) => h.getFile()).then((f) => f.size, () => 0)`);
    await expect.poll(keptBytes, { timeout: 30_000 }).toBe(made.bytes.length);
    fileRequests.length = 0;
    const again = await page.context().newPage();
    await again.goto(link);
    await recording.waitUntilShown(again);
    expect(await recording.id(again)).toBe(made.id);
    expect(fileRequests).toEqual([]);
  }, 120_000);

  it('lists a server with many recordings a page at a time', async () => {
    // 30 recordings as the server would list them (ids of no real one: listing them opens nothing).
    const [real] = (await (await fetch(new URL('/api/recordings', server.url))).json()) as Array<Record<string, unknown>>;
    const many = Array.from({ length: 30 }, (_, i) => ({ ...real, id: i.toString(16).padStart(64, '0'), title: `Recording ${i + 1}` }));
    const asked: string[] = [];
    const page = await newPage();
    await page.context().route((url) => url.pathname === '/api/recordings' && url.searchParams.has('limit'), (route) => {
      const url = new URL(route.request().url());
      asked.push(url.search);
      const [limit, offset] = [Number(url.searchParams.get('limit')), Number(url.searchParams.get('offset'))];
      return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'x-total-count': String(many.length) }, body: JSON.stringify(many.slice(offset, offset + limit)) });
    });
    await page.goto(server.url);
    const section = page.getByTestId('library-server');
    const cards = section.getByTestId('recording-card');
    await expect.poll(() => cards.count()).toBe(24);
    expect(await section.locator('h2 .count').innerText()).toBe('30');
    const more = section.getByTestId('library-server-more');
    expect(await more.innerText()).toBe('Show 6 more of 6');
    await more.click();
    await expect.poll(() => cards.count()).toBe(30);
    expect(await more.count()).toBe(0);
    expect(await cards.last().getByTestId('recording-link').innerText()).toBe('Recording 30');
    expect(asked).toEqual(['?limit=24&offset=0', '?limit=24&offset=24']);
  }, 60_000);

  it('says in one line when the server does not answer the list, and shows nothing where the page has no prnr server', async () => {
    const down = await newPage();
    await down.context().route((url) => url.pathname === '/api/recordings', (route) => route.abort('connectionrefused'));
    await down.goto(server.url);
    const error = down.getByTestId('library-server-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/^This server's recordings could not be listed: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    expect(await down.locator('[data-testid="recording-card"][data-source="server"]').count()).toBe(0);

    // The API answering as vite preview or a static host does (the app's HTML): no section, no error.
    const bare = await newPage();
    await bare.context().route((url) => url.pathname.startsWith('/api/'), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html>' }));
    await bare.goto(server.url);
    await bare.getByTestId('library-demos').waitFor();
    await bare.waitForLoadState('networkidle');
    expect(await bare.getByTestId('library-server').count()).toBe(0);
    expect(await bare.getByTestId('library-server-error').count()).toBe(0);
  }, 60_000);

  it('shows a colleague\'s note on the other\'s timeline without a reload', async () => {
    const link = recordingLink({ id: demo.id, t: 30_000_123n, view: 'registers' });
    const [a, b] = [await newPage(), await newPage()];
    for (const page of [a, b]) {
      await page.goto(new URL(link, server.url).href);
      await recording.waitUntilShown(page);
    }
    expect(await notes.marks(b)).toEqual([]);
    await notes.add(a, 'ada', 'the <i>pipe</i> opens here');
    // Sent at once, and polled for by the other page.
    await expect.poll(() => serverNotes(demo.id), { timeout: 10_000 }).toEqual([['30000123', 'ada', 'the <i>pipe</i> opens here']]);
    await notes.waitForCount(b, 1, 20_000);
    expect(await notes.marks(b)).toEqual(['30000123']);
    expect(await notes.listed(b)).toEqual([{ tick: '30000123', author: 'ada', text: 'the <i>pipe</i> opens here' }]);
    expect(await b.locator('[data-testid="note-text-shown"] i').count()).toBe(0);
    expect(await a.locator('[data-testid="note-item"]').getAttribute('data-sent')).toBe('true');
    // And back: B's answer reaches A.
    await notes.add(b, 'bo', 'and closes here');
    await notes.waitForCount(a, 2, 20_000);
    expect((await notes.listed(a)).map((n) => n.author)).toEqual(['ada', 'bo']);
  }, 120_000);

  it('keeps a note written while the server is down, marked unsent, and sends it when the server is back', async () => {
    const page = await newPage();
    await page.goto(new URL(recordingLink({ id: demo.id, t: 40_000_000n }), server.url).href);
    await recording.waitUntilShown(page);
    await notes.waitForCount(page, 2, 20_000);
    await server.close();

    await notes.add(page, 'cy', 'written offline');
    const offline = page.locator('[data-testid="note-item"][data-tick="40000000"]');
    expect(await offline.getAttribute('data-sent')).toBe('false');
    await offline.getByTestId('note-unsent').waitFor();
    await expect.poll(() => page.getByTestId('share-notes-problem').innerText().catch(() => ''), { timeout: 20_000 }).toMatch(/does not answer/);

    await start();
    await expect.poll(() => serverNotes(demo.id), { timeout: 40_000 }).toContainEqual(['40000000', 'cy', 'written offline']);
    await expect.poll(() => offline.getAttribute('data-sent'), { timeout: 10_000 }).toBe('true');
    expect(await offline.getByTestId('note-unsent').count()).toBe(0);
    expect(await page.getByTestId('share-notes-problem').count()).toBe(0);
    // Kept once, in this browser and on the server.
    expect((await serverNotes(demo.id)).filter((n) => n[2] === 'written offline')).toHaveLength(1);
    expect((await notes.listed(page)).filter((n) => n.text === 'written offline')).toHaveLength(1);
  }, 120_000);
});
