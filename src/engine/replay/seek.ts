// Seek (docs/design.md 4): the state at any tick = restore the last snapshot at or
// before it and run forward, injecting the logged inputs. With a checkpoint
// cache (./checkpoints.ts) it starts from the latest checkpoint in between
// instead, and keeps one at every checkpoint tick it runs past. (The console
// screen needs no replay: src/shared/recording/console.ts.)
import { PrnrError } from '../../shared/errors';
import { snapshotBefore } from '../../shared/recording/reader';
import { checkpointTicks, type CheckpointCache } from './checkpoints';
import type { ReplayMachine } from './replay-machine';

/** Puts the machine at `tick`: from where it is, the latest checkpoint or the nearest snapshot before it, whichever is latest. */
export function seek(rm: ReplayMachine, tick: bigint, checkpoints?: CheckpointCache): { tick: bigint; snapshot: number } {
  const rec = rm.rec;
  const last = rec.snapshots[rec.snapshots.length - 1].tick;
  if (tick < 0n) throw new PrnrError('RECORDING_RANGE', `tick ${tick} is before the recording`);
  if (tick > last) throw new PrnrError('RECORDING_RANGE', `tick ${tick} is after the recording's end at ${last}`);
  const k = snapshotBefore(rec, tick);
  const snapTick = rec.snapshots[k].tick;
  // Running on from where the machine is beats restoring when it is already in the same slice, before `tick`.
  const here = rm.tick;
  const runOn = here <= tick && here >= snapTick && rm.positioned;
  const checkpoint = checkpoints?.latest(runOn ? here : snapTick, tick);
  if (checkpoint) rm.resume(checkpoint);
  else if (!runOn) rm.restore(k);
  if (checkpoints) {
    for (const at of checkpointTicks(rm.tick, tick)) {
      // None is kept past the start: it would have been the start.
      if (!rm.runTo(at)) break;
      const c = rm.checkpoint();
      if (c) checkpoints.add(c);
    }
  }
  rm.runTo(tick);
  return { tick: rm.tick, snapshot: k };
}
