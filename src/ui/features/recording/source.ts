// Where the recording page gets a recording: by its id from this browser's
// library (demos, OPFS), else from the prnr server the page came from, or from
// the URL a link names (?src=).
import type { RecordingFrom } from '../../../engine/engine-api';
import { errorCode } from '../../../shared/errors';
import { recordingSource } from '../library/library';
import { sharedFileUrl, sharedRecording } from '../share/server';

export interface RecordingRequest {
  recordingId: string;
  src?: string;
}

/** How the engine opens the requested recording, and what the library calls it (a demo's title and its lines on what to look at). */
export interface RecordingSourced {
  from: RecordingFrom;
  title?: string;
  about?: string[];
}

export async function recordingFrom({ recordingId, src }: RecordingRequest): Promise<RecordingSourced> {
  // The engine worker fetches it: give it an absolute URL.
  if (src !== undefined) return { from: { url: new URL(src, window.location.href).href } };
  // The library's: a demo, or a recording kept in this browser (RECORDING_NOT_FOUND otherwise).
  try {
    const { item, from } = await recordingSource(recordingId);
    return { from, title: item.title, about: item.about };
  } catch (err) {
    // Not in this browser: the server this page came from may keep it (a share link of prnr serve).
    if (errorCode(err) !== 'RECORDING_NOT_FOUND') throw err;
    const shared = await sharedRecording(recordingId);
    if (!shared) throw err;
    return { from: { url: sharedFileUrl(recordingId) }, title: shared.title };
  }
}
