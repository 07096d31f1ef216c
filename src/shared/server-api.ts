// The HTTP API of `prnr serve` (docs/design.md 6), one place for its paths,
// shapes and limits, used by the server, its clients in the CLI and the app.
// Ticks travel as decimal strings; ids are recordings' digests in hex.
import { canonicalParams, type AnalysisParam } from './analysis';

export const RECORDINGS_PATH = '/api/recordings';

/** A recording id: its digest (the head of its integrity chain, 256 bits) in lower-case hex, as the engine names it. */
export const RECORDING_ID = /^[0-9a-f]{64}$/;

/** A recording as the server lists it. */
export interface SharedRecording {
  id: string;
  title: string;
  /** The end tick, decimal. */
  ticks: string;
  slices: number;
  /** When the server stored it, ISO 8601. */
  created: string;
  /** Size of the .prnr file. */
  bytes: number;
  image: string;
  /** The share link. */
  url: string;
}

/** The answer to an upload (201). */
export interface UploadAnswer {
  id: string;
  url: string;
  /** Bytes this upload added to the store (pages other recordings already hold are not stored again). */
  storedBytes: number;
}

export interface NewNote {
  author: string;
  text: string;
  /** Decimal tick the note is pinned to. */
  tick: string;
}

export interface SharedNote extends NewNote {
  id: number;
  /** Server time, ISO 8601. */
  created: string;
}

export const NOTE_LIMITS = { author: 80, text: 4000 } as const;

/** Largest JSON request body (a note), bytes. */
export const MAX_JSON_BYTES = 16 * 1024;
/** Largest analysis partial stored, bytes of JSON. */
export const MAX_PARTIAL_BYTES = 16 * 1024 * 1024;

export const recordingApiPath = (id: string) => `${RECORDINGS_PATH}/${id}`;
export const recordingFilePath = (id: string) => `${RECORDINGS_PATH}/${id}/file`;
/** GET lists the notes in the order they were added; `?since=<note id>` only those added after that one. */
export const notesPath = (id: string, since?: number) => `${RECORDINGS_PATH}/${id}/notes${since === undefined ? '' : `?since=${since}`}`;

/** `GET /api/recordings?limit=&offset=` lists a page of recordings, newest first, at most this many. */
export const MAX_LIST_LIMIT = 500;
/** The answer to a listing carries how many recordings there are in all in this header. */
export const TOTAL_COUNT_HEADER = 'x-total-count';
/** The recordings listed from `offset` on, `limit` of them. */
export const recordingsPagePath = (limit: number, offset: number) => `${RECORDINGS_PATH}${query([['limit', String(limit)], ['offset', String(offset)]])}`;

/**
 * A file answer carries this header (value "multipart") where the server answers a Range of several ranges
 * with one multipart/byteranges body (RFC 9110 14.6); a client asks for several ranges at once only then.
 */
export const MULTIPART_RANGES_HEADER = 'x-prnr-ranges';

/** A query string from its parameters, in order ("" when none). */
function query(params: Array<[string, string]>): string {
  return params.length === 0 ? '' : `?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

/** The link that opens recording `id` in the app, at `tick` and `view` when given (share-state.ts reads it). */
export function shareLinkPath(id: string, at: { tick?: bigint | string; view?: string } = {}): string {
  const params: Array<[string, string]> = [];
  if (at.tick !== undefined) params.push(['t', at.tick.toString()]);
  if (at.view !== undefined) params.push(['view', at.view]);
  return `/r/${id}${query(params)}`;
}

/** The recording id a share link's or API URL's path names (/r/<id>, /api/recordings/<id>[/file]), if it is one. */
export function recordingIdOfPath(pathname: string): string | undefined {
  const m = /^\/(?:r|api\/recordings)\/([0-9a-f]{64})(?:\/file)?\/?$/.exec(pathname);
  return m?.[1];
}

/** What names one slice's partial of one analysis (src/engine/analyze/run.ts PartialKey, without the recording). */
export interface PartialKeyFields {
  dimension: string;
  version: number;
  code: string;
  params: Record<string, AnalysisParam>;
  slice: number;
}

export const DIMENSION_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** How a partial's body is sent (JSON as encodeAnalysisJson writes it, kept as text). */
export const PARTIAL_CONTENT_TYPE = 'application/x-prnr-partial+json';

/** One analysis (dimension, version, code, parameters) of a recording as the server lists it: the slices it serves a partial of. */
export interface SharedAnalysis {
  dimension: string;
  version: number;
  code: string;
  params: Record<string, AnalysisParam>;
  /** Slices whose partial is served (agreed by every submitter), ascending. */
  slices: number[];
  /** Slices two submitters disagreed on: not served (see PartialAnswer). */
  disputed: number[];
}

/**
 * The answer to a partial's PUT (?verify=1: derive it on the server first):
 * 201 stored, 200 it agreed with the one served; 409 (with `error`) it
 * differs from the one served, or, where the server cannot derive the
 * partial, from the one sent first (the key is then disputed, served to no one).
 */
export interface PartialAnswer {
  stored: boolean;
  /** sha256 (hex) of the bytes the server serves for the key, if any (none while disputed). */
  served?: string;
  /** The served value is the server's own derivation (it replayed and analysed the slice). */
  verified: boolean;
  /** Why the server could not derive it, when it tried. */
  unverified?: string;
  error?: string;
}

/** On a partial's GET: "true" when the server derived the value it serves itself. */
export const VERIFIED_HEADER = 'x-prnr-verified';

/** Every analysis the server holds partials of for recording `id` (SharedAnalysis[]). */
export const analysesPath = (id: string) => `${RECORDINGS_PATH}/${id}/analyses`;

/** Where a slice's partial is stored: GET it (404 when absent or disputed), PUT it (PARTIAL_CONTENT_TYPE). */
export function partialPath(id: string, key: PartialKeyFields): string {
  return `${analysesPath(id)}/${key.dimension}/${key.slice}${query([['version', String(key.version)], ['code', key.code], ['params', canonicalParams(key.params)]])}`;
}
