// Restoring snapshots in any order reaches exactly each snapshot's state: on
// a recording with more snapshots than a replay machine keeps manifest copies
// of (replay-machine.ts MANIFEST_COPIES), so restores back in time start from
// a kept copy, not from snapshot 0, and forward ones from the last.
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/engine/node/hash';
import type { Recording } from '../../src/shared/recording/reader';
import { bytesEqual } from '../../src/shared/sha256';
import { open, recordMini, replayMachine } from './helpers';

let rec: Recording;

beforeAll(async () => {
  rec = open((await recordMini({ sliceTicks: 100_000n })).bytes);
});

describe('restoring snapshots out of order', () => {
  it('reaches every snapshot state root, going forward, back, and back again', async () => {
    expect(rec.snapshots.length).toBeGreaterThan(40);
    const rm = await replayMachine(rec);
    const n = rec.snapshots.length;
    const order = [n - 1, 3, n - 2, 17, 16, 40, 1, 0, n - 1, 33, 34, 2, 25, 8];
    for (let s = 7, i = 0; i < 20; i++) order.push((s = (s * 37 + 11) % n));
    for (const k of order) {
      rm.restore(k);
      rm.hashes.ram.updateDirty();
      rm.hashes.disk.updateDirty();
      const root = rm.hashes.rootFor(nodeSha256(rm.machine.saveState()));
      expect(bytesEqual(root, rec.snapshots[k].root), `snapshot ${k}`).toBe(true);
      // Run a little, so the next restore has pages to put back.
      rm.runTo(rec.snapshots[k].tick + 20_000n < rec.snapshots[n - 1].tick ? rec.snapshots[k].tick + 20_000n : rec.snapshots[k].tick);
    }
  });
});
