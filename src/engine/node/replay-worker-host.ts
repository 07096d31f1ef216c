// Serves the runtime-neutral replay worker (../replay/replay-worker.ts) over
// a worker_thread's parent port with Node's codecs: the body of every Node
// replay worker entry. ./replay.worker.ts serves replays only; an entry that
// also runs analyses (the CLI's) passes them in, since the engine does not
// import src/analysis (docs/design.md 1). Translations compiled by the
// pool's other workers are received synchronously before each compile
// (receiveMessageOnPort), so they are used in the middle of a slice.
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { AnalysisRuntime } from '../../shared/analysis';
import { createReplayWorker } from '../replay/replay-worker';
import { installRpcErrorCodes } from '../rpc';
import { nodeOpenOptions } from './codecs';
import { FileSource } from './recording-file';

export function serveNodeReplayWorker(analyses?: AnalysisRuntime): void {
  if (!parentPort) throw new Error('a replay worker entry must run in a worker_thread');
  installRpcErrorCodes();
  Comlink.expose(createReplayWorker(nodeOpenOptions, (path) => FileSource.open(path), analyses, (port) => receiveMessageOnPort(port as unknown as MessagePort)), nodeEndpoint(parentPort));
}
