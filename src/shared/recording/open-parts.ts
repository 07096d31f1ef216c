// Opening a recording by parts (docs/design.md 6, "Reading by parts"): from
// a RangeReader (HTTP ranges, an OPFS file), load END, then the index END
// points to, then the file header and every record the index names except
// the blobs, in as few reads as close ranges allow (one request of many
// ranges where the reader takes them); then open it with the
// reader as from any source, which checks all of it (chain, roots, END). A
// restore's blobs are loaded when a seek first needs them (loadSnapshot),
// so the first frame of a large recording waits for its small records and
// one snapshot's pages, not for the whole file. A recording without a
// valid END (a `.partial` file, or a damaged one) is scanned by the reader,
// so it is loaded whole.
import { errorCode, PrnrError } from '../errors';
import { ByteReader } from './bytes';
import { decodeEnd, decodeIndex, END_FRAME_BYTES, END_PAYLOAD_BYTES, FILE_HEADER_BYTES, FRAME_OVERHEAD, RecordType } from './format';
import { HASH_BYTES } from './merkle';
import { manifestAt, openRecording, type OpenOptions, type Recording } from './reader';
import { PartialSource, type RangeReader } from './source';

/** Tries of an open that reads something not loaded before it is loaded whole. */
const OPEN_ATTEMPTS = 4;

/** Opens the recording `reader` holds, loading only what opening reads; `source` loads the rest on demand. */
export async function openRecordingByParts(reader: RangeReader, options: OpenOptions): Promise<{ rec: Recording; source: PartialSource }> {
  const source = new PartialSource(reader);
  if (options.recovery || !(await loadIndexed(source))) await source.loadAll();
  for (let attempt = 1; ; attempt++) {
    try {
      return { rec: openRecording(source, options), source };
    } catch (err) {
      if (errorCode(err) !== 'RECORDING_NOT_LOADED') throw err;
      // The plan missed something (a file the index does not describe as it should): the reader decides on all of it.
      if (attempt >= OPEN_ATTEMPTS) await source.loadAll();
      else await source.loadMissing();
    }
  }
}

/**
 * Loads the header, END, the index and every record but the blobs; false if
 * the file has no END to go by (the reader scans such a file whole). Nothing
 * here is trusted: the reader checks every byte it reads after.
 */
async function loadIndexed(source: PartialSource): Promise<boolean> {
  const endAt = source.size - END_FRAME_BYTES;
  if (endAt < FILE_HEADER_BYTES) return false;
  // END first (an HTTP reader has it already, with the index, from its first answer); the header comes with the records.
  await source.load([[endAt, END_FRAME_BYTES]]);
  try {
    const frame = source.read(endAt, END_FRAME_BYTES);
    if (frame[0] !== RecordType.end) return false;
    const { indexOffset } = decodeEnd(new ByteReader(frame.subarray(5, 5 + END_PAYLOAD_BYTES), 'END record'));
    if (indexOffset < FILE_HEADER_BYTES || indexOffset >= endAt) return false;
    await source.load([[indexOffset, endAt - indexOffset]]);
    const records: Array<[number, number]> = [[0, FILE_HEADER_BYTES]];
    let offset = FILE_HEADER_BYTES;
    for (let at = indexOffset; at < endAt; ) {
      const head = source.read(at, 5);
      const length = new DataView(head.buffer, head.byteOffset, 5).getUint32(1, true);
      if (head[0] !== RecordType.index || at + FRAME_OVERHEAD + length > endAt) return false;
      const { entries } = decodeIndex(new ByteReader(source.read(at + 5, length), 'INDEX record'));
      for (let i = 0; i < entries.types.length; i++) {
        if (entries.types[i] !== RecordType.blob) records.push([offset, FRAME_OVERHEAD + entries.lengths[i]]);
        offset += FRAME_OVERHEAD + entries.lengths[i];
      }
      at += FRAME_OVERHEAD + length;
    }
    await source.load(records);
    return true;
  } catch {
    // Not what an END and an index look like: the reader scans the whole file and names what is wrong.
    return false;
  }
}

/**
 * Loads what restoring snapshot k reads from the recording: its state blob
 * and every stored page and block its manifest names. `read` is how blobs
 * are read (the recording's own blob(), or a cache in front of it): each
 * stored one is read once here, so that the restore after does not miss.
 */
export async function loadSnapshot(rec: Recording, source: PartialSource, k: number, read: Recording['blob'] = rec.blob): Promise<void> {
  if (source.complete) return;
  const snap = rec.snapshots[k];
  if (!snap) throw new PrnrError('RECORDING_RANGE', `no snapshot ${k} (the recording has ${rec.snapshots.length})`);
  const { ram, disk } = manifestAt(rec, k);
  const hashes: Array<[Uint8Array, 'state' | 'page']> = [[snap.stateHash, 'state']];
  for (const units of [ram, disk]) for (let at = 0; at < units.length; at += HASH_BYTES) hashes.push([units.subarray(at, at + HASH_BYTES), 'page']);
  // Every record the restore reads, in one load (one request of many ranges where the reader takes them).
  await source.load(hashes.map(([hash]) => rec.blobRecord(hash)).filter((r) => r !== undefined));
  for (let attempt = 1; attempt <= OPEN_ATTEMPTS; attempt++) {
    let missed = false;
    for (const [hash, kind] of hashes) {
      if (!rec.hasBlob(hash)) continue;
      try {
        read(hash, kind);
      } catch (err) {
        if (errorCode(err) !== 'RECORDING_NOT_LOADED') throw err;
        missed = true;
      }
    }
    if (!missed) return;
    await source.loadMissing();
  }
  await source.loadAll();
}
