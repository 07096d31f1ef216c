// The processes view (issue 12): the process tree with comm, pid, parent,
// first and last tick and exit status; selecting one sets &pid=, which
// filters the syscalls view and the timeline's lanes.
import { useMemo } from 'react';
import type { ProcessInfo } from '../../../analysis/dimensions';
import { exitText, processTree } from './tree';
import './processes.css';

export interface ProcessesPanelProps {
  processes: readonly ProcessInfo[] | undefined;
  /** Still running: the tree comes with the merged result. */
  pending: boolean;
  pid: number | undefined;
  onSelect(pid: number | undefined): void;
  onSeek(tick: bigint): void;
}

export function ProcessesPanel({ processes, pending, pid, onSelect, onSeek }: ProcessesPanelProps) {
  const rows = useMemo(() => processTree(processes ?? []), [processes]);
  return (
    <section className="panel-box processes-panel" aria-label="Processes" data-testid="processes-view">
      <div className="panel-title">
        <h2>Processes</h2>
        <span className="muted">
          {processes ? `${processes.length} processes${pid !== undefined ? ` · showing pid ${pid} ` : ''}` : pending ? 'analysing…' : 'not analysed yet: tick Processes and press Analyze'}
          {pid !== undefined && (
            <button type="button" className="link-button" onClick={() => onSelect(undefined)} data-testid="process-clear">
              show all
            </button>
          )}
        </span>
      </div>
      <div className="process-table" role="table">
        <div className="process-head muted" role="row">
          <span>comm</span>
          <span>pid</span>
          <span>parent</span>
          <span>first tick</span>
          <span>last tick</span>
          <span>exit</span>
        </div>
        {rows.map(({ process: p, depth }) => (
          <div
            key={p.pid}
            role="row"
            className={`process-row${p.pid === pid ? ' selected' : ''}`}
            data-testid="process-row"
            data-pid={p.pid}
            data-ppid={p.ppid ?? ''}
            data-comm={p.comms.at(-1)}
            aria-selected={p.pid === pid}
            onClick={() => onSelect(p.pid === pid ? undefined : p.pid)}
            title={p.comms.length > 1 ? `ran as ${p.comms.join(' → ')}` : undefined}
          >
            <span className="p-comm" style={{ paddingLeft: `${depth * 14}px` }}>
              {depth > 0 ? '└ ' : ''}
              {p.comms.at(-1)}
            </span>
            <span>{p.pid}</span>
            <span>{p.ppid ?? '?'}</span>
            <button type="button" className="link-button" onClick={(e) => (e.stopPropagation(), onSeek(p.firstTick))} title="Move the playhead here">
              {p.firstTick.toString()}
            </button>
            <button type="button" className="link-button" onClick={(e) => (e.stopPropagation(), onSeek(p.lastTick))} title="Move the playhead here">
              {p.lastTick.toString()}
            </button>
            <span className={p.exit && p.exit.code !== null && p.exit.code !== 0 ? 'p-failed' : undefined}>{exitText(p)}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
