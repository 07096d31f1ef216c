// The library in Chromium, as a user meets it: the demo recordings listed
// from public/demos, a recording made with the CLI opened through the file
// picker (and by dropping it on the page) under the same id the CLI gives
// it, once however often it is opened, kept across reloads, exported byte for
// byte, deleted; a damaged or foreign file refused with the reader's message.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeOpenOptions } from '../src/engine/node/codecs';
import { parseDemoManifest } from '../src/shared/demo-manifest';
import { openRecording } from '../src/shared/recording/reader';
import { bytesSource } from '../src/shared/recording/source';
import { toHex } from '../src/shared/sha256';
import { launchBrowser, newAppPage } from './helpers/browser';
import { library } from './helpers/library';
import { recording as recordingPage } from './helpers/recording';
import { saveScreenshot } from './helpers/screenshots';

const root = join(import.meta.dirname, '..');
const demos = parseDemoManifest(readFileSync(join(root, 'public', 'demos', 'manifest.json'), 'utf8')).demos;
const work = mkdtempSync(join(tmpdir(), 'prnr-e2e-library-'));

/** A recording made as a user makes one: prnr record. */
function cliRecording(): Uint8Array {
  const out = join(work, 'cli.prnr');
  execFileSync(process.execPath, [join(root, 'bin', 'prnr.js'), 'record', '--seed', '42', '--cmd', 'echo made by the CLI', '-o', out], { stdio: 'ignore' });
  return new Uint8Array(readFileSync(out));
}

/** What the reader says about `bytes`, every blob read (as the library opens a file): its digest, or its error message. */
function readerVerdict(bytes: Uint8Array): { id?: string; error?: string } {
  try {
    const rec = openRecording(bytesSource(bytes), nodeOpenOptions);
    rec.verifyBlobs();
    return { id: toHex(rec.digest) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('the recordings library', () => {
  let browser: Browser;
  let recording: Uint8Array;
  let id: string;
  beforeAll(async () => {
    [browser, recording] = await Promise.all([launchBrowser(), Promise.resolve().then(cliRecording)]);
    id = readerVerdict(recording).id!;
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('lists every demo recording of public/demos by its id, in a cross-origin isolated page', async () => {
    const app = await newAppPage(browser);
    const opened = Date.now();
    await app.open('/');
    await library.waitUntilListed(app.page);
    console.log(`page open to the library listed: ${Date.now() - opened} ms`);
    const cards = await library.cards(app.page);
    expect(cards.map((c) => c.id)).toEqual(demos.map((d) => d.id));
    for (const [i, demo] of demos.entries()) {
      expect(cards[i]).toMatchObject({ source: 'Demo', title: demo.title });
      const seconds = (Number(demo.ticks) / 1e8).toFixed(2);
      expect(cards[i].duration).toBe(`${seconds} s guest ${BigInt(demo.ticks).toLocaleString('en-US')} ticks`);
      expect(cards[i].size).toContain(`${(demo.bytes / 1e6).toFixed(2)} MB`);
    }
    expect(await library.emptyMessage(app.page)).toContain('No recordings yet');
    // COOP/COEP (vite.config.ts): the page may share memory with its workers.
    expect(await app.page.evaluate(() => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated)).toBe(true);
    expect(await app.page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
    await saveScreenshot(app.page, 'library-demos');
    expect(app.errors).toEqual([]);
  });

  it('opens a demo from its card on the recording page, which the engine opens under the same id', async () => {
    const app = await newAppPage(browser);
    await app.open('/');
    await library.waitUntilListed(app.page);
    const demo = demos[0];
    const clicked = Date.now();
    await library.open(app.page, demo.id);
    await recordingPage.waitUntilShown(app.page);
    console.log(`demo card to recording page shown: ${Date.now() - clicked} ms`);
    expect(new URL(app.page.url()).pathname).toBe(`/r/${demo.id}`);
    expect(await recordingPage.id(app.page)).toContain(demo.id.slice(0, 12));
    await saveScreenshot(app.page, 'recording-page-demo');
    expect(app.errors).toEqual([]);
  });

  it('exports a demo as the recording its manifest names', async () => {
    const app = await newAppPage(browser);
    await app.open('/');
    await library.waitUntilListed(app.page);
    const demo = demos[1];
    const file = await library.export(app.page, demo.id);
    expect(file.name).toMatch(/\.prnr$/);
    expect(file.bytes.length).toBe(demo.bytes);
    expect(readerVerdict(file.bytes).id).toBe(demo.id);
    expect(app.errors).toEqual([]);
  });

  it('opens a CLI recording through the file picker under its digest, once however often, and keeps it across a reload', async () => {
    const context = await browser.newContext();
    const app = await newAppPage(context);
    await app.open('/');
    await library.waitUntilListed(app.page);
    await library.openFiles(app.page, [{ name: 'made-by-cli.prnr', bytes: recording }]);
    await library.waitForCard(app.page, id);
    expect(await library.notice(app.page)).toContain('Opened made-by-cli.prnr');
    const card = (await library.cards(app.page)).find((c) => c.id === id);
    expect(card).toMatchObject({ source: 'Opened file', title: 'made-by-cli' });

    await library.openFiles(app.page, [{ name: 'same-again.prnr', bytes: recording }]);
    await app.page.getByText('same-again.prnr is already in the library').waitFor();
    expect((await library.cards(app.page)).filter((c) => c.id === id)).toHaveLength(1);

    await app.page.reload();
    await library.waitForCard(app.page, id);
    const exported = await library.export(app.page, id);
    expect(Buffer.from(exported.bytes).equals(Buffer.from(recording))).toBe(true);
    await saveScreenshot(app.page, 'library-opened');

    await library.delete(app.page, id);
    await app.page.reload();
    await library.waitUntilListed(app.page);
    expect((await library.cards(app.page)).some((c) => c.id === id)).toBe(false);
    expect(app.errors).toEqual([]);
    await context.close();
  });

  it('opens a .prnr file dropped on the page', async () => {
    const app = await newAppPage(browser);
    await app.page.route('**/e2e/dropped.prnr', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(recording) }));
    await app.open('/');
    await library.waitUntilListed(app.page);
    await library.dropFile(app.page, '/e2e/dropped.prnr', 'dropped.prnr');
    await library.waitForCard(app.page, id);
    expect((await library.cards(app.page)).find((c) => c.id === id)).toMatchObject({ source: 'Opened file', title: 'dropped' });
    expect(app.errors).toEqual([]);
  });

  it("refuses a damaged, a cut and a newer-version file, each with the reader's own message", async () => {
    const damaged = recording.slice();
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    const cut = recording.slice(0, recording.length - 1000);
    const newer = recording.slice();
    new DataView(newer.buffer).setUint32(8, 3, true);
    const files = [
      { name: 'damaged.prnr', bytes: damaged },
      { name: 'cut.prnr', bytes: cut },
      { name: 'newer.prnr', bytes: newer },
    ];
    const expected = files.map((f) => readerVerdict(f.bytes).error);
    expect(expected.every((e) => e !== undefined)).toBe(true);
    expect(expected[2]).toContain('format version 3');

    const app = await newAppPage(browser);
    await app.open('/');
    await library.waitUntilListed(app.page);
    await library.openFiles(app.page, files);
    const text = await library.error(app.page);
    for (const [i, f] of files.entries()) expect(text).toContain(`${f.name} does not open: ${expected[i]}`);
    expect((await library.cards(app.page)).filter((c) => c.source !== 'Demo')).toEqual([]);
    await saveScreenshot(app.page, 'library-errors');
  });
});
