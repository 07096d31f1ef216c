// Ticks are the machine's position (one per retired instruction, docs/design.md 2).
// They are u64, held as bigint, and travel as decimal strings (URLs, JSON, CLI).
import { PrnrError } from './errors';

export type Tick = bigint;

export const MAX_TICK: Tick = (1n << 64n) - 1n;

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Parses a tick written as a plain decimal integer (no sign, no leading zeros, no exponent). */
export function parseTick(text: string): Tick {
  if (!DECIMAL.test(text)) {
    throw new PrnrError('BAD_TICK', `a tick is a decimal integer like 1200345, got ${JSON.stringify(text)}`);
  }
  const tick = BigInt(text);
  if (tick > MAX_TICK) throw new PrnrError('BAD_TICK', `a tick is at most ${MAX_TICK} (u64), got ${text}`);
  return tick;
}

export function formatTick(tick: Tick): string {
  if (tick < 0n || tick > MAX_TICK) throw new PrnrError('BAD_TICK', `tick out of range 0..${MAX_TICK}: ${tick}`);
  return tick.toString(10);
}
