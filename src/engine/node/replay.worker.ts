// worker_thread entry of the replay pool (../replay/pool.ts): serves the
// runtime-neutral replay worker (../replay/replay-worker.ts) over the parent
// port with Node's codecs. The browser's entry is ../web/replay.worker.ts.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createReplayWorker } from '../replay/replay-worker';
import { installRpcErrorCodes } from '../rpc';
import { nodeOpenOptions } from './codecs';
import { FileSource } from './recording-file';

if (!parentPort) throw new Error('replay.worker.ts must run in a worker_thread');

installRpcErrorCodes();
Comlink.expose(createReplayWorker(nodeOpenOptions, (path) => FileSource.open(path)), nodeEndpoint(parentPort));
