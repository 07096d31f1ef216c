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
import { randomBytes } from 'node:crypto';
import { analysesPath, MAX_JSON_BYTES, MAX_LIST_LIMIT, MAX_PARTIAL_BYTES, MULTIPART_RANGES_HEADER, PARTIAL_CONTENT_TYPE, RECORDING_ID, RECORDINGS_PATH, shareLinkPath, TOTAL_COUNT_HEADER, VERIFIED_HEADER, type PartialAnswer, type SharedAnalysis, type SharedRecording, type UploadAnswer } from '../shared/server-api';
import { multipartRanges, parseRange } from './http-range';
import { parsePartialKey, type AnalysisStore } from './analyses';
import type { NoteStore } from './notes';
import type { PartialVerifier } from './verify';
import type { PackStore } from './packs';
import type { RecordingStore } from './recordings';

export interface ApiDeps {
  recordings: RecordingStore;
  notes: NoteStore;
  analyses: AnalysisStore;
  /** Derives partials on the server, to settle disputes and answer ?verify=1. */
  verifier: PartialVerifier;
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

/** A non-negative whole number from the query, `fallback` when absent; 400 otherwise. */
function countOf(query: unknown, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = (query as Record<string, unknown>)[name];
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!(n <= max)) throw new HttpError(400, `?${name}= is a whole number from 0 to ${max}`);
  return n;
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
    api.addContentTypeParser(PARTIAL_CONTENT_TYPE, { parseAs: 'string', bodyLimit: MAX_PARTIAL_BYTES }, (_request, body, done) => done(null, body));

    // ?id= lists that one recording or none: asking whether the server keeps one is not a 404 (the app asks on every page).
    // ?limit=&offset= a page of them, newest first; the header says how many there are in all.
    api.get<{ Querystring: { id?: string } }>(RECORDINGS_PATH, async (request, reply) => {
      const { id } = request.query;
      if (id === undefined) {
        const limit = countOf(request.query, 'limit', Number.MAX_SAFE_INTEGER, MAX_LIST_LIMIT);
        const offset = countOf(request.query, 'offset', 0);
        reply.header(TOTAL_COUNT_HEADER, recordings.count());
        return recordings.list(limit, offset).map((r) => withUrl(request, r));
      }
      const r = typeof id === 'string' && RECORDING_ID.test(id) ? recordings.get(id) : undefined;
      return r ? [withUrl(request, r)] : [];
    });

    api.get<{ Params: { id: string } }>(`${RECORDINGS_PATH}/:id`, async (request) => withUrl(request, recordingOf(request.params.id)));

