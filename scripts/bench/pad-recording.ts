// Makes a large recording out of a small one: rewrites every record through
// the writer and stores `padding` bytes of random 4 MiB blobs between the
// slices (as a long, memory-heavy session would hold blobs nobody reads at
// any one tick). The result is a valid recording that replays and verifies
// like the original. Used by the >4 GiB test and the storage benchmark.
import { randomFillSync } from 'node:crypto';
import { nodeSha256 } from '../../src/engine/node/hash';
import { FileSink } from '../../src/engine/node/recording-file';
import { RecordingWriter } from '../../src/engine/record/writer';
import { MAX_STATE_BYTES } from '../../src/shared/recording/format';
import { HASH_BYTES } from '../../src/shared/recording/merkle';
import type { Recording } from '../../src/shared/recording/reader';
import { zeroPageHash } from '../../src/shared/recording/units';

/** `blobBytes`: the size of each padding blob (4 MiB; 4 KiB ones are pages no snapshot names, which `prnr verify` and a server accept). */
export function rewriteWithPadding(src: Recording, path: string, padding: number, blobBytes = MAX_STATE_BYTES): void {
  const writer = new RecordingWriter(new FileSink(path, { force: true }), src.header, { sha256: nodeSha256 });
  const zero = zeroPageHash(nodeSha256);
  const blob = new Uint8Array(blobBytes);
  const perSlice = Math.ceil(Math.max(0, padding) / blob.length / Math.max(1, src.slices.length));
  const copy = (hashes: Uint8Array) => {
    for (let i = 0; i < hashes.length; i += HASH_BYTES) {
      const hash = hashes.subarray(i, i + HASH_BYTES);
      if (Buffer.compare(hash, zero) === 0) continue;
      const content = src.blob(hash, 'page');
      if (content) writer.blob(hash, content);
    }
  };
  for (const [k, snap] of src.snapshots.entries()) {
    if (k > 0) {
      for (let i = 0; i < perSlice; i++) {
        randomFillSync(blob);
        // A copy: the sink keeps appended bytes until the next snapshot, and the buffer is refilled before that.
        writer.blob(nodeSha256(blob), blob.slice());
      }
      copy(snap.ramHashes);
      copy(snap.diskHashes);
    }
    writer.blob(snap.stateHash, src.blob(snap.stateHash, 'state')!);
    const slice = src.slices[k - 1];
    writer.snapshot(slice?.startTick ?? 0n, slice?.events ?? [], slice?.output ?? [], snap);
  }
  writer.end(src.end!);
}
