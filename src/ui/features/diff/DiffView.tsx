// The diff of two recordings: both traced (A first, then B, each on every
// worker), diffed as prnr diff does; the divergences listed, the selected
// one's process shown side by side, and each recording's console at its own
// playhead. Clicking a call on either side moves that side's playhead to it.
import { useCallback } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { divergenceText, type TraceDiff } from '../../../analysis/diff/diff';
import { errorMessage } from '../../../shared/errors';
import { recordingPath } from '../../app/share-state';
import { ConsolePanel } from '../console/ConsolePanel';
import { DiffTable } from './DiffTable';
import { diffPath, type DiffLocation, type Side } from './diff-location';
import { useSyscallTrace, useTraceDiff } from './queries';

type Location = DiffLocation & { a: string; b: string };

function SideStatus({ side, id, state }: { side: Side; id: string; state: ReturnType<typeof useSyscallTrace> }) {
  const { opened, trace, progress } = state;
  const error = opened.error ?? trace.error;
  const status = error
    ? errorMessage(error)
    : !opened.data
      ? 'opening…'
      : trace.data
        ? `${trace.data.result.calls.length.toLocaleString()} calls${trace.data.saved ? ', traced before and kept in this browser' : ''}`
        : trace.isFetching
          ? `tracing syscalls${progress ? `: ${progress.done} of ${progress.total} slices` : '…'}`
          : 'waiting for A';
  return (
    <div className={`diff-recording${error ? ' failed' : ''}`} data-testid={`diff-recording-${side}`} data-state={error ? 'failed' : trace.data ? (trace.data.saved ? 'kept' : 'traced') : 'pending'}>
      <span className="diff-side-name">{side.toUpperCase()}</span>
      <span className="diff-recording-title">{opened.data?.title ?? <code>{id.slice(0, 16)}…</code>}</span>
      <span className={error ? 'diff-error' : 'muted'} role={error ? 'alert' : undefined}>
        {status}
      </span>
    </div>
  );
}

function Divergences({ diff, selected, onSelect }: { diff: TraceDiff; selected: number; onSelect(index: number): void }) {
  return (
    <ol className="diff-divergences" aria-label="Divergences">
      {diff.divergences.map((d, index) => (
        <li key={index}>
          <button
            type="button"
            className={index === selected ? 'diff-divergence selected' : 'diff-divergence'}
            aria-current={index === selected || undefined}
            data-testid="diff-divergence"
            data-index={index}
            data-key={d.key}
            data-tick-a={d.aTick?.toString() ?? ''}
            data-tick-b={d.bTick?.toString() ?? ''}
            onClick={() => onSelect(index)}
          >
            <span className="diff-divergence-process">
              {d.key} <span className="muted">({d.a ? `${d.a.pid} ${d.a.comm}` : 'absent'} / {d.b ? `${d.b.pid} ${d.b.comm}` : 'absent'})</span>
            </span>
            <span>{divergenceText(d)}</span>
            <span className="muted">
              A tick {d.aTick?.toString() ?? '-'} · B tick {d.bTick?.toString() ?? '-'}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function ConsoleSide({ side, id, tick }: { side: Side; id: string; tick: bigint }) {
  return (
    <section className="diff-console" data-testid={`diff-console-${side}`} data-tick={tick.toString()}>
      <header className="diff-console-title">
        <span className="diff-side-name">{side.toUpperCase()}</span>
        <span>
          tick <code data-testid={`diff-tick-${side}`}>{tick.toString()}</code>
        </span>
        <Link to={recordingPath({ recordingId: id, tick, view: 'console' })} data-testid={`diff-open-${side}`}>
          Open {side.toUpperCase()} at this tick
        </Link>
      </header>
      <ConsolePanel id={id} tick={tick} />
    </section>
  );
}

export function DiffView({ location }: { location: Location }) {
  const navigate = useNavigate();
  const sideA = useSyscallTrace(location.a, true);
  const sideB = useSyscallTrace(location.b, sideA.trace.isSuccess);
  const diffing = useTraceDiff(location.a, location.b, sideA.trace.data?.result, sideB.trace.data?.result);
  const diff = diffing.data;
  const go = useCallback((change: Partial<DiffLocation>) => navigate(diffPath({ ...location, ...change }), { replace: true }), [navigate, location]);

  const count = diff?.divergences.length ?? 0;
  const selected = Math.min(location.d ?? 0, Math.max(0, count - 1));
  const divergence = diff?.divergences[selected];
  const tickA = location.ta ?? divergence?.aTick ?? 0n;
  const tickB = location.tb ?? divergence?.bTick ?? 0n;

  return (
    <section className="page diff-page" data-testid="diff-view" data-state={diff ? (diff.equivalent ? 'equivalent' : 'differ') : diffing.isError ? 'failed' : 'pending'}>
      <header className="page-header diff-header">
        <div>
          <h1>Diff</h1>
          <div className="diff-recordings">
            <SideStatus side="a" id={location.a} state={sideA} />
            <SideStatus side="b" id={location.b} state={sideB} />
          </div>
        </div>
        <Link className="button secondary" to={diffPath({ a: location.a })} data-testid="diff-change">
          Choose another pair
        </Link>
      </header>
      {diffing.isError && (
        <p className="diff-error" role="alert" data-testid="diff-error">
          The traces could not be diffed: {errorMessage(diffing.error)}
        </p>
      )}
      {diffing.isFetching && <p className="muted">Aligning the traces…</p>}
      {diff && (
        <p className="diff-summary" data-testid="diff-summary">
          {diff.equivalent ? 'Equivalent: the syscall traces match, process by process. ' : `${count} divergence${count === 1 ? '' : 's'}. `}
          processes: {diff.processes.a} in A, {diff.processes.b} in B; {diff.processes.paired} paired, {diff.processes.differing} of them differ; {diff.processes.onlyA} only in A, {diff.processes.onlyB} only in B · calls: {diff.calls.a} in A, {diff.calls.b} in B
        </p>
      )}
      {diff && (
        <div className="diff-body">
          {count > 0 && <Divergences diff={diff} selected={selected} onSelect={(d) => go({ d, ta: undefined, tb: undefined })} />}
          <DiffTable diff={diff} selected={divergence ? selected : undefined} processKey={divergence?.key} tickA={tickA} tickB={tickB} onSeek={(side, tick) => go(side === 'a' ? { ta: tick } : { tb: tick })} />
        </div>
      )}
      {sideA.opened.data && sideB.opened.data && (
        <div className="diff-consoles">
          <ConsoleSide side="a" id={location.a} tick={tickA} />
          <ConsoleSide side="b" id={location.b} tick={tickB} />
        </div>
      )}
    </section>
  );
}
