import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const port = Number(process.env.PORT ?? 4173);

/**
 * Cross-origin isolation (DESIGN.md 8): with these two headers the page and its
 * workers get SharedArrayBuffer, so a recording is shared with the replay
 * workers without a copy each. Every server of the app sends them: `npm run
 * dev` (server), `npm run preview` and `npm start` (preview, scripts/serve.mjs)
 * and the e2e tests' server (e2e/global-setup.ts).
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  // Engine workers are ES modules (they import the machine's wasm by URL).
  worker: { format: 'es' },
  server: { port: 5173, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { port, host: 'localhost', headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  build: { target: 'es2022', sourcemap: true },
});
