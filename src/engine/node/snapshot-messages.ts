// Messages between the recorder (snapshot-worker.ts) and its snapshot worker
// (snapshot.worker.ts), in a module of their own so the worker's bundle holds
// none of the caller's code.
import type { MessagePort } from 'node:worker_threads';
import type { EndRecord, RecordingHeader } from '../../shared/recording/format';
import type { CapturedSnapshot } from '../record/capture';
import type { ProcessedSnapshot } from '../record/snapshot-processor';

/** Slots of the shared control array: requests handled so far (the recorder waits on it), and 1 once the worker runs. */
export const Control = { handled: 0, started: 1 } as const;

export interface SnapshotWorkerData {
  path: string;
  /** The `.partial` file, created by the recorder's thread; closed by it too. */
  fd: number;
  /** Publish over an existing recording at `path` (prnr record --force). */
  force?: boolean;
  control: SharedArrayBuffer;
  /** Replies go here, read synchronously with receiveMessageOnPort. */
  results: MessagePort;
}

export type SnapshotWorkerRequest = { type: 'start'; header: RecordingHeader; signingKeyPem?: string } | { type: 'snapshot'; capture: CapturedSnapshot } | { type: 'end'; record: EndRecord };

export type SnapshotWorkerReply = { type: 'written'; bytesWritten: number } | { type: 'processed'; snapshot: ProcessedSnapshot } | { type: 'failed'; code: string; message: string };
