// Seek (docs/design.md 4): the state at any tick = restore the last snapshot at or
// before it and run forward, injecting the logged inputs. (The console screen
// needs no replay: src/shared/recording/console.ts.)
import { PrnrError } from '../../shared/errors';
import { snapshotBefore } from '../../shared/recording/reader';
import type { ReplayMachine } from './replay-machine';

/** Restores the nearest snapshot at or before `tick` and runs to it; clamps to the recording's end. */
export function seek(rm: ReplayMachine, tick: bigint): { tick: bigint; snapshot: number } {
  const rec = rm.rec;
  const last = rec.snapshots[rec.snapshots.length - 1].tick;
  if (tick < 0n) throw new PrnrError('RECORDING_RANGE', `tick ${tick} is before the recording`);
  if (tick > last) throw new PrnrError('RECORDING_RANGE', `tick ${tick} is after the recording's end at ${last}`);
  const k = snapshotBefore(rec, tick);
  // Running on from where the machine is beats restoring when it is already in the same slice, before `tick`.
  const here = rm.tick;
  if (!(here <= tick && here >= rec.snapshots[k].tick && rm.positioned)) rm.restore(k);
  rm.runTo(tick);
  return { tick: rm.tick, snapshot: k };
}

