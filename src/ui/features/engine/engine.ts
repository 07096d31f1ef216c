// One engine worker per page, started on first use.
import type { Remote } from 'comlink';
import type { EngineApi } from '../../../engine/engine-api';
import { startWebEngine, type WebEngine } from '../../../engine/web/engine-client';
import { jitInQuery, workerNameWithJit } from '../../../engine/web/jit-setting';

declare global {
  interface Window {
    /** The page's engine, for end-to-end tests that check the worker against Node (e.g. determinism across runtimes). */
    __prnrEngine?: Remote<EngineApi>;
  }
}

let engine: WebEngine | undefined;

export function getEngine(): WebEngine {
  if (!engine) {
    // The engine with the analyses (./engine.worker.ts), not the bare one.
    engine = startWebEngine(() => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: workerNameWithJit('prnr-engine', jitInQuery(location.search)) }));
    window.__prnrEngine = engine.api;
  }
  return engine;
}
