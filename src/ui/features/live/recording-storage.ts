// The live page's recordings go where the library keeps them: OPFS and the
// IndexedDB index (src/engine/web/recording-store.ts).
import { beginRecordingSession, indexFinishedRecording, liveRecordingFileName } from '../../../engine/web/recording-store';
import type { LiveRecordingStorage } from './live-machine';

/** A fresh 64-bit entropy seed for every recording (docs/design.md 2), as prnr record draws one. */
function freshSeed(): bigint {
  const seed = new BigUint64Array(1);
  crypto.getRandomValues(seed);
  return seed[0];
}

export const webRecordingStorage: LiveRecordingStorage = {
  newRecording: () => ({ file: liveRecordingFileName(), entropySeed: freshSeed() }),
  begin: (file, title) => beginRecordingSession({ file, title, created: Date.now() }),
  finished: async (file) => (await indexFinishedRecording(file)).id,
};
