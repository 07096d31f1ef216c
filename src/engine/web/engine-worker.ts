// The body of every engine Web Worker entry: serves the Engine (EngineApi) to
// the page through Comlink, exposed synchronously so no message is missed
// (the wasm compiles on first use). ./machine.worker.ts serves it as is; an
// entry that also runs analyses (the app's, src/ui/features/engine/
// engine.worker.ts) passes them in, since the engine does not import
// src/analysis (docs/design.md 1). An entry imports ./worker-window first.
import * as Comlink from 'comlink';
import { version } from '../../../package.json';
import machineWasmUrl from '../../../wasm/build/machine.wasm?url';
import { Engine } from '../engine';
import type { EngineAnalyses } from '../inspect/recording-inspector';
import { sha256 } from '../../shared/sha256';
import { installRpcErrorCodes } from '../rpc';
import { loadWebBootImage } from './images';
import { jitInWorkerName } from './jit-setting';
import { opfsLinkCache } from './link-cache';
import { compileWebMachineModule } from './machine-module';
import { webLiveHost } from './live-host';
import { recordingFileParts } from './opfs';
import { defaultWebJobs, webReplayWorkers } from './replay-pool';
import { WebSnapshotPipeline } from './snapshot-pipeline';

/**
 * Runs `task` in a task of its own after those already queued, through a
 * posted message: background steps chain (each schedules the next), and
 * Chromium delays a setTimeout(0) set from a timer by 4 ms once they nest
 * five deep, so the ~300 steps (of 1-5 ms) that read first-tour's pages
 * ahead and take its checkpoints waited ~1.2 s on timers alone. Returns the
 * function that cancels it.
 */
function nextTask(task: () => void): () => void {
  let live = true;
  tasks.push(() => {
    if (live) task();
  });
  channel.port2.postMessage(null);
  return () => (live = false);
}
const tasks: (() => void)[] = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => tasks.shift()?.();

export function serveWebEngine(analyses?: EngineAnalyses): void {
  installRpcErrorCodes();
  Comlink.expose(
    new Engine({
      loadModule: () => compileWebMachineModule(machineWasmUrl),
      loadImage: (name, onProgress) => loadWebBootImage(name, onProgress),
      live: webLiveHost(),
      // XXX: no inflater yet (see replay.worker.ts): recordings with deflated blobs fail when one is read.
      codecs: { sha256 },
      // Recordings kept in this browser are OPFS files, read by parts (docs/design.md 6).
      openParts: (name) => recordingFileParts(name),
      // What a shared link fetched is kept in OPFS once whole, and read from there when the link is opened again.
      linkCache: opfsLinkCache,
      replayWorkers: webReplayWorkers,
      replayJobs: defaultWebJobs(),
      // A recorded live session is written to OPFS by a snapshot worker of its own.
      recordingPipeline: (file) => WebSnapshotPipeline.open(file),
      createdBy: `prnr ${version} (browser)`,
      // The page's choice, in this worker's name (./jit-setting.ts); its replay workers follow it.
      jit: jitInWorkerName(self.name),
      analyses,
      // A page has idle time: open recordings read their pages ahead and keep their replay workers.
      idle: (ms, task) => {
        if (ms === 0) return nextTask(task);
        const timer = setTimeout(task, ms);
        return () => clearTimeout(timer);
      },
    }),
  );
}
