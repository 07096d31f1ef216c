// A recording's console by tick, from its logged output alone (no replay):
// the bytes printed up to a tick and the screen they drew.
import { TerminalScreen } from '../terminal-screen';
import type { Recording } from './reader';

/** Console output logged up to and including `tick`. */
export function outputUntil(rec: Pick<Recording, 'slices'>, tick: bigint): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const slice of rec.slices) {
    if (slice.startTick > tick) break;
    for (const chunk of slice.output) if (chunk.tick <= tick) out.push(chunk.data);
  }
  return out;
}

/** The console screen as it looked at `tick`. */
export function screenAt(rec: Pick<Recording, 'slices'>, tick: bigint, rows = 24, cols = 80): TerminalScreen {
  const screen = new TerminalScreen(rows, cols);
  for (const chunk of outputUntil(rec, tick)) screen.write(chunk);
  return screen;
}
