// A recording at a URL, read by HTTP range requests (docs/design.md 6,
// "Reading by parts"): a first request for the file header learns the size
// from Content-Range, and every later read asks for its bytes only. A server
// that answers with the whole file (no ranges: status 200) gives the whole
// file, which is used as it is. Runtime-neutral: the fetch every host has
// (browsers, workers, Node >= 18). The server of shared links (src/server)
// serves recordings so; any static server with ranges does too.
import { PrnrError } from '../shared/errors';
import { FILE_HEADER_BYTES } from '../shared/recording/format';
import type { RangeReader } from '../shared/recording/source';

interface FetchResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}
type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<FetchResponse>;

const fetchOf = (): Fetch => (globalThis as unknown as { fetch: Fetch }).fetch;

/** `bytes a-b/total` of a 206 answer: the total, if stated. */
function totalOf(contentRange: string | null): number | undefined {
  const match = /^bytes\s+\d+-\d+\/(\d+)$/i.exec(contentRange?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

async function get(url: string, range?: [number, number]): Promise<FetchResponse> {
  let response: FetchResponse;
  try {
    response = await fetchOf()(url, range ? { headers: { range: `bytes=${range[0]}-${range[1] - 1}` } } : undefined);
  } catch (err) {
    throw new PrnrError('RECORDING_FETCH_FAILED', `could not fetch ${url}: ${(err as Error).message}`);
  }
  if (!response.ok) throw new PrnrError('RECORDING_NOT_FOUND', `no recording at ${url} (it answered ${response.status})`);
  return response;
}

/** The recording at `url`: a RangeReader where the server answers ranges, else its bytes, fetched whole. */
export async function openHttpRecording(url: string): Promise<RangeReader | Uint8Array> {
  const first = await get(url, [0, FILE_HEADER_BYTES]);
  const size = first.status === 206 ? totalOf(first.headers.get('content-range')) : undefined;
  // A compressed answer's ranges are of the compressed bytes: take such a file whole, as an answer without ranges.
  if (size === undefined || first.headers.get('content-encoding')) {
    return new Uint8Array(first.status === 206 ? await (await get(url)).arrayBuffer() : await first.arrayBuffer());
  }
  return {
    size,
    name: url,
    async read(offset, length) {
      const response = await get(url, [offset, offset + length]);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // A server may answer a range with the whole file after all.
      if (response.status === 200 && bytes.length === size) return bytes.slice(offset, offset + length);
      if (response.status !== 206 || bytes.length !== length) throw new PrnrError('RECORDING_FETCH_FAILED', `${url} answered bytes ${offset}-${offset + length} with ${response.status} and ${bytes.length} bytes`);
      return bytes;
    },
  };
}
