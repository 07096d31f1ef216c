// One engine worker per page, started on first use.
import type { Remote } from 'comlink';
import type { EngineApi } from '../../../engine/engine-api';
import { startWebEngine, type WebEngine } from '../../../engine/web/engine-client';

declare global {
  interface Window {
    /** The page's engine, for end-to-end tests that check the worker against Node (e.g. determinism across runtimes). */
    __prnrEngine?: Remote<EngineApi>;
  }
}

let engine: WebEngine | undefined;

export function getEngine(): WebEngine {
  if (!engine) {
    engine = startWebEngine();
    window.__prnrEngine = engine.api;
  }
  return engine;
}
