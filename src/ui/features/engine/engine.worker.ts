// The app's engine worker: the engine (src/engine/web/engine-worker.ts) with
// the analyses of src/analysis, which the engine itself does not import
// (docs/design.md 1): the page (./engine.ts) starts this one. Its analysis
// replay workers are ./analysis-replay.worker.ts, nested in this worker.
import '../../../engine/web/worker-window';
import { createAnalysisRuntime } from '../../../analysis/runtime';
import type { ReplayWorkerApi } from '../../../engine/replay/replay-worker';
import { jitDefault } from '../../../engine/machine';
import { wrapWebWorker } from '../../../engine/web/comlink-worker';
import { workerNameWithJit } from '../../../engine/web/jit-setting';
import { serveWebEngine } from '../../../engine/web/engine-worker';
import { loadWebAnalysisFiles } from '../../../engine/web/images';

serveWebEngine({
  runtime: createAnalysisRuntime(),
  workers: (index) => wrapWebWorker<ReplayWorkerApi>(new Worker(new URL('./analysis-replay.worker.ts', import.meta.url), { type: 'module', name: workerNameWithJit(`prnr-analysis-${index}`, jitDefault()) }), 'analysis replay'),
  loadInputs: (image) => loadWebAnalysisFiles(image),
});
