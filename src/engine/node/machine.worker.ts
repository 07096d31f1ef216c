// worker_thread entry: serves the Engine (EngineApi) over the parent port.
// Exposed synchronously so no message is missed; the wasm compiles on first use.
import { parentPort, workerData } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { installRpcErrorCodes } from '../rpc';
import type { NodeEngineWorkerData } from './engine-host';
import { createNodeEngine } from './host';

if (!parentPort) throw new Error('machine.worker.ts must run in a worker_thread');

installRpcErrorCodes();
Comlink.expose(createNodeEngine((workerData ?? {}) as NodeEngineWorkerData), nodeEndpoint(parentPort));
