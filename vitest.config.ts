// Unit and Node integration tests. E2E tests (real Chromium) have their own
// config in e2e/vitest.config.ts; `npm test` runs both (scripts/test.mjs).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts', 'wasm/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'e2e/**', 'dist/**'],
    environment: 'node',
    pool: 'forks',
    // Machine boot tests run for a while; don't cut them off.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['./test/global-setup.ts'],
  },
});
