// The syscalls view (issue 12): every traced call in a virtualised table (a
// million rows draw only the ones on screen: rows are of one height, so the
// window is two divisions, O(1), where a general virtualiser keeps a
// measurement per row and rebuilds a million of them whenever the filtered
// count grows), each row's text the line
// `prnr trace` prints, its duration in ticks beside it; filtered by process,
// name, category, failed calls and free text, the filter in the URL; a click
// moves the playhead to the call's entry.
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TracedCall } from '../../../analysis/dimensions';
import { callText, SYSCALL_NAMES, taskLabel } from '../../../analysis/trace';
import { markColor } from '../timeline/tracks';
import { CATEGORIES, categoryOf, isCategory } from './categories';
import { startFilter, type FilterProgress, type SyscallFilter } from './filter';
import './syscalls.css';

export interface SyscallsPanelProps {
  calls: readonly TracedCall[];
  /** The merged result (not yet: the slices done so far). */
  complete: boolean;
  analysed: boolean;
  filter: SyscallFilter;
  tick: bigint;
  onFilter(change: SyscallFilter): void;
  onSeek(tick: bigint): void;
}

const ROW_PX = 20;
/** Rows drawn beyond each edge of the visible ones. */
const OVERSCAN = 12;
const TEXT_DEBOUNCE_MS = 200;

/** The rows [first, last) to draw for the scroller's position. */
function useRowWindow(scroller: React.RefObject<HTMLDivElement | null>, count: number): [number, number] {
  const [view, setView] = useState({ top: 0, height: 340 });
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setView((v) => (v.top === element.scrollTop && v.height === element.clientHeight ? v : { top: element.scrollTop, height: element.clientHeight }));
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    element.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(onScroll);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [scroller]);
  const first = Math.max(0, Math.floor(view.top / ROW_PX) - OVERSCAN);
  const last = Math.min(count, Math.ceil((view.top + view.height) / ROW_PX) + OVERSCAN);
  return [first, Math.max(first, last)];
}

function useFiltered(calls: readonly TracedCall[], filter: SyscallFilter): FilterProgress {
  const [progress, setProgress] = useState<FilterProgress>({ rows: [], count: 0, scanned: 0, done: false });
  const { pid, call, cat, failed, q } = filter;
  useEffect(() => {
    const job = startFilter(calls, { pid, call, cat, failed, q }, setProgress);
    return () => job.cancel();
  }, [calls, pid, call, cat, failed, q]);
  return progress;
}

/** The row of the call at or before the playhead. */
function rowAt(rows: readonly TracedCall[], count: number, tick: bigint): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.tick <= tick) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const Row = memo(function Row({ call, index, current, onSeek, top }: { call: TracedCall; index: number; current: boolean; onSeek(tick: bigint): void; top: number }) {
  const failed = call.record.errno !== null;
  return (
    <div
      className={`syscall-row${failed ? ' failed' : ''}${current ? ' current' : ''}`}
      data-testid="syscall-row"
      data-index={index}
      data-tick={call.tick.toString()}
      data-pid={call.who?.pid ?? ''}
      data-ticks={call.endTick === null ? '—' : (call.endTick - call.tick).toString()}
      role="row"
      style={{ transform: `translateY(${top}px)`, borderLeftColor: markColor(categoryOf(call.record.name)) }}
      onClick={() => onSeek(call.tick)}
    >
      <span className="c-tick">[{call.tick.toString()}]</span> <span className="c-task">{taskLabel(call)}</span>
      {'  '}
      <span className="c-call">{callText(call)}</span>
    </div>
  );
});

export function SyscallsPanel({ calls, complete, analysed, filter, tick, onFilter, onSeek }: SyscallsPanelProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const filtered = useFiltered(calls, filter);
  const { rows, count } = filtered;
  const [first, last] = useRowWindow(scroller, count);
  const shown = Array.from({ length: last - first }, (_, k) => first + k);
  const current = rowAt(rows, count, tick);

  // Free text: typed at once, written to the URL (and filtered) once typing pauses.
  const [text, setText] = useState(filter.q ?? '');
  useEffect(() => setText(filter.q ?? ''), [filter.q]);
  useEffect(() => {
    if (text === (filter.q ?? '')) return;
    const timer = setTimeout(() => onFilter({ ...filter, q: text || undefined }), TEXT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filter, onFilter]);

  const pids = useMemo(() => [...new Set(calls.map((c) => c.who?.pid).filter((p): p is number => p !== undefined))].sort((a, b) => a - b), [calls]);
  const names = useMemo(() => [...new Set(calls.map((c) => c.record.name))].sort(), [calls]);

  return (
    <section className="panel-box syscalls-panel" aria-label="Syscalls" data-testid="syscalls-view">
      <div className="panel-title">
        <h2>Syscalls</h2>
        <span className="muted" data-testid="syscall-count" data-count={count} data-done={filtered.done ? 'true' : 'false'}>
          {!analysed ? 'not analysed yet: tick Syscalls and press Analyze' : `${count.toLocaleString()} of ${calls.length.toLocaleString()} calls${filtered.done ? '' : ` (filtering, ${Math.round((filtered.scanned / Math.max(1, calls.length)) * 100)}%)`}${complete ? '' : ' so far'}`}
        </span>
      </div>
      <div className="syscall-filters">
        <input className="field grow" type="search" placeholder="search the lines: openat, /etc, ENOENT…" value={text} onChange={(e) => setText(e.target.value)} data-testid="syscall-filter" aria-label="Search the calls" />
        <select className="field" value={filter.pid ?? ''} onChange={(e) => onFilter({ ...filter, pid: e.target.value ? Number(e.target.value) : undefined })} data-testid="syscall-filter-pid" aria-label="Process">
          <option value="">every process</option>
          {filter.pid !== undefined && !pids.includes(filter.pid) && <option value={filter.pid}>pid {filter.pid}</option>}
          {pids.map((p) => (
            <option key={p} value={p}>
              pid {p}
            </option>
          ))}
        </select>
        <select className="field" value={filter.call ?? ''} onChange={(e) => onFilter({ ...filter, call: e.target.value || undefined })} data-testid="syscall-filter-name" aria-label="Syscall">
          <option value="">every call</option>
          {(names.length ? names : SYSCALL_NAMES).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <select className="field" value={filter.cat ?? ''} onChange={(e) => onFilter({ ...filter, cat: isCategory(e.target.value) ? e.target.value : undefined })} data-testid="syscall-filter-category" aria-label="Category">
          <option value="">every category</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label className="muted syscall-failed">
          <input type="checkbox" checked={!!filter.failed} onChange={(e) => onFilter({ ...filter, failed: e.target.checked || undefined })} data-testid="syscall-filter-failed" />
          failed only
        </label>
      </div>
      <div className="syscall-head muted" role="row">
        <span className="c-tick">tick</span> <span className="c-task">pid comm</span> <span className="c-call">call = result</span>
        <span className="c-ticks">ticks</span>
      </div>
      <div className="syscall-table" ref={scroller} role="table" data-testid="syscall-table">
        <div style={{ height: count * ROW_PX, position: 'relative' }}>
          {shown.map((index) => (
            <Row key={index} index={index} call={rows[index]!} current={index === current} onSeek={onSeek} top={index * ROW_PX} />
          ))}
        </div>
      </div>
    </section>
  );
}
