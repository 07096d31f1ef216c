// Builds the app (wasm + vite build) and serves dist/ with vite preview on a
// free port for the e2e tests, which read its URL with inject('baseUrl').
// PRNR_E2E_BASE_URL=<url> tests an already running app instead (e.g. npm run dev).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.PRNR_E2E_BASE_URL;
  if (external) {
    project.provide('baseUrl', external.replace(/\/$/, ''));
    return async () => undefined;
  }
  // A child process, so the build sees NODE_ENV=production, not Vitest's NODE_ENV=test.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url))], { stdio: 'inherit', env });
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env });
  const server: PreviewServer = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url.replace(/\/$/, ''));
  return async () => {
    await server.close();
  };
}
