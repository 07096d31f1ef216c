// A partial derived by the server itself (docs/design.md 6): the slice
// replayed and analysed by the same code the CLI and the app run (the Node
// engine with src/analysis's runtime, on the thread this runs on), so the
// server can vouch for the partial it serves. Runs on the derive worker
// (derive.worker.ts); the server's thread only waits for it.
import { createAnalysisRuntime } from '../analysis/runtime';
import { createNodeEngine } from '../engine/node/host';
import { canonicalParams, encodeAnalysisJson } from '../shared/analysis';
import { errorMessage } from '../shared/errors';
import type { PartialKeyFields } from '../shared/server-api';

/** The partial's JSON as encodeAnalysisJson writes it, or why this server cannot derive it. */
export type Derived = { json: string } | { cannot: string };

export interface DeriveApi {
  /** Whether recording `id` is the one open (derive needs its bytes otherwise). */
  has(id: string): Promise<boolean>;
  /** Derives the key's partial of recording `id` (its file's bytes unless has(id)). */
  derive(id: string, key: PartialKeyFields, file?: Uint8Array): Promise<Derived>;
}

export function partialDeriver(paths: { wasmPath?: string; imagesDir?: string } = {}): DeriveApi {
  const runtime = createAnalysisRuntime();
  const engine = createNodeEngine({ ...paths, analyses: { runtime } });
  let open: string | undefined;
  return {
    async has(id) {
      return open === id;
    },
    async derive(id, key, file) {
      let description;
      try {
        description = runtime.describe({ dimension: key.dimension, params: key.params });
      } catch (err) {
        return { cannot: errorMessage(err) };
      }
      if (description.version !== key.version || description.code !== key.code) return { cannot: `this server runs ${key.dimension} version ${description.version} (code ${description.code || 'none'}), not version ${key.version} (code ${key.code || 'none'})` };
      if (canonicalParams(description.params) !== canonicalParams(key.params)) return { cannot: `the parameters are not ${key.dimension}'s as its defaults fill them in` };
      if (open !== id) {
        if (!file) return { cannot: `recording ${id.slice(0, 16)}… is not open here` };
        if (open) await engine.closeRecording(open);
        open = undefined;
        const info = await engine.openRecording({ bytes: file });
        if (info.id !== id) return { cannot: `the file is recording ${info.id.slice(0, 16)}…, not ${id.slice(0, 16)}…` };
        open = id;
      }
      let partial: unknown;
      try {
        await engine.analyze(id, { dimensions: [{ dimension: key.dimension, params: key.params }], slices: [key.slice], jobs: 1 }, { onProgress: (p) => void (partial = p.partial) });
      } catch (err) {
        return { cannot: `slice ${key.slice} could not be analysed here: ${errorMessage(err)}` };
      }
      return { json: encodeAnalysisJson(partial) };
    },
  };
}
