// A recording at a URL, read by HTTP range requests (docs/design.md 6,
// "Reading by parts"). The first request asks for the file's last
// TAIL_GUESS_BYTES (`Range: bytes=-n`): its Content-Range gives the size, and
// its bytes hold the END record and, for most recordings, the whole index, so
// opening needs no second round trip for them. Where the server says it
// answers several ranges at once (MULTIPART_RANGES_HEADER, as `prnr serve`
// does), readRanges asks for many in one request and splits the
// multipart/byteranges answer (RFC 9110 14.6); elsewhere each range is a
// request. A server that answers with the whole file (no ranges: status 200)
// gives the whole file, which is used as it is. Runtime-neutral: the fetch
// every host has (browsers, workers, Node >= 18).
import { latin1FromBytes } from '../shared/bytes';
import { PrnrError } from '../shared/errors';
import type { RangeReader } from '../shared/recording/source';
import { MULTIPART_RANGES_HEADER } from '../shared/server-api';

interface FetchResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}
type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<FetchResponse>;

const fetchOf = (): Fetch => (globalThis as unknown as { fetch: Fetch }).fetch;

/** The first request's size: the END record and the index of a recording of a few hundred slices. */
export const TAIL_GUESS_BYTES = 512 * 1024;

export interface HttpRangeOptions {
  /** Ask for several ranges in one request where the server offers it (default true; false: one request per range, as before multipart). */
  multipart?: boolean;
}

/** A piece of the file an answer brought. */
export interface FetchedPart {
  start: number;
  bytes: Uint8Array;
}

/** `bytes a-b/total` of a 206 answer or part: the range [a, b+1) and the total, if stated. */
function contentRangeOf(value: string | null): { start: number; end: number; total: number } | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+)$/i.exec(value?.trim() ?? '');
  return match ? { start: Number(match[1]), end: Number(match[2]) + 1, total: Number(match[3]) } : undefined;
}

async function get(url: string, range?: string): Promise<FetchResponse> {
  let response: FetchResponse;
  try {
    response = await fetchOf()(url, range ? { headers: { range: `bytes=${range}` } } : undefined);
  } catch (err) {
    throw new PrnrError('RECORDING_FETCH_FAILED', `could not fetch ${url}: ${(err as Error).message}`);
  }
  if (!response.ok) throw new PrnrError('RECORDING_NOT_FOUND', `no recording at ${url} (it answered ${response.status})`);
  return response;
}

const CRLF_CRLF = [13, 10, 13, 10];

function indexOfBytes(haystack: Uint8Array, needle: ArrayLike<number>, from: number): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The parts of a multipart/byteranges body (RFC 9110 14.6), each located by its Content-Range (the boundary only
 * separates them: a part's bytes are taken by its length, so bytes that look like a boundary do no harm).
 */
export function parseMultipartRanges(body: Uint8Array, boundary: string, name = 'the server'): FetchedPart[] {
  const bad = (why: string) => new PrnrError('RECORDING_FETCH_FAILED', `${name} answered several ranges with a malformed multipart body: ${why}`);
  const delimiter = Array.from(`--${boundary}`, (c) => c.charCodeAt(0));
  const parts: FetchedPart[] = [];
  let at = indexOfBytes(body, delimiter, 0);
  if (at < 0) throw bad(`no boundary ${boundary}`);
  for (;;) {
    at += delimiter.length;
    if (body[at] === 45 && body[at + 1] === 45) return parts; // "--": the close delimiter
    const headersEnd = indexOfBytes(body, CRLF_CRLF, at);
    if (headersEnd < 0) throw bad('a part without the blank line after its headers');
    const headers = latin1FromBytes(body.subarray(at, headersEnd)).split('\r\n');
    const range = contentRangeOf(headers.find((h) => /^content-range:/i.test(h))?.replace(/^content-range:/i, '') ?? null);
    if (!range) throw bad('a part without its Content-Range');
    const start = headersEnd + CRLF_CRLF.length;
    const end = start + (range.end - range.start);
    if (end > body.length) throw bad(`part ${range.start}-${range.end} is cut short`);
    parts.push({ start: range.start, bytes: body.subarray(start, end) });
    at = indexOfBytes(body, delimiter, end);
    if (at < 0) throw bad('no close delimiter');
  }
}

/** The recording at `url`: a RangeReader where the server answers ranges, else its bytes, fetched whole. */
export async function openHttpRecording(url: string, options: HttpRangeOptions = {}): Promise<RangeReader | Uint8Array> {
  const first = await get(url, `-${TAIL_GUESS_BYTES}`);
  const range = first.status === 206 ? contentRangeOf(first.headers.get('content-range')) : undefined;
  // A compressed answer's ranges are of the compressed bytes: take such a file whole, as an answer without ranges.
  if (range === undefined || first.headers.get('content-encoding')) {
    return new Uint8Array(first.status === 206 ? await (await get(url)).arrayBuffer() : await first.arrayBuffer());
  }
  const tail = new Uint8Array(await first.arrayBuffer());
  const size = range.total;
  if (tail.length !== range.end - range.start) throw new PrnrError('RECORDING_FETCH_FAILED', `${url} answered bytes ${range.start}-${range.end} with ${tail.length} bytes`);
  // The file was smaller than the guess: it is all here.
  if (range.start === 0 && tail.length === size) return tail;
  const multipart = (options.multipart ?? true) && first.headers.get(MULTIPART_RANGES_HEADER) === 'multipart';

  /** The pieces the server answered `ranges` ([offset, length]) with, however it chose to (RFC 9110: it may join them, or send the whole). */
  const fetchParts = async (ranges: ReadonlyArray<readonly [number, number]>): Promise<FetchedPart[]> => {
    const response = await get(url, ranges.map(([offset, length]) => `${offset}-${offset + length - 1}`).join(','));
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status === 200 && bytes.length === size) return [{ start: 0, bytes }];
    if (response.status !== 206) throw new PrnrError('RECORDING_FETCH_FAILED', `${url} answered ${ranges.length} ranges with ${response.status}`);
    const type = response.headers.get('content-type') ?? '';
    const boundary = /^multipart\/byteranges;\s*boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) return parseMultipartRanges(bytes, boundary, url);
    const one = contentRangeOf(response.headers.get('content-range'));
    if (!one || one.end - one.start !== bytes.length) throw new PrnrError('RECORDING_FETCH_FAILED', `${url} answered a range request with 206 but no usable Content-Range`);
    return [{ start: one.start, bytes }];
  };
  /** `length` bytes at `offset` out of the pieces, if one holds them. */
  const cut = (parts: FetchedPart[], offset: number, length: number) => {
    const part = parts.find((p) => p.start <= offset && p.start + p.bytes.length >= offset + length);
    return part?.bytes.slice(offset - part.start, offset - part.start + length);
  };
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    const got = cut(await fetchParts([[offset, length]]), offset, length);
    if (!got) throw new PrnrError('RECORDING_FETCH_FAILED', `${url} did not answer bytes ${offset}-${offset + length}`);
    return got;
  };
  return {
    size,
    name: url,
    initial: { start: range.start, bytes: tail },
    read,
    readRanges: multipart
      ? async (ranges) => {
          const parts = await fetchParts(ranges);
          // A range the server left out (it may answer fewer) is asked for on its own.
          return Promise.all(ranges.map(([offset, length]) => cut(parts, offset, length) ?? read(offset, length)));
        }
      : undefined,
  };
}
