// Launches the system Chromium (playwright-core downloads no browsers) and
// opens the app under test. Every page records uncaught errors and console
// errors so a test can assert the app ran cleanly.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) throw new Error('Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH');
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

export interface AppPage {
  page: Page;
  /** Uncaught exceptions, console.error messages and failed requests seen so far. */
  errors: string[];
  /** Navigates to a path of the app, e.g. '/' or '/r/demo?t=5'. */
  open(path: string): Promise<void>;
}

/** A page of the app in a fresh context (`browser`), or in `context`, whose pages share their storage (OPFS, IndexedDB). */
export async function newAppPage(browser: Browser | BrowserContext): Promise<AppPage> {
  const baseUrl = inject('baseUrl');
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  return {
    page,
    errors,
    async open(path) {
      await page.goto(baseUrl + path);
    },
  };
}
