// One generic track (./tracks.ts) in the timeline: its spans and marks painted
// on a canvas a pixel column at a time, an element per mark while the window
// shows few (hover title, data-testid, data-tick), and the hovered mark or
// span reported to the timeline, which shows its text.
import { memo, useEffect, useRef } from 'react';
import { markColor, marksIn, markTitle, lowerBoundBy, markTick, nearestMark, spanAt, spanFrom, type TimelineTrack } from './tracks';
import { fractionOf, tickAt, type TimelineView } from './view';

/** Above this many marks in the window, a lane draws no element per mark. */
export const MAX_MARK_ELEMENTS = 200;
const LANE_HEIGHT = 14;
const FAILED = '#f47067';
/** How near the pointer (px) a mark must be to be hovered. */
const HOVER_PX = 3;

export interface TrackLaneProps {
  track: TimelineTrack;
  view: TimelineView;
  width: number;
  endTick: bigint;
  onHover(text: string | undefined): void;
}

function paint(canvas: HTMLCanvasElement, track: TimelineTrack, view: TimelineView, width: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(LANE_HEIGHT * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const start = BigInt(Math.max(0, Math.floor(view.start)));
  const end = BigInt(Math.ceil(view.start + view.span));
  /** The first tick of pixel column x + 1 (the next column to paint). */
  const nextColumnTick = (x: number) => BigInt(Math.max(0, Math.ceil(view.start + ((x + 1) / w) * view.span)));

  const spans = track.spans ?? [];
  for (let i = Math.max(0, lowerBoundBy(spans, start, spanFrom) - 1); i < spans.length; ) {
    const span = spans[i]!;
    if (span.from >= end) break;
    const x0 = Math.max(0, Math.floor(fractionOf(view, span.from) * w));
    const x1 = Math.min(w, Math.ceil(fractionOf(view, span.to) * w));
    ctx.globalAlpha = span.weight ?? 1;
    ctx.fillStyle = markColor(span.kind ?? 'running');
    ctx.fillRect(x0, 2 * ratio, Math.max(1, x1 - x0), h - 4 * ratio);
    // Spans narrower than a column: skip to the first one starting in the next column.
    const skip = lowerBoundBy(spans, nextColumnTick(Math.max(x0, x1 - 1)), spanFrom);
    i = Math.max(i + 1, skip);
  }
  ctx.globalAlpha = 1;

  const marks = track.marks;
  for (let i = lowerBoundBy(marks, start, markTick); i < marks.length; ) {
    const mark = marks[i]!;
    if (mark.tick >= end) break;
    const x = Math.floor(fractionOf(view, mark.tick) * w);
    ctx.fillStyle = markColor(mark.kind);
    ctx.fillRect(x, 0, Math.max(1, ratio), h);
    if (mark.failed) {
      ctx.fillStyle = FAILED;
      ctx.fillRect(x - ratio, h - 3 * ratio, 3 * ratio, 3 * ratio);
    }
    i = Math.max(i + 1, lowerBoundBy(marks, nextColumnTick(x), markTick));
  }
}

function TrackLaneImpl({ track, view, width, endTick, onHover }: TrackLaneProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current && width > 0) paint(canvas.current, track, view, width);
  }, [track, view, width]);

  const visible = marksIn(track.marks, BigInt(Math.max(0, Math.floor(view.start))), BigInt(Math.ceil(view.start + view.span)), MAX_MARK_ELEMENTS);
  const elements = visible ? track.marks.slice(visible[0], visible[1]).map((mark, k) => ({ mark, index: visible[0] + k })) : [];

  const hover = (clientX: number, element: HTMLElement) => {
    const rect = element.getBoundingClientRect();
    const fraction = (clientX - rect.left) / Math.max(1, rect.width);
    const tick = tickAt(view, fraction, endTick);
    const slack = BigInt(Math.ceil((view.span / Math.max(1, rect.width)) * HOVER_PX));
    const m = nearestMark(track.marks, tick, slack);
    if (m >= 0) return onHover(`${track.label} · ${markTitle(track, m)}`);
    const spans = track.spans ?? [];
    const s = spanAt(spans, tick);
    if (s >= 0) return onHover(`${track.label} · ${spans[s]!.title ?? spans[s]!.label}`);
    onHover(track.labelTitle ?? track.label);
  };

  return (
    <div
      className="track track-lane"
      data-track={track.id}
      aria-label={track.label}
      onPointerMove={(e) => hover(e.clientX, e.currentTarget)}
      onPointerLeave={() => onHover(undefined)}
    >
      <span className="track-label track-label-lane" title={track.labelTitle}>
        {track.label}
      </span>
      <canvas ref={canvas} className="track-canvas" aria-label={`${track.label}: ${track.marks.length} marks, ${track.spans?.length ?? 0} spans`} />
      {elements.map(({ mark, index }) => (
        <span
          key={`${mark.tick}-${index}`}
          className={mark.failed ? 'track-mark failed' : 'track-mark'}
          data-testid={mark.testId}
          data-tick={mark.tick.toString()}
          data-kind={mark.kind}
          title={markTitle(track, index)}
          style={{ left: `${fractionOf(view, mark.tick) * 100}%` }}
        />
      ))}
    </div>
  );
}

export const TrackLane = memo(TrackLaneImpl);
