// worker_thread entry: serves the Engine (EngineApi) over the parent port.
// Exposed synchronously so no message is missed; the wasm compiles on first use.
import { parentPort, workerData } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Engine } from '../engine';
import { installRpcErrorCodes } from '../rpc';
import { loadNodeBootImage } from './images';
import { nodeLiveHost } from './live-host';
import { compileMachineModule } from './machine-module';
import type { NodeEngineWorkerData } from './engine-host';

if (!parentPort) throw new Error('machine.worker.ts must run in a worker_thread');

const data = (workerData ?? {}) as NodeEngineWorkerData;
installRpcErrorCodes();
Comlink.expose(
  new Engine({
    loadModule: () => compileMachineModule(data.wasmPath),
    loadImage: (name, onProgress) => loadNodeBootImage(name, { imagesDir: data.imagesDir, onProgress }),
    live: nodeLiveHost,
  }),
  nodeEndpoint(parentPort),
);
