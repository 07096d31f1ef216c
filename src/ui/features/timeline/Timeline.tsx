// The timeline (docs/design.md 8): the whole recording on one tick axis with
// guest seconds beside it, zoomed and panned down to single instructions;
// tracks for slices (their verification state) and console writes, then the
// page's generic tracks (./tracks.ts: processes, syscalls, notes...); a
// playhead moved by click and drag (keys: ./keys.ts, bound by the page).
// Drawn from summaries: one element per slice, console writes and the
// generic tracks painted on canvases a pixel column at a time, never one
// element per event. What the pointer hovers is read out in the bar.
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { SliceMark } from './slices';
import { TrackLane } from './TrackLane';
import type { TimelineTrack } from './tracks';
import { follow, fractionOf, guestSeconds, panBy, rulerLabel, rulerTicks, shortTicks, tickAt, wholeView, zoomAt, type TimelineView } from './view';
import './timeline.css';


export interface TimelineProps {
  endTick: bigint;
  snapshotTicks: readonly bigint[];
  outputTicks: readonly bigint[];
  tick: bigint;
  slices: readonly SliceMark[];
  /** Lanes below the console track, in order (keyed by their id). */
  tracks?: readonly TimelineTrack[];
  onSeek(tick: bigint): void;
}

const NO_TRACKS: readonly TimelineTrack[] = [];

const ZOOM_STEP = 0.5;

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** First index with sorted[i] >= value. */
function lowerBound(sorted: readonly bigint[], value: bigint): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function ConsoleTrack({ view, width, outputTicks }: { view: TimelineView; width: number; outputTicks: readonly bigint[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = Math.round(width * ratio);
    element.height = Math.round(14 * ratio);
    const ctx = element.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, element.width, element.height);
    ctx.fillStyle = '#6cb6ff';
    const first = lowerBound(outputTicks, BigInt(Math.floor(view.start)));
    const last = lowerBound(outputTicks, BigInt(Math.ceil(view.start + view.span)));
    // One mark per pixel column, however many writes fall in it.
    const columns = new Uint8Array(element.width + 1);
    for (let i = first; i < last; i++) {
      const x = Math.floor(fractionOf(view, outputTicks[i]!) * element.width);
      if (x < 0 || x > element.width || columns[x]) continue;
      columns[x] = 1;
      ctx.fillRect(x, 0, Math.max(1, ratio), element.height);
    }
  }, [view, width, outputTicks]);
  return <canvas ref={canvas} className="track-canvas" aria-label={`${outputTicks.length} console writes`} />;
}

interface TimelineLanesProps {
  view: TimelineView;
  width: number;
  endTick: bigint;
  snapshotTicks: readonly bigint[];
  outputTicks: readonly bigint[];
  slices: readonly SliceMark[];
  lanes: readonly TimelineTrack[];
  onHover(text: string | undefined): void;
}

/** What the window shows apart from the playhead: the ruler and the tracks (re-rendered when the window or a track changes, not when the playhead moves). */
const TimelineLanes = memo(function TimelineLanes({ view, width, endTick, snapshotTicks, outputTicks, slices, lanes, onHover }: TimelineLanesProps) {
  const marks = rulerTicks(view, width);
  const step = marks.length > 1 ? marks[1]! - marks[0]! : view.span;
  return (
    <>
      <div className="ruler">
        {marks.map((t) => (
          <span key={t} className="ruler-mark" style={{ left: `${fractionOf(view, BigInt(t)) * 100}%` }}>
            {rulerLabel(t, step)}
          </span>
        ))}
      </div>
      <div className="track track-slices" aria-label="Slices">
        <span className="track-label">slices</span>
        {slices.map((slice, i) => {
          const from = Math.max(0, fractionOf(view, snapshotTicks[i]!));
          const to = Math.min(1, fractionOf(view, snapshotTicks[i + 1]!));
          const visible = to > 0 && from < 1;
          return (
            <div
              key={i}
              className={`slice slice-${slice.state}`}
              data-testid="slice-status"
              data-slice={i}
              data-state={slice.state}
              title={`slice ${i}: ticks ${snapshotTicks[i]}–${snapshotTicks[i + 1]} · ${slice.state}${slice.detail ? ` · ${slice.detail}` : ''}`}
              style={visible ? { left: `${from * 100}%`, width: `${Math.max(0, to - from) * 100}%` } : { display: 'none' }}
            />
          );
        })}
      </div>
      <div className="track track-console" aria-label="Console writes">
        <span className="track-label">console</span>
        <ConsoleTrack view={view} width={width} outputTicks={outputTicks} />
      </div>
      {lanes.map((track) => (
        <TrackLane key={track.id} track={track} view={view} width={width} endTick={endTick} onHover={onHover} />
      ))}
    </>
  );
});

