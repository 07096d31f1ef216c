// The checkpoints one open recording's seeks start from (../replay/checkpoints.ts):
// kept up to CHECKPOINT_BUDGET in the CHECKPOINT_RECORDINGS open recordings
// sought last (a third drops those of the one sought longest ago), and taken
// ahead of need in idle time, CHECKPOINT_FILL_STEP ticks a step, from the
// slice last asked about onwards, in the slices the machine can restore.
import type { Recording } from '../../shared/recording/reader';
import { CheckpointCache, checkpointTicks } from '../replay/checkpoints';
import type { ReplayMachine } from '../replay/replay-machine';
import { seek } from '../replay/seek';

/** Bytes of checkpoints an open recording keeps: a few hundred of a small guest's (~1 MiB each on the demos). */
const CHECKPOINT_BUDGET = 256 * 1024 * 1024;
/** Open recordings that keep checkpoints at once (two: a diff seeks both), the most recently sought ones. */
const CHECKPOINT_RECORDINGS = 2;
/** Ticks idle time runs towards the next checkpoint per step: a few milliseconds, so a request that comes meanwhile waits no longer than that. */
const CHECKPOINT_FILL_STEP = 250_000n;
/** Quiet time after a request before idle time takes checkpoints: a pause in scrubbing, not the gap between two seeks. */
export const CHECKPOINT_FILL_IDLE_MS = 250;

/** A checkpoint to take, and where a run to it starts (the checkpoint before it or the slice's snapshot). */
export interface FillTarget {
  tick: bigint;
  from: bigint;
}

export class RecordingCheckpoints {
  /** Open recordings holding checkpoints, the most recently sought first. */
  private static held: RecordingCheckpoints[] = [];
  private readonly cache = new CheckpointCache(CHECKPOINT_BUDGET);
  private stopped = false;

  constructor(private readonly rec: Recording) {}

  /** Puts `machine` at `tick`, from the latest checkpoint before it where that is nearer than its snapshot, keeping those it passes. */
  seek(machine: ReplayMachine, tick: bigint): { tick: bigint; snapshot: number } {
    this.hold();
    return seek(machine, tick, this.cache);
  }

  /**
   * One step towards `next` (from toFill()) on `machine`: at most
   * CHECKPOINT_FILL_STEP ticks, on from where the machine is if a request
   * did not move it. A snapshot that cannot be restored stops the filling
   * (a request says why when one asks).
   */
  fillStep(machine: ReplayMachine, next: FillTarget): void {
    const { tick, from } = next;
    const here = machine.positioned && machine.tick >= from && machine.tick < tick ? machine.tick : from;
    try {
      this.seek(machine, here + CHECKPOINT_FILL_STEP < tick ? here + CHECKPOINT_FILL_STEP : tick);
    } catch {
      this.stopped = true;
    }
  }

  /** Drops every checkpoint (the recording is closed). */
  drop(): void {
    const held = RecordingCheckpoints.held;
    if (held.includes(this)) held.splice(held.indexOf(this), 1);
    this.cache.clear();
  }

  /** Makes this the recording sought last; beyond CHECKPOINT_RECORDINGS, the one sought longest ago drops its checkpoints. */
  private hold(): void {
    const held = RecordingCheckpoints.held;
    const at = held.indexOf(this);
    if (at === 0) return;
    if (at > 0) held.splice(at, 1);
    held.unshift(this);
    for (const dropped of held.splice(CHECKPOINT_RECORDINGS)) dropped.cache.clear();
  }

  /**
   * The next checkpoint to take ahead of need, from slice `lastSnapshot`
   * onwards, in the slices `canRestore` names; none when all are kept, the
   * budget is full or the filling stopped.
   */
  toFill(lastSnapshot: number, canRestore: (k: number) => boolean): FillTarget | undefined {
    const { snapshots } = this.rec;
    const slices = snapshots.length - 1;
    const cache = this.cache;
    if (this.stopped || slices < 1 || !cache.fits((2 * cache.bytes) / Math.max(1, cache.size))) return undefined;
    const first = Math.max(0, Math.min(lastSnapshot, slices - 1));
    for (let n = 0; n < slices; n++) {
      const k = (first + n) % slices;
      if (!canRestore(k)) continue;
      let from = snapshots[k].tick;
      for (const tick of checkpointTicks(from, snapshots[k + 1].tick - 1n)) {
        if (!cache.has(tick)) return { tick, from };
        from = tick;
      }
    }
    return undefined;
  }
}
