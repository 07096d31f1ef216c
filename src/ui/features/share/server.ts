// The prnr server this page came from (docs/design.md 6): `prnr serve`
// serves the app and its API from one origin, so the page talks to
// window.location.origin. Under a server without the API (vite preview, npm
// run dev) every call fails with SERVER_UNAVAILABLE and says how to get one;
// a server that does not answer at all (stopped, offline) is
// SERVER_UNREACHABLE.
import { PrnrError } from '../../../shared/errors';
import { notesPath, recordingFilePath, recordingsPagePath, RECORDINGS_PATH, TOTAL_COUNT_HEADER, type NewNote, type SharedNote, type SharedRecording, type UploadAnswer } from '../../../shared/server-api';

const unavailable = () => new PrnrError('SERVER_UNAVAILABLE', 'this page was not served by prnr serve, which keeps shared recordings: run npx prnr serve and open the recording there');

async function call<T>(path: string, init?: RequestInit): Promise<{ status: number; body?: T; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(new URL(path, window.location.origin), init);
  } catch (err) {
    throw new PrnrError('SERVER_UNREACHABLE', `cannot reach ${window.location.origin}: ${(err as Error).message}`);
  }
  // Without the API the page's own server answers HTML (the app) or nothing.
  if (!(response.headers.get('content-type') ?? '').includes('application/json')) throw unavailable();
  const body = (await response.json()) as T & { error?: string };
  if (response.status >= 400 && response.status !== 404) throw new PrnrError('SERVER_REFUSED', body.error ?? `the server answered ${response.status}`);
  return { status: response.status, body: response.status === 404 ? undefined : body, headers: response.headers };
}

/** Whether an error means the server did not answer (stopped, offline), so the same call may work later. */
export const isUnreachable = (err: unknown) => (err as PrnrError | undefined)?.code === 'SERVER_UNREACHABLE';

/** Whether the page's server keeps recording `id` ('no-api': the page's server is not prnr serve); SERVER_UNREACHABLE if it does not answer. */
export async function sharedState(id: string): Promise<'kept' | 'absent' | 'no-api'> {
  try {
    return (await call<SharedRecording[]>(`${RECORDINGS_PATH}?id=${id}`)).body?.[0] ? 'kept' : 'absent';
  } catch (err) {
    if ((err as PrnrError).code === 'SERVER_UNAVAILABLE') return 'no-api';
    throw err;
  }
}

/** The server's record of recording `id`, or undefined if it does not keep it (or there is no server). */
export async function sharedRecording(id: string): Promise<SharedRecording | undefined> {
  try {
    return (await call<SharedRecording[]>(`${RECORDINGS_PATH}?id=${id}`)).body?.[0];
  } catch (err) {
    const code = (err as PrnrError).code;
    if (code === 'SERVER_UNAVAILABLE' || code === 'SERVER_UNREACHABLE') return undefined;
    throw err;
  }
}

/** A page of the server's recordings, newest first, and how many it keeps; undefined where the page's server has no API. */
export async function serverRecordings(limit: number, offset: number): Promise<{ recordings: SharedRecording[]; total: number } | undefined> {
  try {
    const { body, headers } = await call<SharedRecording[]>(recordingsPagePath(limit, offset));
    const recordings = body ?? [];
    return { recordings, total: Number(headers.get(TOTAL_COUNT_HEADER) ?? recordings.length) };
  } catch (err) {
    if ((err as PrnrError).code === 'SERVER_UNAVAILABLE') return undefined;
    throw err;
  }
}

/** Where the engine fetches a shared recording's file (by range, or whole). */
export const sharedFileUrl = (id: string) => new URL(recordingFilePath(id), window.location.origin).href;

/** Uploads a recording; resolves to its id and link once the server has it durably. */
export async function uploadRecording(bytes: Uint8Array, title?: string): Promise<UploadAnswer> {
  const query = title ? `?${new URLSearchParams({ title: title.slice(0, 200) })}` : '';
  const { status, body } = await call<UploadAnswer>(`${RECORDINGS_PATH}${query}`, { method: 'POST', body: bytes as BufferSource, headers: { 'content-type': 'application/octet-stream' } });
  if (status === 404 || !body) throw unavailable();
  return body;
}

/** The server's notes on `id` (those added after note `since`, when given). */
export async function serverNotes(id: string, since?: number): Promise<SharedNote[]> {
  return (await call<SharedNote[]>(notesPath(id, since))).body ?? [];
}

export async function postNote(id: string, note: NewNote): Promise<SharedNote> {
  const { body } = await call<SharedNote>(notesPath(id), { method: 'POST', body: JSON.stringify({ author: note.author, text: note.text, tick: note.tick }), headers: { 'content-type': 'application/json' } });
  if (!body) throw new PrnrError('RECORDING_NOT_FOUND', `the server does not keep recording ${id.slice(0, 16)}…`);
  return body;
}
