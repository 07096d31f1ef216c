// Where the recording page gets a recording: by its id from this browser's
// library (demos, OPFS), or from the URL a link names (?src=).
import type { RecordingFrom } from '../../../engine/engine-api';
import { PrnrError } from '../../../shared/errors';

export interface RecordingRequest {
  recordingId: string;
  src?: string;
}

/** How the engine opens the requested recording. */
export async function recordingFrom({ recordingId, src }: RecordingRequest): Promise<RecordingFrom> {
  // The engine worker fetches it: give it an absolute URL.
  if (src !== undefined) return { url: new URL(src, window.location.href).href };
  throw new PrnrError('RECORDING_NOT_FOUND', `no recording ${recordingId.slice(0, 16)}… in this browser: open it from the library, or use a link that says where it is (?src=)`);
}
