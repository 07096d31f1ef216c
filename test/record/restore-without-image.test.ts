// A ReplayMachine created without the image restores from the recording alone
// when it holds every unit a snapshot needs, into exactly the state an
// image-booted machine reaches; otherwise it says that it needs the image.
import { beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../src/engine/machine';
import { nodeSha256 } from '../../src/engine/node/hash';
import { needsImage, ReplayMachine } from '../../src/engine/replay/replay-machine';
import { errorCode } from '../../src/shared/errors';
import { PAGE_BYTES } from '../../src/shared/recording/format';
import type { Recording } from '../../src/shared/recording/reader';
import { isZeroUnit } from '../../src/shared/recording/units';
import { toHex } from '../../src/shared/sha256';
import { machineModule, open, recordMini, replayMachine } from './helpers';
import { miniBootConfig } from './mini-guest';

let rec: Recording;
/** The same recording, as if it also stored every unit the boot wrote (what the recorder leaves to the image). */
let covered: Recording;

async function bootUnits(): Promise<Map<string, Uint8Array>> {
  const machine = await Machine.create(await machineModule());
  machine.boot(miniBootConfig());
  const units = new Map<string, Uint8Array>();
  for (const view of [machine.ramView(), machine.diskView()]) {
    for (let at = 0; at < view.length; at += PAGE_BYTES) {
      const unit = view.slice(at, at + PAGE_BYTES);
      if (!isZeroUnit(unit)) units.set(toHex(nodeSha256(unit)), unit);
    }
  }
  return units;
}

beforeAll(async () => {
  rec = open((await recordMini()).bytes);
  const units = await bootUnits();
  covered = { ...rec, blob: (hash, kind) => rec.blob(hash, kind) ?? units.get(toHex(hash)), hasBlob: (hash) => rec.hasBlob(hash) || units.has(toHex(hash)) };
});

describe('restoring without the image', () => {
  it('is refused, naming the image, when the recording lacks units the boot wrote', async () => {
    expect(rec.snapshots.every((_, k) => needsImage(rec, k))).toBe(true);
    const rm = await ReplayMachine.create(await machineModule(), rec, undefined, nodeSha256);
    expect(rm.hasImage).toBe(false);
    const err: unknown = (() => {
      try {
        rm.restore(2);
      } catch (e) {
        return e;
      }
    })();
    expect(errorCode(err)).toBe('RECORDING_NEEDS_IMAGE');
    expect(String(err)).toContain('"mini"');
  });

  it('reaches the state of an image-booted machine at every snapshot when the recording holds every unit, and verifies every slice', async () => {
    expect(covered.snapshots.some((_, k) => needsImage(covered, k))).toBe(false);
    const bare = await ReplayMachine.create(await machineModule(), covered, undefined, nodeSha256);
    const booted = await replayMachine(rec);
    for (let k = covered.snapshots.length - 1; k >= 0; k--) {
      bare.restore(k);
      booted.restore(k);
      expect(bare.tick).toBe(covered.snapshots[k].tick);
      expect(bare.machine.stateHash(), `snapshot ${k}`).toBe(booted.machine.stateHash());
    }
    for (const slice of covered.slices) {
      const result = bare.replaySlice(slice.index);
      expect(result.ok, `slice ${slice.index}: ${result.divergence}`).toBe(true);
      expect(result.root).toBe(booted.replaySlice(slice.index).root);
    }
  });
});
