// Analysis partials shared through a prnr server (docs/design.md 5, 6): when
// `prnr analyze` is given a share link, each slice's partial is looked up on
// the server before it is computed and sent there after, besides the cache
// beside the file, so whoever analyses the same recording next (a colleague,
// another machine, the browser) reads it instead of replaying. The server
// being unreachable or refusing is not an error of the analysis: the local
// cache answers, and one note says the server was not used.
import type { AnalysisCache, PartialKey } from '../engine/analyze/run';
import { decodeAnalysisJson, encodeAnalysisJson } from '../shared/analysis';
import { errorMessage } from '../shared/errors';
import { partialPath, recordingIdOfPath } from '../shared/server-api';

/** The partials of the recording a share link names, on its server; undefined for a URL that is not a prnr server's. */
export function serverPartials(link: string, onNote?: (line: string) => void): AnalysisCache | undefined {
  const url = new URL(link);
  const id = recordingIdOfPath(url.pathname);
  if (id === undefined) return undefined;
  let failed = false;
  const fail = (err: unknown) => {
    if (!failed) onNote?.(`analyses are not shared through ${url.origin}: ${errorMessage(err)}`);
    failed = true;
  };
  const at = (key: PartialKey) => new URL(partialPath(id, key), url.origin);
  return {
    async get(key) {
      if (failed || key.recording !== id) return undefined;
      try {
        const response = await fetch(at(key));
        if (response.status === 404) return undefined;
        if (!response.ok) throw new Error(`it answered ${response.status}`);
        return decodeAnalysisJson(await response.text());
      } catch (err) {
        fail(err);
        return undefined;
      }
    },
    async put(key, partial) {
      if (failed || key.recording !== id) return;
      try {
        const response = await fetch(at(key), { method: 'PUT', body: encodeAnalysisJson(partial), headers: { 'content-type': 'application/x-prnr-partial+json' } });
        if (!response.ok) throw new Error(`it answered ${response.status}: ${((await response.json().catch(() => ({}))) as { error?: string }).error ?? ''}`);
      } catch (err) {
        fail(err);
      }
    },
  };
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
