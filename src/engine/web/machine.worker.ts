// Web Worker entry: the Engine (EngineApi) for the page (./engine-worker.ts),
// without analyses; the app starts src/ui/features/engine/engine.worker.ts,
// which has them.
import './worker-window';
import { serveWebEngine } from './engine-worker';

serveWebEngine();
