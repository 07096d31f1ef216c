// A pair analysed on the command line opens analysed: `prnr analyze --syscalls`
// on both diverge runs, their FILE.analysis/syscalls.json opened in the
// library, and the diff view shows prnr diff's divergences from the kept
// traces without tracing anything again. A result of another version of the
// analysis is refused with the reason.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prnr } from '../test/prnr';
import { launchBrowser, newAppPage } from './helpers/browser';
import { loadDemo, type DemoRecording } from './helpers/demo';
import { diffView, prnrDiff, type PrnrDiff } from './helpers/diff';
import { library } from './helpers/library';
import { recording } from './helpers/recording';
import { shell } from './helpers/shell';

async function analyzed(demo: DemoRecording): Promise<string> {
  const { code, stdout, stderr } = await prnr(['analyze', demo.file, '--syscalls']);
  if (code !== 0) throw new Error(`prnr analyze failed: ${stderr}`);
  // It says how to open the recording analysed here.
  expect(stdout).toContain(`to open it analysed in the browser: drop ${demo.file} and ${demo.file}.analysis on the app's library page`);
  return readFileSync(`${demo.file}.analysis/syscalls.json`, 'utf8');
}

describe('a diff of recordings analysed by prnr analyze', () => {
  let browser: Browser;
  let a: DemoRecording;
  let b: DemoRecording;
  let results: string[];
  let expected: PrnrDiff;
  beforeAll(async () => {
    a = loadDemo('diverge-a');
    b = loadDemo('diverge-b');
    [browser, ...results] = await Promise.all([launchBrowser(), analyzed(a), analyzed(b)]);
    expected = await prnrDiff(a.file, b.file);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens with both traces kept, the divergences prnr diff reports', async () => {
    const app = await newAppPage(browser);
    const { page } = app;
    // A's page seen first in this page (its kept analyses read: none yet), then back to the library.
    await app.open('/');
    await library.waitUntilListed(page);
    await library.open(page, a.id);
    await recording.waitUntilShown(page);
    await shell.goToLibrary(page);
    await library.waitUntilListed(page);
    await library.openFiles(page, results.map((text) => ({ name: 'syscalls.json', bytes: new TextEncoder().encode(text) })));
    const notice = await page.getByTestId('library-analyses-notice').innerText();
    expect(notice).toContain(`“${a.title}” opens with its syscalls analysis done`);
    expect(notice).toContain(`“${b.title}” opens with its syscalls analysis done`);

    await diffView.compareFromLibrary(page, a.id, b.id);
    await diffView.waitUntilDiffed(page, 60_000);
    expect(await page.getByTestId('diff-recording-a').getAttribute('data-state')).toBe('kept');
    expect(await page.getByTestId('diff-recording-b').getAttribute('data-state')).toBe('kept');
    expect(await diffView.divergences(page)).toEqual(expected.divergences.map(({ key, aTick, bTick }) => ({ key, aTick, bTick })));
    expect(app.errors).toEqual([]);
  }, 240_000);

  it('refuses a result of another version of the analysis, saying what to do', async () => {
    const app = await newAppPage(browser);
    await app.open('/');
    await library.waitUntilListed(app.page);
    const stale = results[0]!.replace(/"version":\d+/, '"version":1');
    await library.openFiles(app.page, [{ name: 'syscalls.json', bytes: new TextEncoder().encode(stale) }]);
    expect(await library.error(app.page)).toContain('syscalls.json does not open: syscalls.json: made by another version of the syscalls analysis (version 1');
  });
});
