// The app's engine worker: the engine (src/engine/web/engine-worker.ts) with
// the analyses of src/analysis, which the engine itself does not import
// (docs/design.md 1): the page (./engine.ts) starts this one. Its analysis
// replay workers are ./analysis-replay.worker.ts, nested in this worker.
import '../../../engine/web/worker-window';
import { createAnalysisRuntime } from '../../../analysis/runtime';
import type { ReplayWorkerApi } from '../../../engine/replay/replay-worker';
import { wrapWebWorker } from '../../../engine/web/comlink-worker';
import { serveWebEngine } from '../../../engine/web/engine-worker';
import { loadWebAnalysisFiles } from '../../../engine/web/images';

serveWebEngine({
  runtime: createAnalysisRuntime(),
  workers: (index) => wrapWebWorker<ReplayWorkerApi>(new Worker(new URL('./analysis-replay.worker.ts', import.meta.url), { type: 'module', name: `prnr-analysis-${index}` }), 'analysis replay'),
  loadInputs: (image) => loadWebAnalysisFiles(image),
});
