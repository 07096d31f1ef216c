// worker_thread entry of the replay pool (../replay/pool.ts): replays and
// verifies slices (./replay-worker-host.ts). The browser's entry is
// ../web/replay.worker.ts; the CLI's entry with analyses is
// src/cli/workers/analysis.worker.ts.
import { serveNodeReplayWorker } from './replay-worker-host';

serveNodeReplayWorker();
