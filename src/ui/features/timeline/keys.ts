// The timeline's keys (issues 11, 12): ←/→ one tick, Shift+←/→ the previous/next
// console write or (once analysed) syscall entry, PageUp/PageDown the
// previous/next slice boundary, Home/End.
// A pure function of the key, the tick and the recording's summaries.

export interface TimelineMarks {
  endTick: bigint;
  /** Snapshot ticks, ascending: slice i is [snapshotTicks[i], snapshotTicks[i + 1]). */
  snapshotTicks: readonly bigint[];
  /** Console write ticks, ascending. */
  outputTicks: readonly bigint[];
  /** Syscall entry ticks, ascending (once the syscalls are analysed). */
  syscallTicks?: readonly bigint[];
}

const max = (a: bigint | undefined, b: bigint | undefined) => (a === undefined ? b : b === undefined ? a : a > b ? a : b);
const min = (a: bigint | undefined, b: bigint | undefined) => (a === undefined ? b : b === undefined ? a : a < b ? a : b);

/** The last entry < tick, or undefined. */
export function before(sorted: readonly bigint[], tick: bigint): bigint | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < tick) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}

/** The first entry > tick, or undefined. */
export function after(sorted: readonly bigint[], tick: bigint): bigint | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= tick) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? sorted[lo] : undefined;
}

/** Where a key moves the playhead from `tick`; undefined if the key is not the timeline's. */
export function tickForKey(key: string, shift: boolean, tick: bigint, marks: TimelineMarks): bigint | undefined {
  const { endTick } = marks;
  switch (key) {
    case 'ArrowLeft':
      return shift ? (max(before(marks.outputTicks, tick), marks.syscallTicks && before(marks.syscallTicks, tick)) ?? 0n) : tick > 0n ? tick - 1n : 0n;
    case 'ArrowRight':
      return shift ? (min(after(marks.outputTicks, tick), marks.syscallTicks && after(marks.syscallTicks, tick)) ?? endTick) : tick < endTick ? tick + 1n : endTick;
    case 'PageUp':
      return before(marks.snapshotTicks, tick) ?? 0n;
    case 'PageDown':
      return after(marks.snapshotTicks, tick) ?? endTick;
    case 'Home':
      return 0n;
    case 'End':
      return endTick;
    default:
      return undefined;
  }
}
