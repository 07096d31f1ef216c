// The app's replay worker with analyses (src/engine/web/replay-worker-host.ts
// plus the dimensions of src/analysis), started by ./engine.worker.ts.
import { createAnalysisRuntime } from '../../../analysis/runtime';
import { serveWebReplayWorker } from '../../../engine/web/replay-worker-host';

serveWebReplayWorker(createAnalysisRuntime());
