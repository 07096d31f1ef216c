// Analysis partials shared through a prnr server (docs/design.md 5, 6):
// when the recording is one a prnr server keeps (a share link given to `prnr
// analyze`, a recording the page's server keeps), each slice's partial is
// looked up on the server before it is computed and sent there after,
// besides the host's own cache, so whoever analyses the same recording next
// (a colleague, another machine, the browser) reads it instead of replaying.
// Runtime-neutral (fetch exists in browsers, workers and Node). The server
// being unreachable or refusing is not an error of the analysis: the local
// cache answers, and one note says the server was not used.
import { canonicalParams, decodeAnalysisJson, encodeAnalysisJson } from '../../shared/analysis';
import { errorMessage } from '../../shared/errors';
import { analysesPath, PARTIAL_CONTENT_TYPE, partialPath, recordingIdOfPath, type SharedAnalysis } from '../../shared/server-api';
import type { AnalysisCache, PartialKey } from './run';

// The engine's tsconfig has no DOM or Node types: what this file uses of fetch (as ../http-range.ts does).
interface FetchResponse {
  ok: boolean;
  status: number;
  text(): Promise<string>;
}
type Fetch = (url: string, init?: { method?: string; body?: string; headers?: Record<string, string> }) => Promise<FetchResponse>;
const fetchOf = (): Fetch => (globalThis as unknown as { fetch: Fetch }).fetch;

/** The server and recording a share link (or an API URL of a recording) names; undefined for a URL that is not a prnr server's. */
export function serverOfLink(link: string): { origin: string; id: string } | undefined {
  const url = /^(https?:\/\/[^/?#]+)(\/[^?#]*)/i.exec(link);
  const id = url ? recordingIdOfPath(url[2]) : undefined;
  return url && id !== undefined ? { origin: url[1].toLowerCase(), id } : undefined;
}

/** Names an analysis's slices as the server lists them (SharedAnalysis) and as a key names them. */
const analysisName = (a: { dimension: string; version: number; code: string; params: PartialKey['params'] }) => JSON.stringify([a.dimension, a.version, a.code, canonicalParams(a.params)]);

/**
 * Recording `id`'s partials on the prnr server at `origin`. What the server
 * holds is listed once, at the first lookup (the lookups of a run all come
 * before its first partial is sent), and only partials it lists are
 * fetched, so a run asks nothing of slices the server lacks. `onNote`
 * hears, once, why the server is not used (unreachable, refusing).
 */
export function serverPartials(origin: string, id: string, onNote?: (line: string) => void): AnalysisCache {
  let failed = false;
  let disputed = false;
  const fail = (err: unknown) => {
    if (!failed) onNote?.(`analyses are not shared through ${origin}: ${errorMessage(err)}`);
    failed = true;
  };
  const at = (key: PartialKey) => origin + partialPath(id, key);
  let held: Promise<Map<string, Set<number>>> | undefined;
  const list = async () => {
    const response = await fetchTwice(origin + analysesPath(id));
    if (!response.ok) throw new Error(`it answered ${response.status}: ${await refusal(response)}`);
    return new Map(((JSON.parse(await response.text()) as SharedAnalysis[]).map((a) => [analysisName(a), new Set(a.slices)])));
  };
  return {
    async get(key) {
      if (failed || key.recording !== id) return undefined;
      try {
        held ??= list();
        if (!(await held).get(analysisName(key))?.has(key.slice)) return undefined;
        const response = await fetchTwice(at(key));
        if (response.status === 404) return undefined;
        if (!response.ok) throw new Error(`it answered ${response.status}: ${await refusal(response)}`);
        return decodeAnalysisJson(await response.text());
      } catch (err) {
        fail(err);
        return undefined;
      }
    },
    async put(key, partial) {
      if (failed || key.recording !== id) return;
      try {
        const response = await fetchOf()(at(key), { method: 'PUT', body: encodeAnalysisJson(partial), headers: { 'content-type': PARTIAL_CONTENT_TYPE } });
        // A disputed key (another submitter sent different bytes) is the server's to log; the analysis stands on what this host computed.
        if (response.status === 409) {
          if (!disputed) onNote?.(`${origin} disputes this analysis: ${await refusal(response)}`);
          disputed = true;
        } else if (!response.ok) throw new Error(`it answered ${response.status}: ${await refusal(response)}`);
      } catch (err) {
        fail(err);
      }
    },
  };
}

/** A GET tried again once if the connection failed or the server failed (5xx): a blip costs a slice's replay otherwise. */
async function fetchTwice(url: string): Promise<FetchResponse> {
  try {
    const response = await fetchOf()(url);
    if (response.status < 500) return response;
  } catch {
    // Once more, below; its failure is the one reported.
  }
  return fetchOf()(url);
}

/** The server's sentence in a refusal ({"error"}), if it gave one. */
async function refusal(response: FetchResponse): Promise<string> {
  try {
    return (JSON.parse(await response.text()) as { error?: string }).error ?? '';
  } catch {
    return '';
  }
}

/** `local` first, then `remote` (a hit there is kept locally); every new partial to both. */
export function layeredCache(local: AnalysisCache, remote: AnalysisCache): AnalysisCache {
  return {
    async get(key) {
      const hit = await local.get(key);
      if (hit !== undefined) return hit;
      const far = await remote.get(key);
      if (far !== undefined) await local.put(key, far);
      return far;
    },
    async put(key, partial) {
      await local.put(key, partial);
      await remote.put(key, partial);
    },
  };
}
