// An upload is checked by the engine's own reader before anything of it is
// stored (docs/design.md 6): opened through its index (END, INDEX, every small
// record's frame and CRC, the integrity chain at every snapshot and at END,
// every state root, the signature if there is one), then every blob read and
// checked against its hash, and every slice's inputs and output read back and
// decoded. Only a finished recording is accepted: a `.partial` one has no END
// to seal what it holds.
import { FileSource } from '../engine/node/recording-file';
import { nodeOpenOptions } from '../engine/node/codecs';
import { openRecording, type Recording } from '../shared/recording/reader';

export interface ValidRecording {
  rec: Recording;
  source: FileSource;
}

/** Opens and fully checks the recording at `path`; throws the reader's PrnrError (RECORDING_*) otherwise. The caller closes `source`. */
export function validateRecordingFile(path: string): ValidRecording {
  const source = FileSource.open(path);
  try {
    const rec = openRecording(source, { ...nodeOpenOptions, recovery: false, verifyBlobs: true, verifyRoots: true });
    rec.verifyBlobs();
    for (const slice of rec.slices) {
      void slice.events;
      void slice.output;
    }
    return { rec, source };
  } catch (err) {
    source.close();
    throw err;
  }
}
