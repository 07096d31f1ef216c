import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const port = Number(process.env.PORT ?? 4173);

export default defineConfig({
  plugins: [react()],
  // Engine workers are ES modules (they import the machine's wasm by URL).
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port, host: 'localhost' },
  build: { target: 'es2022', sourcemap: true },
});
