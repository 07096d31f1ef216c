// The routes under /api (docs/design.md 6; contract in src/shared/server-api.ts).
// Every failure answers {"error": "<one sentence>"} with a 4xx (the store's
// own trouble, a 500, says less and is logged). Ids are checked against the
// id pattern before anything looks them up; nothing in a request names a file.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorCode, errorMessage } from '../shared/errors';
import { MAX_JSON_BYTES, MAX_PARTIAL_BYTES, RECORDING_ID, RECORDINGS_PATH, shareLinkPath, type SharedRecording, type UploadAnswer } from '../shared/server-api';
import { parseRange } from './http-range';
import { parsePartialKey, type AnalysisStore } from './analyses';
import type { NoteStore } from './notes';
import type { PackStore } from './packs';
import type { RecordingStore } from './recordings';

export interface ApiDeps {
  recordings: RecordingStore;
  notes: NoteStore;
  analyses: AnalysisStore;
  packs: PackStore;
  maxUploadBytes: number;
  /** An upload whose body stops coming for this long is dropped (408). */
  uploadIdleMs: number;
}

/** A failure the client can act on: its status and one sentence. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_TITLE = 200;
/** Uploads received or checked at once; more are 503. */
export const MAX_UPLOADS_IN_FLIGHT = 16;

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

function notFound(id: string): HttpError {
  return new HttpError(404, `no recording ${id.slice(0, 80)} on this server`);
}

/** Reads the body into `path`, refusing more than `limit` bytes (413) and a body that stops coming for `idleMs` (408). */
async function receive(request: FastifyRequest, path: string, limit: number, idleMs: number): Promise<void> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limit) throw new HttpError(413, `a recording is at most ${limit} bytes; this one is ${declared}`);
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      idle.refresh();
      seen += chunk.length;
      if (seen > limit) done(new HttpError(413, `a recording is at most ${limit} bytes`));
      else done(null, chunk);
    },
  });
  // Refreshed by every chunk (the transform runs only once the pipeline below starts).
  const idle = setTimeout(() => limiter.destroy(new HttpError(408, `the upload sent nothing for ${idleMs / 1000} s after ${seen} bytes`)), idleMs);
  const body = request.body instanceof Readable ? request.body : Readable.from([]);
  try {
    await pipeline(body, limiter, createWriteStream(path, { flags: 'wx' }));
  } finally {
    clearTimeout(idle);
  }
}

function titleOf(query: unknown): string | undefined {
  const title = (query as { title?: unknown }).title;
  if (title === undefined) return undefined;
  if (typeof title !== 'string' || title.trim().length === 0 || title.length > MAX_TITLE) throw new HttpError(400, `?title= is a non-empty text of at most ${MAX_TITLE} characters`);
  return title.trim();
}

