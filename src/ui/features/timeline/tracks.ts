// The timeline's generic tracks (docs/extending.md, "A timeline track"): a
// lane of marks (a tick each: a syscall, a fork, a note) and spans (a range of
// ticks: a process running, a hot stretch), drawn by TrackLane under the
// slices and console tracks. A feature builds its tracks from its own data
// and hands them to the page; the timeline knows nothing of what they mean.
//
// Drawn from summaries: a lane paints its marks and spans a pixel column at a
// time on a canvas, and puts one element per mark (title, data-testid) only
// while the window shows few of them, so a track of a million marks costs
// what its width costs.

export interface TimelineMark {
  tick: bigint;
  /** Its colour: a key of MARK_COLORS (unknown kinds are grey). */
  kind: string;
  /** Shown on hover; absent: the track's titleOf(index). */
  title?: string;
  /** data-testid of the mark's element (drawn while the window shows few marks). */
  testId?: string;
  /** Drawn with a red underline: a failed call, a non-zero exit. */
  failed?: boolean;
}

export interface TimelineSpan {
  from: bigint;
  /** Exclusive. */
  to: bigint;
  label: string;
  title?: string;
  /** Its colour (MARK_COLORS); the lane's default span colour if absent. */
  kind?: string;
  /** 0..1: how strongly it is drawn (a density); 1 if absent. */
  weight?: number;
}

export interface TimelineTrack {
  /** Unique among the page's tracks (React key, data-track). */
  id: string;
  label: string;
  /** Hover text of the lane's label (e.g. a process's parent). */
  labelTitle?: string;
  /** Sorted by tick. */
  marks: readonly TimelineMark[];
  /** Sorted by `from`, not overlapping. */
  spans?: readonly TimelineSpan[];
  /** Hover text of marks without a title, computed only when hovered (a million marks need no million strings). */
  titleOf?(index: number): string;
}

/** Colours of mark and span kinds: syscall categories, process events, notes. */
export const MARK_COLORS: Readonly<Record<string, string>> = {
  file: '#6cb6ff',
  process: '#dcbdfb',
  memory: '#56d364',
  network: '#f69d50',
  signal: '#f47067',
  time: '#e3b341',
  other: '#8b93a3',
  running: '#2f6f9f',
  fork: '#dcbdfb',
  exec: '#96d0ff',
  exit: '#f47067',
  hot: '#f69d50',
  note: '#e3b341',
  progress: '#e3b341',
  done: '#2f8f46',
};

export const DEFAULT_COLOR = '#8b93a3';

export function markColor(kind: string | undefined): string {
  return (kind !== undefined ? MARK_COLORS[kind] : undefined) ?? DEFAULT_COLOR;
}

/** First index with key(items[i]) >= value, items sorted by key. */
export function lowerBoundBy<T>(items: readonly T[], value: bigint, key: (item: T) => bigint): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const markTick = (mark: TimelineMark) => mark.tick;
export const spanFrom = (span: TimelineSpan) => span.from;

/** Indices of the marks in [from, to), or undefined when there are more than `limit`. */
export function marksIn(marks: readonly TimelineMark[], from: bigint, to: bigint, limit: number): [number, number] | undefined {
  const first = lowerBoundBy(marks, from, markTick);
  const last = lowerBoundBy(marks, to, markTick);
  return last - first <= limit ? [first, last] : undefined;
}

/** The mark nearest `tick` within `slack` ticks, or -1. */
export function nearestMark(marks: readonly TimelineMark[], tick: bigint, slack: bigint): number {
  const i = lowerBoundBy(marks, tick, markTick);
  let best = -1;
  let bestDistance = slack + 1n;
  for (const j of [i - 1, i]) {
    const mark = marks[j];
    if (!mark) continue;
    const d = mark.tick > tick ? mark.tick - tick : tick - mark.tick;
    if (d < bestDistance) {
      best = j;
      bestDistance = d;
    }
  }
  return best;
}

/** The span holding `tick`, or -1. */
export function spanAt(spans: readonly TimelineSpan[], tick: bigint): number {
  const i = lowerBoundBy(spans, tick + 1n, spanFrom) - 1;
  return i >= 0 && spans[i]!.to > tick ? i : -1;
}

/** A mark's hover text. */
export function markTitle(track: TimelineTrack, index: number): string {
  const mark = track.marks[index]!;
  return mark.title ?? track.titleOf?.(index) ?? `${mark.kind} at tick ${mark.tick}`;
}
