/**
 * Cross-origin isolation (docs/design.md 6, 8): with these two headers the page and its
 * workers get SharedArrayBuffer, so a recording is shared with the replay
 * workers without a copy each. Every server of the app sends them: `npm run
 * dev` and `npm run preview` (vite.config.ts), `npm start` and `prnr serve`
 * (src/server/server.ts) and the e2e tests' server (e2e/global-setup.ts).
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;
