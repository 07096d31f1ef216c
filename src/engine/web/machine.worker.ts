// Web Worker entry: serves the Engine (EngineApi) to the page through Comlink.
// Exposed synchronously so no message is missed; the wasm compiles on first use.
import './worker-window';
import * as Comlink from 'comlink';
import { version } from '../../../package.json';
import machineWasmUrl from '../../../wasm/build/machine.wasm?url';
import { Engine } from '../engine';
import { sha256 } from '../../shared/sha256';
import { installRpcErrorCodes } from '../rpc';
import { loadWebBootImage } from './images';
import { webLiveHost } from './live-host';
import { defaultWebJobs, webReplayWorkers } from './replay-pool';
import { WebSnapshotPipeline } from './snapshot-pipeline';

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
    // A recorded live session is written to OPFS by a snapshot worker of its own.
    recordingPipeline: (file) => WebSnapshotPipeline.open(file),
    createdBy: `prnr ${version} (browser)`,
  }),
);
