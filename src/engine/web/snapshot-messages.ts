// Messages between a recorded live session's pipeline (snapshot-pipeline.ts,
// in the engine worker) and its snapshot worker (snapshot.worker.ts), in a
// module of their own so the worker's bundle holds none of the caller's code.
import type { EndRecord, RecordingHeader } from '../../shared/recording/format';
import type { CapturedSnapshot } from '../record/capture';
import type { ProcessedSnapshot } from '../record/snapshot-processor';

export type SnapshotWorkerRequest =
  /** Take the recording's lock and create `<file>.partial` in OPFS (refused if it exists). */
  | { type: 'open'; file: string }
  | { type: 'start'; header: RecordingHeader }
  | { type: 'snapshot'; capture: CapturedSnapshot }
  /** Write INDEX and END, close the file and rename it to `file`. */
  | { type: 'end'; record: EndRecord }
  /** Close the file as it is (the session failed): it keeps every slice up to its last snapshot. */
  | { type: 'abandon' };

export type SnapshotWorkerReply =
  | { type: 'opened' }
  | { type: 'processed'; snapshot: ProcessedSnapshot }
  | { type: 'finished'; file: string; digest: string; bytes: number }
  | { type: 'abandoned' }
  | { type: 'failed'; code: string; message: string };

/** The Web Lock a snapshot worker holds while it writes `file`: the library leaves a `.partial` alone while its lock is held (another tab may be recording). */
export function recordingLockName(file: string): string {
  return `prnr-recording:${file}`;
}
