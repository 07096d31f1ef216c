// One process's calls in both recordings, side by side (aligned-rows.ts):
// a virtualised list, so a process with a hundred thousand calls scrolls as
// smoothly as one with ten. Rows of the selected divergence are marked and
// scrolled to; a call's cell moves its side's playhead to the call's tick.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProcessTrace, TraceDiff } from '../../../analysis/diff/diff';
import { callLine, callText } from '../../../analysis/trace';
import { alignedRows } from './aligned-rows';
import type { Side } from './diff-location';

const ROW_PX = 22;

export interface DiffTableProps {
  diff: TraceDiff;
  /** The selected divergence (its index), whose process is shown unless another is chosen. */
  selected: number | undefined;
  processKey: string | undefined;
  tickA: bigint;
  tickB: bigint;
  onSeek(side: Side, tick: bigint): void;
}

function Cell({ side, trace, index, playhead, onSeek }: { side: Side; trace: ProcessTrace | undefined; index: number | undefined; playhead: bigint; onSeek(side: Side, tick: bigint): void }) {
  const call = index === undefined ? undefined : trace?.calls[index];
  if (!call) return <span className={`diff-cell gap diff-cell-${side}`} />;
  const here = call.tick === playhead;
  return (
    <button type="button" className={`diff-cell diff-cell-${side}${here ? ' here' : ''}`} data-testid="diff-call" data-side={side} data-tick={call.tick.toString()} title={`${callLine(call)}\n(click: ${side.toUpperCase()}'s playhead to tick ${call.tick})`} onClick={() => onSeek(side, call.tick)}>
      <span className="diff-cell-tick">{call.tick.toString()}</span>
      <span className="diff-cell-text">{callText(call)}</span>
    </button>
  );
}

export function DiffTable({ diff, selected, processKey, tickA, tickB, onSeek }: DiffTableProps) {
  const keys = useMemo(() => [...new Set([...diff.a.keys(), ...diff.b.keys()])], [diff]);
  const differing = useMemo(() => new Set(diff.divergences.map((d) => d.key)), [diff]);
  // Another process chosen by hand, until the next divergence is selected.
  const [chosen, setChosen] = useState<{ key: string; for: number | undefined } | undefined>();
  const key = chosen && chosen.for === selected ? chosen.key : (processKey ?? keys[0]);
  const rows = useMemo(() => (key === undefined ? [] : alignedRows(diff, key)), [diff, key]);
  const a = key === undefined ? undefined : diff.a.get(key);
  const b = key === undefined ? undefined : diff.b.get(key);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 12 });
  const firstRow = useMemo(() => rows.findIndex((r) => r.divergence === selected), [rows, selected]);
  useEffect(() => {
    if (firstRow >= 0) virtualizer.scrollToIndex(firstRow, { align: 'center' });
  }, [firstRow, virtualizer]);

  return (
    <section className="diff-table" aria-label="Aligned syscall traces" data-testid="diff-table" data-process={key}>
      <header className="diff-table-header">
        <label>
          process{' '}
          <select value={key} onChange={(e) => setChosen({ key: e.target.value, for: selected })} data-testid="diff-process">
            {keys.map((k) => (
              <option key={k} value={k}>
                {k} ({diff.a.get(k) ? `${diff.a.get(k)!.pid} ${diff.a.get(k)!.comm}` : 'absent'} / {diff.b.get(k) ? `${diff.b.get(k)!.pid} ${diff.b.get(k)!.comm}` : 'absent'}){differing.has(k) ? ' · differs' : ''}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {a?.calls.length ?? 0} calls in A · {b?.calls.length ?? 0} in B
        </span>
      </header>
      <div className="diff-columns">
        <span className="diff-side-name">A</span>
        <span className="diff-side-name">B</span>
      </div>
      <div ref={scroller} className="diff-rows">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const mark = row.divergence === undefined ? '' : row.divergence === selected ? ' diverged selected' : ' diverged';
            return (
              <div key={item.key} className={`diff-row${mark}`} data-testid="diff-row" data-divergence={row.divergence} style={{ transform: `translateY(${item.start}px)`, height: ROW_PX }}>
                <Cell side="a" trace={a} index={row.a} playhead={tickA} onSeek={onSeek} />
                <Cell side="b" trace={b} index={row.b} playhead={tickB} onSeek={onSeek} />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
