// Where the recording page gets a recording: by its id from this browser's
// library (demos, OPFS), or from the URL a link names (?src=).
import type { RecordingFrom } from '../../../engine/engine-api';
import { recordingSource } from '../library/library';

export interface RecordingRequest {
  recordingId: string;
  src?: string;
}

/** How the engine opens the requested recording. */
export async function recordingFrom({ recordingId, src }: RecordingRequest): Promise<RecordingFrom> {
  // The engine worker fetches it: give it an absolute URL.
  if (src !== undefined) return { url: new URL(src, window.location.href).href };
  // The library's: a demo, or a recording kept in this browser (RECORDING_NOT_FOUND otherwise).
  return (await recordingSource(recordingId)).from;
}
