// Recording in the browser, as a user does it: Record on /live boots a fresh
// machine under a recorder, the user types, Stop lands on /r/<id>; the
// library lists the recording, and exported it replays and verifies with
// `prnr replay`. Then a second recording, cut off by closing the page: on the
// next visit the library lists it as recovered, and it opens (and verifies)
// in recovery mode, every slice up to its last snapshot.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeOpenOptions } from '../src/engine/node/codecs';
import { InputKind } from '../src/shared/recording/format';
import { openRecording } from '../src/shared/recording/reader';
import { bytesSource } from '../src/shared/recording/source';
import { toHex } from '../src/shared/sha256';
import { launchBrowser, newAppPage } from './helpers/browser';
import { library } from './helpers/library';
import { BOOT_TIMEOUT_MS, live } from './helpers/live';
import { recording as recordingPage } from './helpers/recording';
import { saveScreenshot } from './helpers/screenshots';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'prnr-e2e-record-'));

/** `prnr replay FILE`: its output; throws unless every slice verified (exit 0). */
function prnrReplay(bytes: Uint8Array, name: string): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return execFileSync(process.execPath, [join(root, 'bin', 'prnr.js'), 'replay', path, '--jobs', '2'], { encoding: 'utf8' });
}

function typedText(bytes: Uint8Array, recovery: boolean): { id: string; typed: string; complete: boolean; slices: number; createdBy: string } {
  const rec = openRecording(bytesSource(bytes), { ...nodeOpenOptions, recovery });
  rec.verifyBlobs();
  const typed = rec.slices.flatMap((s) => s.events).filter((e) => e.kind === InputKind.console);
  return { id: toHex(rec.digest), typed: new TextDecoder().decode(Uint8Array.from(typed.flatMap((e) => [...e.data]))), complete: rec.complete, slices: rec.slices.length, createdBy: rec.header.createdBy };
}

describe('recording the live machine in the browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser();
    // One context: its pages share OPFS and IndexedDB, as the tabs of one browser profile do.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it(
    'records from boot, stops onto /r/<id>, and the exported recording verifies with prnr replay',
    async () => {
      const app = await newAppPage(context);
      await app.open('/live');
      await live.waitUntilShown(app.page);
      await app.page.getByTestId('record-button').click();
      await app.page.locator('[data-testid="record-controls"][data-state="recording"]').waitFor();
      await live.waitForTerminal(app.page, 'prnr# ');
      await live.typeLine(app.page, 'echo recorded in $((6*7)) ticks');
      await live.waitForTerminal(app.page, 'recorded in 42 ticks');
      await saveScreenshot(app.page, 'live-recording');
      const stopped = Date.now();
      await app.page.getByTestId('stop-button').click();
      await app.page.waitForURL(/\/r\/[0-9a-f]{64}/, { timeout: 60_000 }).catch(async (err: unknown) => {
        throw new Error(`Stop did not open the recording (still at ${app.page.url()}, the record controls say "${await app.page.getByTestId('record-controls').innerText()}"): ${(err as Error).message}`);
      });
      console.log(`Stop to /r/<id>: ${Date.now() - stopped} ms`);
      const id = new URL(app.page.url()).pathname.split('/')[2];

      await recordingPage.waitUntilShown(app.page);
      await app.open('/');
      await library.waitForCard(app.page, id);
      const card = (await library.cards(app.page)).find((c) => c.id === id);
      expect(card).toMatchObject({ source: 'Made in this browser' });
      const file = await library.export(app.page, id);
      expect(file.name).toMatch(/\.prnr$/);
      const seen = typedText(file.bytes, false);
      expect(seen).toMatchObject({ id, complete: true });
      expect(seen.createdBy).toMatch(/^prnr .* \(browser\)$/);
      expect(seen.typed).toContain('echo recorded in $((6*7)) ticks\r');
      const out = prnrReplay(file.bytes, 'browser.prnr');
      expect(out).toContain(`${seen.slices}/${seen.slices} slices verified`);
      await saveScreenshot(app.page, 'library-made-here');
      expect(app.errors).toEqual([]);
      await app.page.close();
    },
    BOOT_TIMEOUT_MS + 120_000,
  );

  it(
    'keeps every slice of a recording whose page was closed mid-recording: listed as recovered on the next visit, and it verifies',
    async () => {
      const app = await newAppPage(context);
      await app.open('/live');
      await live.waitUntilShown(app.page);
      await app.page.getByTestId('record-button').click();
      await live.waitForTerminal(app.page, 'prnr# ');
      await live.typeLine(app.page, 'echo cut off soon');
      await live.waitForTerminal(app.page, 'cut off soon', { count: 2 });
      // Let a few snapshots past the command be written, then close the tab without Stop.
      const typedAt = await live.tick(app.page);
      await app.page.waitForFunction(
        (after) => Number((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid="live-tick"]')?.textContent ?? 0) > after,
        Number(typedAt) + 20_000_000,
        { timeout: 60_000, polling: 200 },
      );
      // Meanwhile, in another tab, the library leaves the file being written alone (the recorder holds its Web Lock).
      const other = await newAppPage(context);
      await other.open('/');
      await library.waitUntilListed(other.page);
      expect((await library.cards(other.page)).filter((c) => c.source === 'Recovered')).toEqual([]);
      await other.page.close();
      await app.page.close();

      const again = await newAppPage(context);
      await again.open('/');
      await again.page.locator('[data-testid="recording-card"][data-source="recovered"]').waitFor({ timeout: 30_000 });
      const recovered = (await library.cards(again.page)).filter((c) => c.source === 'Recovered');
      expect(recovered).toHaveLength(1);
      const file = await library.export(again.page, recovered[0].id);
      expect(file.name).toMatch(/\.prnr\.partial$/);
      const seen = typedText(file.bytes, true);
      expect(seen).toMatchObject({ id: recovered[0].id, complete: false });
      expect(seen.slices).toBeGreaterThan(8);
      expect(seen.typed).toContain('echo cut off soon\r');
      // prnr opens a .partial in recovery mode; every slice it kept replays.
      const out = prnrReplay(file.bytes, 'closed-tab.prnr.partial');
      expect(out).toContain(`${seen.slices}/${seen.slices} slices verified`);
      await saveScreenshot(again.page, 'library-recovered');

      // It opens: the recording page reaches it by its id, and the engine opens it in recovery mode.
      await library.open(again.page, recovered[0].id);
      await recordingPage.waitUntilShown(again.page);
      expect(new URL(again.page.url()).pathname).toBe(`/r/${recovered[0].id}`);
      expect(again.errors).toEqual([]);
    },
    BOOT_TIMEOUT_MS + 120_000,
  );
});
