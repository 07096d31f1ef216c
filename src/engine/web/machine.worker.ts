// Web Worker entry: serves the Engine (EngineApi) to the page through Comlink.
// Exposed synchronously so no message is missed; the wasm compiles on first use.
import * as Comlink from 'comlink';
import machineWasmUrl from '../../../wasm/build/machine.wasm?url';
import { Engine } from '../engine';
import { sha256 } from '../../shared/sha256';
import { installRpcErrorCodes } from '../rpc';
import { loadWebBootImage } from './images';
import { webLiveHost } from './live-host';
import { defaultWebJobs, webReplayWorkers } from './replay-pool';

installRpcErrorCodes();
Comlink.expose(
  new Engine({
    loadModule: () => WebAssembly.compileStreaming(fetch(machineWasmUrl)),
    loadImage: (name, onProgress) => loadWebBootImage(name, onProgress),
    live: webLiveHost(),
    // XXX: no inflater yet (see replay.worker.ts): recordings with deflated blobs fail when one is read.
    codecs: { sha256 },
    replayWorkers: webReplayWorkers,
    replayJobs: defaultWebJobs(),
  }),
);
