// worker_thread entry that checks uploads and writes their packs
// (check-upload.ts), so the server's thread keeps answering meanwhile.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { installRpcErrorCodes } from '../engine/rpc';
import { inThreadUploads } from './check-upload';

if (!parentPort) throw new Error('upload.worker.ts must run in a worker_thread');
installRpcErrorCodes();
Comlink.expose(inThreadUploads, nodeEndpoint(parentPort));
