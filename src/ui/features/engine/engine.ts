// One engine worker per page, started on first use.
import { startWebEngine, type WebEngine } from '../../../engine/web/engine-client';

let engine: WebEngine | undefined;

export function getEngine(): WebEngine {
  engine ??= startWebEngine();
  return engine;
}
