// worker_thread entry that derives partials (derive.ts), so a slice replayed
// to settle a dispute does not hold up the server's thread. Paths come from
// the parent: inside a bundle, import.meta.url is the bundle's.
import { parentPort, workerData } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { installRpcErrorCodes } from '../engine/rpc';
import { partialDeriver } from './derive';

if (!parentPort) throw new Error('derive.worker.ts must run in a worker_thread');
installRpcErrorCodes();
Comlink.expose(partialDeriver(workerData as { wasmPath: string; imagesDir: string }), nodeEndpoint(parentPort));