export function registerApi(app: FastifyInstance, deps: ApiDeps): void {
  const { recordings, notes, analyses } = deps;
  const withUrl = (request: FastifyRequest, r: Omit<SharedRecording, 'url'>): SharedRecording => ({ ...r, url: origin(request) + shareLinkPath(r.id) });
  const recordingOf = (id: string) => {
    const r = RECORDING_ID.test(id) ? recordings.get(id) : undefined;
    if (!r) throw notFound(id);
    return r;
  };

  // Uploads: the body is a stream to a temporary file, checked and stored from there.
  void app.register(async (upload) => {
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    let receiving = 0;
    upload.post(RECORDINGS_PATH, async (request, reply) => {
      const title = titleOf(request.query);
      // Each upload in flight holds up to the size limit in tmp/: so many at once, no more.
      if (receiving >= MAX_UPLOADS_IN_FLIGHT) {
        reply.header('connection', 'close').header('retry-after', '5');
        throw new HttpError(503, `${MAX_UPLOADS_IN_FLIGHT} uploads are under way; try again in a moment`);
      }
      receiving++;
      try {
        const tmp = deps.packs.tmpPath('upload');
        try {
          await receive(request, tmp, deps.maxUploadBytes, deps.uploadIdleMs);
        } catch (err) {
          await rm(tmp, { force: true });
          reply.header('connection', 'close');
          throw err;
        }
        const stored = await recordings.ingest(tmp, title);
        const answer: UploadAnswer = { id: stored.id, url: origin(request) + shareLinkPath(stored.id), storedBytes: stored.storedBytes };
        return reply.code(201).send(answer);
      } finally {
        receiving--;
      }
    });
  });

  void app.register(async (api) => {
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_JSON_BYTES }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new HttpError(400, 'the body is not JSON'), undefined);
      }
    });
    // A partial's JSON is kept as text, exactly as sent.
    api.addContentTypeParser('application/x-prnr-partial+json', { parseAs: 'string', bodyLimit: MAX_PARTIAL_BYTES }, (_request, body, done) => done(null, body));

    // ?id= lists that one recording or none: asking whether the server keeps one is not a 404 (the app asks on every page).
    api.get<{ Querystring: { id?: string } }>(RECORDINGS_PATH, async (request) => {
      const { id } = request.query;
      if (id === undefined) return recordings.list().map((r) => withUrl(request, r));
      const r = typeof id === 'string' && RECORDING_ID.test(id) ? recordings.get(id) : undefined;
      return r ? [withUrl(request, r)] : [];
    });

    api.get<{ Params: { id: string } }>(`${RECORDINGS_PATH}/:id`, async (request) => withUrl(request, recordingOf(request.params.id)));

    api.get<{ Params: { id: string } }>(`${RECORDINGS_PATH}/:id/file`, async (request, reply) => {
      const r = recordingOf(request.params.id);
      const range = parseRange(request.headers.range, r.bytes);
      reply.header('accept-ranges', 'bytes');
      if (range.kind === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${r.bytes}`).send({ error: `the range ${request.headers.range} lies outside the file's ${r.bytes} bytes` });
      reply.header('content-type', 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').header('etag', `"${r.id}"`);
      const [start, end] = range.kind === 'range' ? [range.start, range.end] : [0, r.bytes];
      if (range.kind === 'range') reply.code(206).header('content-range', `bytes ${start}-${end - 1}/${r.bytes}`);
      reply.header('content-length', end - start);
      return reply.send(Readable.from(recordings.read(r.id, start, end)));
    });

    api.get<{ Params: { id: string } }>(`${RECORDINGS_PATH}/:id/notes`, async (request) => {
      recordingOf(request.params.id);
      return notes.list(request.params.id);
    });

    api.post<{ Params: { id: string } }>(`${RECORDINGS_PATH}/:id/notes`, async (request, reply) => {
      const r = recordingOf(request.params.id);
      if (request.body === undefined) throw new HttpError(400, 'a note is a JSON body {"author", "text", "tick"} sent as application/json');
      const { note, added } = notes.add(r.id, BigInt(r.ticks), request.body);
      return reply.code(added ? 201 : 200).send(note);
    });

    type PartialRoute = { Params: { id: string; dimension: string; slice: string }; Querystring: Record<string, unknown> };
    const partialKey = (request: FastifyRequest<PartialRoute>) => {
      const r = recordingOf(request.params.id);
      return { r, key: parsePartialKey(request.params.dimension, request.params.slice, request.query, r.slices) };
    };
    api.get<PartialRoute>(`${RECORDINGS_PATH}/:id/analyses/:dimension/:slice`, async (request, reply) => {
      const { r, key } = partialKey(request);
      const json = analyses.get(r.id, key);
      if (json === undefined) throw new HttpError(404, `no ${key.dimension} partial of slice ${key.slice} stored for these parameters`);
      return reply.header('content-type', 'application/json').header('cache-control', 'public, max-age=31536000, immutable').send(json);
    });
    api.put<PartialRoute>(`${RECORDINGS_PATH}/:id/analyses/:dimension/:slice`, async (request, reply) => {
      const { r, key } = partialKey(request);
      if (typeof request.body !== 'string') throw new HttpError(415, 'a partial is sent as application/x-prnr-partial+json');
      const added = analyses.put(r.id, key, request.body);
      return reply.code(added ? 201 : 200).send({ stored: added });
    });

    api.all('/api/*', async (request) => {
      throw new HttpError(404, `no API at ${request.method} ${request.url.slice(0, 120)}`);
    });
  });
}

/** Status and message of an error thrown by a route: the client's mistakes 4xx with their sentence, anything else a 500. */
export function errorAnswer(err: unknown): { status: number; error: string } {
  if (err instanceof HttpError) return { status: err.statusCode, error: err.message };
  // By code, not class: the upload worker's errors cross a thread (STYLE.md).
  const code = errorCode(err);
  if (code === 'RECORDING_TOO_LARGE') return { status: 413, error: errorMessage(err) };
  if (code?.startsWith('RECORDING_') || code?.startsWith('BAD_')) return { status: 400, error: errorMessage(err) };
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, error: (err as Error).message };
  return { status: 500, error: 'the server failed to answer this request (see its log)' };
}
