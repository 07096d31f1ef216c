// worker_thread entry of the replay pool with analyses: a replay worker
// (src/engine/node/replay-worker-host.ts) that can also run every dimension
// of src/analysis on the slices it replays. It sits in the CLI because only
// the CLI (and the app) may import both the engine and the analyses
// (docs/design.md 1).
import { createAnalysisRuntime } from '../../analysis/runtime';
import { serveNodeReplayWorker } from '../../engine/node/replay-worker-host';

serveNodeReplayWorker(createAnalysisRuntime());
