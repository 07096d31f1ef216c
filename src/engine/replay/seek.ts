// Seek (DESIGN.md 4): the state at any tick = restore the last snapshot at or
// before it and run forward, injecting the logged inputs. The console screen
// comes from the logged output alone, with no replay.
import { PrnrError } from '../../shared/errors';
import { snapshotBefore, type Recording } from '../../shared/recording/reader';
import type { ReplayMachine } from './replay-machine';
import { TerminalScreen } from './screen';

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

/** Console output logged up to and including `tick`. */
export function outputUntil(rec: Recording, tick: bigint): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const slice of rec.slices) {
    if (slice.startTick > tick) break;
    for (const chunk of slice.output) if (chunk.tick <= tick) out.push(chunk.data);
  }
  return out;
}

/** The console screen as it looked at `tick`. */
export function screenAt(rec: Recording, tick: bigint, rows = 24, cols = 80): TerminalScreen {
  const screen = new TerminalScreen(rows, cols);
  for (const chunk of outputUntil(rec, tick)) screen.write(chunk);
  return screen;
}
