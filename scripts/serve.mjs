// `npm run preview` (and the last step of `npm start`, scripts/start.mjs):
// serves the built app from dist/ with its API (the same server as `npx prnr
// serve`, src/server/server.ts: share links, uploads, notes, analyses), keeping
// shared recordings in PRNR_DATA (default ./prnr-data), and prints its URL.
// PORT picks the port (default 4173; the next free one if taken), HOST the
// interface (default localhost). SIGINT or SIGTERM closes the server and exits 0.
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Ports tried after PORT when it is taken. */
const MORE_PORTS = 10;

/** Serves dist/ and the API until SIGINT or SIGTERM; resolves once it listens. */
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
  register();
  const { startServer } = await import('../src/server/server.ts');
  const options = { dataDir: process.env.PRNR_DATA ?? 'prnr-data', host: process.env.HOST ?? 'localhost', appDir: join(root, 'dist') };
  let server;
  for (let p = port; !server; p++) {
    try {
      server = await startServer({ ...options, port: p });
    } catch (err) {
      if (err.code !== 'EADDRINUSE' || port === 0 || p >= port + MORE_PORTS) throw err;
    }
  }
  console.log(`prnr is running at ${server.url}`);
  console.log('Press Ctrl+C to stop.');
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      void server.close().then(() => process.exit(0));
    });
  }
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await serve();
