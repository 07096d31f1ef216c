// How the library writes sizes and durations.
import { TICKS_PER_MTIME, TIMEBASE_HZ } from '../../../shared/machine-constants';

/** Ticks per guest second: mtime runs at TIMEBASE_HZ, one mtime per TICKS_PER_MTIME ticks (docs/design.md 2, Time). */
export const TICKS_PER_SECOND = TIMEBASE_HZ * TICKS_PER_MTIME;

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
}

/** Guest seconds at `ticks`, e.g. "0.67 s". */
export function guestSeconds(ticks: bigint): string {
  const seconds = Number(ticks) / Number(TICKS_PER_SECOND);
  return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
}

/** Ticks with thousands separators: 66,741,933. */
export function formatTicks(ticks: bigint): string {
  return ticks.toLocaleString('en-US');
}

export function formatDate(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
