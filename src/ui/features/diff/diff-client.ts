// The page's diff worker (./diff.worker.ts), started on first use and kept
// for the page's life (one diff at a time: each view asks once per pair).
import type { TraceDiff } from '../../../analysis/diff/diff';
import type { TracedCall } from '../../../analysis/dimensions/index';
import { wrapWebWorker, type WebComlinkWorker } from '../../../engine/web/comlink-worker';
import type { DiffWorkerApi } from './diff.worker';

let worker: WebComlinkWorker<DiffWorkerApi> | undefined;

export function diffInWorker(a: readonly TracedCall[], b: readonly TracedCall[]): Promise<TraceDiff> {
  worker ??= wrapWebWorker<DiffWorkerApi>(new Worker(new URL('./diff.worker.ts', import.meta.url), { type: 'module', name: 'prnr-diff' }), 'diff');
  return worker.api.diff(a, b);
}
