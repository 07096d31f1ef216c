// worker_thread entry of the replay pool (pool.ts): opens the shared
// recording, boots the image once, and replays the slices it is given.
// The same ReplayMachine runs in a browser Web Worker.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { openRecording } from '../../shared/recording/reader';
import { bytesSource } from '../../shared/recording/source';
import { nodeOpenOptions } from './codecs';
import type { BootFiles } from '../images';
import { bootConfigForRecording } from '../replay/boot';
import { ReplayMachine, type SliceResult } from '../replay/replay-machine';
import { installRpcErrorCodes } from '../rpc';
import { nodeSha256 } from './hash';

if (!parentPort) throw new Error('replay.worker.ts must run in a worker_thread');

export interface ReplayWorkerInit {
  /** The recording file's bytes (a view of a SharedArrayBuffer: not copied). */
  data: Uint8Array;
  recovery: boolean;
  files: BootFiles;
  /** The compiled machine (shared with the caller, so tier-up happens once). */
  module: WebAssembly.Module;
}

let machine: ReplayMachine | undefined;

const api = {
  /** Opens the recording (already validated by the caller: blobs and roots are not rechecked) and boots. */
  async init(init: ReplayWorkerInit): Promise<void> {
    const rec = openRecording(bytesSource(init.data), { ...nodeOpenOptions, recovery: init.recovery, verifyBlobs: false, verifyRoots: false });
    machine = await ReplayMachine.create(init.module, rec, bootConfigForRecording(rec.header, init.files, nodeSha256), nodeSha256);
  },
  replaySlice(index: number): SliceResult {
    if (!machine) throw new Error('replay worker: init() first');
    return machine.replaySlice(index);
  },
};
export type ReplayWorkerApi = typeof api;

installRpcErrorCodes();
Comlink.expose(api, nodeEndpoint(parentPort));
