// A recording's console by tick, from its logged output alone (no replay):
// the bytes printed up to a tick, where each write happened, and the screen
// they drew.
import { concatBytes } from '../bytes';
import { TerminalScreen } from '../terminal-screen';
import type { Recording } from './reader';

/** Console output logged in (after, tick]: after undefined means from the start. */
export function outputBetween(rec: Pick<Recording, 'slices'>, after: bigint | undefined, tick: bigint): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const slice of rec.slices) {
    if (slice.startTick > tick) break;
    // A slice's output lies in (startTick, endTick].
    if (after !== undefined && slice.endTick <= after) continue;
    for (const chunk of slice.output) if (chunk.tick <= tick && (after === undefined || chunk.tick > after)) out.push(chunk.data);
  }
  return out;
}

/** Console output logged up to and including `tick`. */
export function outputUntil(rec: Pick<Recording, 'slices'>, tick: bigint): Uint8Array[] {
  return outputBetween(rec, undefined, tick);
}

/** The same, as one byte string. */
export function outputBytes(rec: Pick<Recording, 'slices'>, after: bigint | undefined, tick: bigint): Uint8Array {
  return concatBytes(outputBetween(rec, after, tick));
}

/** The tick of every console write, ascending: the timeline's console track and its "next write" keys. */
export function outputTicks(rec: Pick<Recording, 'slices'>): bigint[] {
  const ticks: bigint[] = [];
  for (const slice of rec.slices) for (const chunk of slice.output) if (ticks.length === 0 || ticks[ticks.length - 1] !== chunk.tick) ticks.push(chunk.tick);
  return ticks;
}

/** The console screen as it looked at `tick` (call dispose() when done with it). */
export async function screenAt(rec: Pick<Recording, 'slices'>, tick: bigint, rows = 24, cols = 80): Promise<TerminalScreen> {
  const screen = new TerminalScreen(rows, cols);
  await screen.write(outputBytes(rec, undefined, tick));
  return screen;
}
