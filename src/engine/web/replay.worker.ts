// Web Worker entry of the replay pool (../replay/pool.ts): serves the
// runtime-neutral replay worker (../replay/replay-worker.ts) with the
// browser's codecs. Node's entry is ../node/replay.worker.ts.
// XXX: no inflater yet (the reader's is synchronous; DecompressionStream is
// not), so a recording with deflated blobs fails when one is read.
import * as Comlink from 'comlink';
import { sha256 } from '../../shared/sha256';
import { createReplayWorker } from '../replay/replay-worker';
import { installRpcErrorCodes } from '../rpc';

installRpcErrorCodes();
Comlink.expose(createReplayWorker({ sha256 }));
