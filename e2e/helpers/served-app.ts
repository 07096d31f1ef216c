// A suite's prnr serve (src/server) over the built app, on a free loopback
// port with a data directory of its own, and a browser to open it: started
// before the suite's tests and stopped after them. `open` goes to a path of
// the server and waits for the recording page; every failed request and page
// error of the pages it opened is in `problems`, for a test to assert none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server';
import { launchBrowser } from './browser';
import { recording } from './recording';

export interface ServedApp {
  readonly server: RunningServer;
  readonly browser: Browser;
  readonly problems: string[];
  open(page: Page, path: string): Promise<void>;
}

/** Registers the suite's beforeAll/afterAll; the data directory's name starts with `prefix`. */
export function servedApp(prefix: string): ServedApp {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
    server = await startServer({ dataDir, port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const problems: string[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the served app is used before its suite started it');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    problems,
    async open(page, path) {
      page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(new URL(path, started(server).url).href);
      await recording.waitUntilShown(page);
    },
  };
}
