// Web Worker entry of the replay pool (../replay/pool.ts): replays and
// verifies slices (./replay-worker-host.ts). Node's entry is
// ../node/replay.worker.ts.
import { serveWebReplayWorker } from './replay-worker-host';

serveWebReplayWorker();
