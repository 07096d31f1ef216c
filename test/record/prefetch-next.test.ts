// A recording read by parts on a host with idle time (the browser's engine
// worker): once a request has restored snapshot k, the background loads what
// restoring snapshot k+1 reads before anything else, so playing on into the
// next slice does not wait for the network; then the rest of the file.
import { describe, expect, it } from 'vitest';
import { RecordingInspector } from '../../src/engine/inspect/recording-inspector';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { loadNodeBootImage } from '../../src/engine/node/images';
import { manifestAt, type Recording } from '../../src/shared/recording/reader';
import { openRecordingByParts } from '../../src/shared/recording/open-parts';
import { HASH_BYTES } from '../../src/shared/recording/merkle';
import type { RangeReader } from '../../src/shared/recording/source';
import { demoBytes } from '../server/helpers';
import { machineModule } from './helpers';

/** Where the records restoring snapshot k reads start. */
function restoreOffsets(rec: Recording, k: number): Set<number> {
  const { ram, disk } = manifestAt(rec, k);
  const hashes = [rec.snapshots[k].stateHash];
  for (const units of [ram, disk]) for (let at = 0; at < units.length; at += HASH_BYTES) hashes.push(units.subarray(at, at + HASH_BYTES));
  return new Set(hashes.map((h) => rec.blobRecord(h)?.[0]).filter((o) => o !== undefined));
}

describe('reading by parts in idle time', () => {
  it('loads the next slice\'s snapshot first, then the rest of the file', async () => {
    const bytes = demoBytes('first-tour');
    const reads: Array<[number, number]> = [];
    const reader: RangeReader = { size: bytes.length, read: async (offset, length) => (reads.push([offset, length]), bytes.slice(offset, offset + length)) };
    const { rec, source } = await openRecordingByParts(reader, nodeOpenOptions);
    expect(rec.snapshots.length).toBeGreaterThan(2);
    const inspector = new RecordingInspector(rec, {
      loadModule: machineModule,
      loadImage: (name) => loadNodeBootImage(name),
      codecs: nodeOpenOptions,
      idle: (ms, task) => {
        const timer = setTimeout(task, ms);
        return () => clearTimeout(timer);
      },
    }, { parts: source }, false);
    const k = 5;
    await inspector.registers(rec.snapshots[k].tick + 10n);
    const before = reads.length;
    const end = Date.now() + 60_000;
    while (!source.complete && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(source.complete).toBe(true);
    // The first read after the frame is snapshot k+1's restore: it starts at one of the records that restore reads.
    const next = restoreOffsets(rec, k + 1);
    const first = reads[before];
    expect(first).toBeDefined();
    expect(next.has(first[0])).toBe(true);
    await inspector.close();
  });
});
