// The timeline's window onto the recording: which ticks [start, start + span)
// its width shows. Plain numbers (ticks stay exact below 2^53, far past any
// recording's length); a tick the user picks is rounded to a bigint.

export interface TimelineView {
  start: number;
  span: number;
}

/** The narrowest window: a few instructions, each wide enough to click. */
export const MIN_SPAN = 16;

/** Guest seconds at a tick: 10 ticks per mtime unit at the 10 MHz timebase (docs/design.md 2, Time). */
export const TICKS_PER_SECOND = 1e8;

/** The whole recording, [0, endTick]. */
export function wholeView(endTick: bigint): TimelineView {
  return { start: 0, span: Math.max(MIN_SPAN, Number(endTick) + 1) };
}

/** Keeps a window inside [0, endTick + 1) and at least MIN_SPAN wide. */
export function clampView(view: TimelineView, endTick: bigint): TimelineView {
  const total = Math.max(MIN_SPAN, Number(endTick) + 1);
  const span = Math.min(total, Math.max(MIN_SPAN, view.span));
  const start = Math.min(total - span, Math.max(0, view.start));
  return { start, span };
}

/** Zooms by `factor` (< 1 zooms in) keeping the tick under `anchor` (0..1 across the width) in place. */
export function zoomAt(view: TimelineView, factor: number, anchor: number, endTick: bigint): TimelineView {
  const at = view.start + anchor * view.span;
  const span = clampView({ start: 0, span: view.span * factor }, endTick).span;
  return clampView({ start: at - anchor * span, span }, endTick);
}

/** Pans by `fraction` of the width (positive: later). */
export function panBy(view: TimelineView, fraction: number, endTick: bigint): TimelineView {
  return clampView({ start: view.start + fraction * view.span, span: view.span }, endTick);
}

/** The tick at `fraction` (0..1) across the width, within [0, endTick]. */
export function tickAt(view: TimelineView, fraction: number, endTick: bigint): bigint {
  const tick = Math.floor(view.start + Math.min(1, Math.max(0, fraction)) * view.span);
  const t = BigInt(Math.max(0, tick));
  return t > endTick ? endTick : t;
}

/** Where `tick` sits across the width (0..1 inside the window; outside otherwise). */
export function fractionOf(view: TimelineView, tick: bigint): number {
  return (Number(tick) - view.start) / view.span;
}

/** The window moved just enough to show `tick` (with a margin), or unchanged if it shows it. */
export function follow(view: TimelineView, tick: bigint, endTick: bigint): TimelineView {
  const f = fractionOf(view, tick);
  if (f >= 0 && f < 1) return view;
  return clampView({ start: Number(tick) - view.span * 0.5, span: view.span }, endTick);
}

/** A ruler label at `tick`, as precise as the marks' `step` needs: 66.5M, 66.52M, 66,521k, 66,500,010. */
export function rulerLabel(tick: number, step: number): string {
  if (tick === 0) return '0';
  if (step >= 1e4) return `${+(tick / 1e6).toFixed(Math.max(0, 6 - Math.floor(Math.log10(step))))}M`;
  if (step >= 1e3) return `${(tick / 1e3).toLocaleString('en-US')}k`;
  return tick.toLocaleString('en-US');
}

/** Ruler marks: a round step (1, 2, 5 x 10^k ticks) giving about one label per `pixelsPerLabel`. */
export function rulerTicks(view: TimelineView, widthPx: number, pixelsPerLabel = 110): number[] {
  const want = (view.span * pixelsPerLabel) / Math.max(1, widthPx);
  const pow = 10 ** Math.floor(Math.log10(Math.max(1, want)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= want) ?? 10 * pow;
  const marks: number[] = [];
  for (let t = Math.ceil(view.start / step) * step; t < view.start + view.span; t += step) marks.push(t);
  return marks;
}

/** A tick count for a label: 66.7M, 12.5k, 42. */
export function shortTicks(ticks: number): string {
  if (ticks >= 1e9) return `${+(ticks / 1e9).toFixed(3)}G`;
  if (ticks >= 1e6) return `${+(ticks / 1e6).toFixed(3)}M`;
  if (ticks >= 1e4) return `${+(ticks / 1e3).toFixed(2)}k`;
  return String(ticks);
}

/** Guest time at a tick, in seconds with the precision the window warrants. */
export function guestSeconds(tick: bigint | number, span = 1e8): string {
  const digits = Math.min(8, Math.max(1, Math.ceil(-Math.log10(span / TICKS_PER_SECOND)) + 2));
  return `${(Number(tick) / TICKS_PER_SECOND).toFixed(digits)} s`;
}
