// End-to-end tests: the built app (vite build + vite preview on a free port)
// driven in headless Chromium through playwright-core. `npm run test:e2e`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // One browser per file; files run one after another so Chromium instances don't compete.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./e2e/global-setup.ts'],
  },
});