export function Timeline({ endTick, snapshotTicks, outputTicks, tick, slices, tracks: lanes = NO_TRACKS, onSeek }: TimelineProps) {
  const tracks = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<string | undefined>(undefined);
  const width = useWidth(tracks);
  const [view, setView] = useState<TimelineView>(() => wholeView(endTick));
  const dragging = useRef(false);

  // Keep the playhead in the window when it moves by keys or links.
  useEffect(() => {
    setView((v) => follow(v, tick, endTick));
  }, [tick, endTick]);

  // The axis's box, measured when a drag starts: reading it on every move would force a layout each time.
  const dragRect = useRef<DOMRect | null>(null);
  const fractionAt = useCallback((clientX: number) => {
    const rect = dragRect.current ?? tracks.current!.getBoundingClientRect();
    return (clientX - rect.left) / Math.max(1, rect.width);
  }, []);

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    dragging.current = true;
    dragRect.current = event.currentTarget.getBoundingClientRect();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    onSeek(tickAt(view, fractionAt(event.clientX), endTick));
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (dragging.current) onSeek(tickAt(view, fractionAt(event.clientX), endTick));
  };
  const onPointerUp = (event: ReactPointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    dragRect.current = null;
    event.currentTarget.releasePointerCapture(event.pointerId);
  };

  // Wheel: zoom around the pointer; horizontal wheel or Shift+wheel pans. Not passive, so the page does not scroll.
  useEffect(() => {
    const element = tracks.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const horizontal = event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY);
      if (horizontal) setView((v) => panBy(v, (event.shiftKey ? event.deltaY : event.deltaX) / 600, endTick));
      else setView((v) => zoomAt(v, Math.pow(2, event.deltaY / 200), fractionAt(event.clientX), endTick));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [endTick, fractionAt]);

  const zoomAround = (factor: number) => setView((v) => zoomAt(v, factor, Math.min(1, Math.max(0, fractionOf(v, tick))), endTick));
  const playhead = fractionOf(view, tick);
  const ticksPerPixel = view.span / Math.max(1, width);

  return (
    <section className="timeline-panel" aria-label="Timeline">
      <div className="timeline-bar">
        <div className="timeline-position">
          <span className="label">tick</span>
          <code className="tick-display" data-testid="tick-display">
            {tick.toString()}
          </code>
          <span className="seconds" data-testid="tick-seconds">
            {guestSeconds(tick, view.span)}
          </span>
          <span className="muted">of {endTick.toString()} ({guestSeconds(endTick)})</span>
        </div>
        <div className="timeline-zoom">
          <span className="muted" data-testid="timeline-window">
            {shortTicks(Math.floor(view.start))}–{shortTicks(Math.floor(view.start + view.span))} · {ticksPerPixel < 1 ? `${(1 / ticksPerPixel).toFixed(1)} px per tick` : `${shortTicks(Math.round(ticksPerPixel))} ticks per px`}
          </span>
          <button type="button" className="icon-button" onClick={() => setView((v) => panBy(v, -0.5, endTick))} title="Earlier" data-testid="timeline-pan-left">
            ‹
          </button>
          <button type="button" className="icon-button" onClick={() => zoomAround(2)} title="Zoom out" data-testid="timeline-zoom-out">
            −
          </button>
          <button type="button" className="icon-button" onClick={() => zoomAround(ZOOM_STEP)} title="Zoom in (around the playhead)" data-testid="timeline-zoom-in">
            +
          </button>
          <button type="button" className="icon-button" onClick={() => setView((v) => panBy(v, 0.5, endTick))} title="Later" data-testid="timeline-pan-right">
            ›
          </button>
          <button type="button" className="text-button" onClick={() => setView(wholeView(endTick))} title="The whole recording" data-testid="timeline-fit">
            Fit
          </button>
        </div>
      </div>
      <div
        className="timeline"
        ref={tracks}
        data-testid="timeline"
        tabIndex={0}
        role="slider"
        aria-label="Playhead"
        aria-valuemin={0}
        aria-valuemax={Number(endTick)}
        aria-valuenow={Number(tick)}
        aria-valuetext={`tick ${tick}`}
        data-view-start={Math.floor(view.start)}
        data-view-span={Math.round(view.span)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <TimelineLanes view={view} width={width} endTick={endTick} snapshotTicks={snapshotTicks} outputTicks={outputTicks} slices={slices} lanes={lanes} onHover={setHovered} />
        <div className="playhead" data-testid="playhead" data-tick={tick.toString()} style={playhead >= 0 && playhead <= 1 ? { left: `${playhead * 100}%` } : { display: 'none' }} />
      </div>
      <div className="timeline-hover muted" data-testid="timeline-hover" aria-live="off">
        {hovered ?? (lanes.length ? 'hover a mark for the call, a lane for its process' : '\u00a0')}
      </div>
    </section>
  );
}
