// `npm run preview` (and the last step of `npm start`, scripts/start.mjs):
// serves the built app from dist/ on localhost and prints its URL. PORT picks
// the port (default 4173; the next free one if taken), HOST the interface
// (default localhost). SIGINT or SIGTERM closes the server and exits 0.
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { preview } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Serves dist/ until SIGINT or SIGTERM; resolves once it listens. */
export async function serve() {
  if (!existsSync(join(root, 'dist', 'index.html'))) {
    console.error('dist/ has no built app: run npm run build (npm start does both)');
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 4173);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
    process.exit(1);
  }
  const server = await preview({ root, logLevel: 'warn', preview: { port, host: process.env.HOST ?? 'localhost', strictPort: false, open: false } });
  const url = server.resolvedUrls?.local[0] ?? `http://localhost:${port}/`;
  console.log(`prnr is running at ${url}`);
  console.log('Press Ctrl+C to stop.');
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      void server.close().then(() => process.exit(0));
    });
  }
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await serve();
