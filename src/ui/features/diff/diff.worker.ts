// The diff of two syscall traces (src/analysis/diff, the code prnr diff
// runs) off the page's thread: normalising and aligning a long trace takes
// long enough to stall the page. Started by ./diff-client.ts.
import * as Comlink from 'comlink';
import { diffTraces } from '../../../analysis/diff/diff';
import type { TracedCall } from '../../../analysis/dimensions/index';
import { installRpcErrorCodes } from '../../../engine/rpc';

installRpcErrorCodes();

const api = {
  diff: (a: readonly TracedCall[], b: readonly TracedCall[]) => diffTraces(a, b),
};

export type DiffWorkerApi = typeof api;

Comlink.expose(api);
