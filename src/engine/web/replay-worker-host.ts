// Serves the runtime-neutral replay worker (../replay/replay-worker.ts) in a
// Web Worker with the browser's codecs: the body of every browser replay
// worker entry. ./replay.worker.ts serves replays only; the app's entry with
// analyses (src/ui/features/engine/analysis-replay.worker.ts) passes them in.
// Translations the pool's other workers compile arrive between slices (a Web
// Worker has no synchronous receive; ../jit/translation-share.ts).
// XXX: no inflater yet (the reader's is synchronous; DecompressionStream is
// not), so a recording with deflated blobs fails when one is read.
import * as Comlink from 'comlink';
import type { AnalysisRuntime } from '../../shared/analysis';
import { sha256 } from '../../shared/sha256';
import { createReplayWorker } from '../replay/replay-worker';
import { installRpcErrorCodes } from '../rpc';
import { setJitDefault } from '../machine';
import { jitInWorkerName } from './jit-setting';

export function serveWebReplayWorker(analyses?: AnalysisRuntime): void {
  installRpcErrorCodes();
  const jit = jitInWorkerName(self.name); // the engine's JIT choice (./jit-setting.ts)
  if (jit !== undefined) setJitDefault(jit);
  const api = createReplayWorker({ sha256 }, undefined, analyses);
  // For tests, as the page has __prnrEngine: what this worker's JIT compiled and was given (e2e/jit-determinism).
  (self as unknown as { __prnrReplayWorker?: typeof api }).__prnrReplayWorker = api;
  Comlink.expose(api);
}
