// `prnr serve` (docs/design.md 6): one process that serves the built app
// (dist/, with the cross-origin isolation headers every server of the app
// sends; any other path that is not a file gets index.html, so /r/<id> links
// open in the app) and the API (api.ts) over the data directory:
//
//   DIR/prnr.db (+ -wal, -shm)   metadata, SQLite in WAL mode (db.ts)
//   DIR/packs/<sha256>.pack      content-addressed pieces of recordings (packs.ts, recordings.ts)
//   DIR/tmp/                     uploads being received and packs being written; emptied at start
//
// At start, anything a crash left half-done is removed before the first
// request: tmp/ and every pack no committed transaction names.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../shared/cross-origin';
import { startComlinkWorker } from '../engine/node/comlink-worker';
import { AnalysisStore } from './analyses';
import { PartialVerifier } from './verify';
import { inThreadUploads, type UploadWorkerApi } from './check-upload';
import { errorAnswer, registerApi } from './api';
import { openDatabase } from './db';
import { NoteStore } from './notes';
import { PackStore } from './packs';
import { RecordingStore } from './recordings';

export const DEFAULT_PORT = 4173;
export const DEFAULT_DATA_DIR = 'prnr-data';
/** Largest upload by default: 1 GiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1 << 30;

export interface ServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** The built app to serve (default dist/ of this checkout); none: the API only. */
  appDir?: string | null;
  maxUploadBytes?: number;
  /** Log requests (fastify's logger) to stdout. */
  log?: boolean;
  /** An upload whose body stops coming for this long is dropped (default 60 s). */
  uploadIdleMs?: number;
  /** Check uploads on the server's own thread instead of a worker thread. */
  uploadsInThread?: boolean;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  /** Files recovery removed at start (relative to the data directory). */
  recovered: string[];
  close(): Promise<void>;
}

export const defaultAppDir = () => resolve(import.meta.dirname, '..', '..', 'dist');

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'prnr.db'));
  const packs = new PackStore(dataDir);
  // Uploads are checked and packed on a worker thread; in-thread where a caller asks (tests of the store itself).
  const uploadWorker = options.uploadsInThread ? undefined : startComlinkWorker<UploadWorkerApi>(new URL('./upload.worker.ts', import.meta.url), 'upload');
  const recordings = new RecordingStore(db, packs, uploadWorker?.api ?? inThreadUploads, dataDir);
  const recovered = packs.recover(recordings.packNames());

  const app = fastify({ logger: options.log ?? false, bodyLimit: 1 << 16, forceCloseConnections: true });
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(CROSS_ORIGIN_ISOLATION_HEADERS);
  });
  app.setErrorHandler((err, request, reply) => {
    const { status, error } = errorAnswer(err);
    if (status >= 500) request.log.error(err);
    return reply.code(status).send({ error });
  });
  // Partials the server derives itself (settling disputes) replay on a worker thread of their own, started when first needed.
  const verifier = new PartialVerifier(async (id) => {
    const r = recordings.get(id);
    if (!r) throw new Error(`no recording ${id}`);
    const chunks: Buffer[] = [];
    for await (const chunk of recordings.read(id, 0, r.bytes)) chunks.push(chunk);
    return new Uint8Array(Buffer.concat(chunks));
  });
  registerApi(app, { recordings, notes: new NoteStore(db), analyses: new AnalysisStore(db), verifier, packs, maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, uploadIdleMs: options.uploadIdleMs ?? 60_000 });

  const appDir = options.appDir === undefined ? defaultAppDir() : options.appDir;
  if (appDir !== null) {
    if (!existsSync(join(appDir, 'index.html'))) throw new Error(`${appDir} has no built app (index.html): run npm run build first`);
    await app.register(fastifyStatic, { root: appDir, wildcard: true, index: 'index.html' });
  }
  // The app's routes (/r/<id>, /live) are the app's page; /api answers for itself.
  app.setNotFoundHandler((request, reply) => {
    if (appDir !== null && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ error: `nothing at ${request.method} ${request.url.slice(0, 120)}` });
  });

  try {
    await app.listen({ port: options.port ?? DEFAULT_PORT, host: options.host ?? 'localhost' });
  } catch (err) {
    await uploadWorker?.close();
    db.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === undefined || options.host === '0.0.0.0' ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    app,
    recovered,
    async close() {
      await app.close();
      await verifier.close();
      await uploadWorker?.close();
      await packs.close();
      db.close();
    },
  };
}