    api.get<{ Params: { id: string } }>(`${RECORDINGS_PATH}/:id/file`, async (request, reply) => {
      const r = recordingOf(request.params.id);
      const range = parseRange(request.headers.range, r.bytes);
      reply.header('accept-ranges', 'bytes').header(MULTIPART_RANGES_HEADER, 'multipart');
      if (range.kind === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${r.bytes}`).send({ error: `the range ${request.headers.range} lies outside the file's ${r.bytes} bytes` });
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', `"${r.id}"`);
      if (range.kind === 'ranges' && range.ranges.length > 1) {
        const parts = multipartRanges(range.ranges, r.bytes, randomBytes(12).toString('hex'), (start, end) => recordings.read(r.id, start, end));
        reply.code(206).header('content-type', parts.contentType).header('content-length', parts.length);
        return reply.send(Readable.from(parts.body()));
      }
      reply.header('content-type', 'application/octet-stream');
      const [start, end] = range.kind === 'ranges' ? range.ranges[0] : [0, r.bytes];
      if (range.kind === 'ranges') reply.code(206).header('content-range', `bytes ${start}-${end - 1}/${r.bytes}`);
      reply.header('content-length', end - start);
      return reply.send(Readable.from(recordings.read(r.id, start, end)));
    });

    api.get<{ Params: { id: string } }>(`${RECORDINGS_PATH}/:id/notes`, async (request) => {
      recordingOf(request.params.id);
      return notes.list(request.params.id, countOf(request.query, 'since', 0));
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
    const partialRoute = `${analysesPath(':id')}/:dimension/:slice`;
    api.get<{ Params: { id: string } }>(analysesPath(':id'), async (request): Promise<SharedAnalysis[]> => analyses.list(recordingOf(request.params.id).id));
    api.get<PartialRoute>(partialRoute, async (request, reply) => {
      const { r, key } = partialKey(request);
      const got = analyses.get(r.id, key);
      if (got === undefined) throw new HttpError(404, `no ${key.dimension} partial of slice ${key.slice} stored for these parameters`);
      if ('disputed' in got) throw new HttpError(404, `the ${key.dimension} partial of slice ${key.slice} for these parameters is disputed (submitters sent different values and this server could not derive it), so none is served: compute it`);
      return reply.header('content-type', 'application/json').header('cache-control', 'no-cache').header(VERIFIED_HEADER, String(got.verified)).send(got.json);
    });
    // The declared size is refused before the body is read; a body without one stops at the parser's limit.
    const partialTooLarge = (bytes: number | string) => new HttpError(413, `a partial is at most ${MAX_PARTIAL_BYTES} bytes of JSON; this one is ${bytes}`);
    api.put<PartialRoute>(partialRoute, {
      onRequest: async (request) => {
        const declared = Number(request.headers['content-length'] ?? NaN);
        if (declared > MAX_PARTIAL_BYTES) throw partialTooLarge(declared);
      },
      errorHandler: (err, _request, reply) => {
        const { status, error } = (err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? { status: 413, error: partialTooLarge('larger').message } : errorAnswer(err);
        return reply.code(status).send({ error });
      },
    }, async (request, reply) => {
      const { r, key } = partialKey(request);
      if (typeof request.body !== 'string') throw new HttpError(415, `a partial is sent as ${PARTIAL_CONTENT_TYPE}`);
      const put = analyses.put(r.id, key, request.body, request.ip);
      const what = `slice ${key.slice}'s ${key.dimension} partial for these parameters`;
      if (put.outcome === 'disputed') request.log.warn({ recording: r.id, key, stored: put.first, sent: put.sent, sender: request.ip }, 'an analysis partial differs from the one stored');
      const fresh = put.outcome === 'stored' ? 201 : 200;
      // A dispute, or a request to verify, is settled by the server's own derivation (analyses.ts).
      if (!put.verified && (put.outcome === 'disputed' || request.query.verify === '1')) {
        const derived = await deps.verifier.derive(r.id, key);
        if ('json' in derived) {
          const served = analyses.settle(r.id, key, derived.json);
          if (served === put.sent) return reply.code(fresh).send({ stored: put.outcome === 'stored', served, verified: true } satisfies PartialAnswer);
          request.log.warn({ recording: r.id, key, derived: served, sent: put.sent, sender: request.ip }, 'an analysis partial differs from the one the server derived');
          return reply.code(409).send({ stored: false, served, verified: true, error: `${what} differs from the one this server derived by replaying the slice itself (sha256 ${served.slice(0, 16)}…, this one ${put.sent.slice(0, 16)}…): that one is served` } satisfies PartialAnswer);
        }
        request.log.warn({ recording: r.id, key, why: derived.cannot }, 'the server could not derive an analysis partial');
        if (put.outcome !== 'disputed') return reply.code(fresh).send({ stored: put.outcome === 'stored', served: put.first, verified: false, unverified: derived.cannot } satisfies PartialAnswer);
        return reply.code(409).send({ stored: false, verified: false, unverified: derived.cannot, error: `${what} differs from the one sent first (sha256 ${put.first.slice(0, 16)}…, this one ${put.sent.slice(0, 16)}…) and this server cannot derive it (${derived.cannot}): neither replaces the other, both are logged, and the key is disputed, so the server serves neither` } satisfies PartialAnswer);
      }
      if (put.outcome === 'disputed') return reply.code(409).send({ stored: false, served: put.first, verified: true, error: `${what} differs from the one this server derived by replaying the slice itself (sha256 ${put.first.slice(0, 16)}…, this one ${put.sent.slice(0, 16)}…): that one is served` } satisfies PartialAnswer);
      return reply.code(fresh).send({ stored: put.outcome === 'stored', served: put.first, verified: put.verified } satisfies PartialAnswer);
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
