import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './src/shared/cross-origin.ts';

const port = Number(process.env.PORT ?? 4173);

// COOP/COEP on every server of the app (src/shared/cross-origin.ts).
export default defineConfig({
  plugins: [react()],
  // Engine workers are ES modules (they import the machine's wasm by URL).
  worker: { format: 'es' },
  server: { port: 5173, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { port, host: 'localhost', headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  build: { target: 'es2022', sourcemap: true },
});
