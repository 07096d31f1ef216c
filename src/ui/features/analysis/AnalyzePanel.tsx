// The Analyze panel (issue 12): pick dimensions, launch them at once on the
// engine's analysis Web Workers, watch each one's slices finish; results of
// a finished hot-spot or memory-watch run are listed here (syscalls and
// processes have views of their own). Analyses the page's server holds for
// some slices are offered (loading replays only the rest).
import { useState } from 'react';
import type { HotspotsResult } from '../../../analysis/dimensions';
import { writerText } from '../../../analysis/write-text';
import { toHex } from '../../../shared/sha256';
import { errorMessage } from '../../../shared/errors';
import { watchOf } from './analysis-data';
import type { AnalysesSnapshot, AnalysisRun, DimensionRun, OfferedAnalysis } from './analysis-run';
import { ANALYSIS_CHOICES, type ChoiceId, type ChoiceInputs } from './choices';
import './analysis.css';

export interface AnalyzePanelProps {
  run: AnalysisRun;
  state: AnalysesSnapshot;
  onSeek(tick: bigint): void;
}

function workerCounts(): number[] {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  return [...new Set([cores, 1, 2, 4, 8].filter((n) => n <= cores))];
}

function Progress({ run }: { run: DimensionRun }) {
  const pct = run.total ? (run.doneCount / run.total) * 100 : 0;
  return (
    <li className={`analysis-progress state-${run.state}`} data-testid="analysis-progress" data-dimension={run.description.dimension} data-label={run.description.label} data-done-slices={run.doneCount} data-total-slices={run.total} data-state={run.state} data-kept={run.kept} data-cached-slices={run.cachedCount} data-from-server={run.fromServer}>
      <span className="analysis-name">{run.description.label}</span>
      <span className="analysis-bar" aria-hidden>
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="muted">
        {run.doneCount}/{run.total} slices
        {!run.saved && run.cachedCount > 0 && ` · ${run.cachedCount === run.doneCount ? 'all' : run.cachedCount} read${run.fromServer ? ' from the server' : ''}, not replayed`}
        {run.state === 'done' && (run.saved ? ' · kept in this browser' : `${run.elapsedMs !== undefined ? ` · ${(run.elapsedMs / 1000).toFixed(1)} s` : ''}${run.kept ? '' : ' · keeping…'}`)}
      </span>
      {run.error && <span className="panel-error">{run.error}</span>}
    </li>
  );
}

function Offered({ offered, run, disabled }: { offered: readonly OfferedAnalysis[]; run: AnalysisRun; disabled: boolean }) {
  return (
    <ul className="analysis-offered">
      {offered.map((o) => (
        <li key={o.description.label} data-testid="analysis-offered" data-label={o.description.label} data-slices={o.slices}>
          <span className="analysis-name">{o.description.label}</span>
          <span className="muted">
            on the server for {o.slices} of {o.total} slices
          </span>
          <button type="button" className="link-button" disabled={disabled} onClick={() => void run.run([{ dimension: o.description.dimension, params: o.description.params }], undefined, true)} data-testid="analysis-load">
            load
          </button>
        </li>
      ))}
    </ul>
  );
}

function Hotspots({ result }: { result: HotspotsResult }) {
  return (
    <div className="analysis-result" data-testid="hotspots-result">
      <h3>Hot spots · {result.total.toLocaleString()} samples every {result.every.toLocaleString()} ticks</h3>
      <ol>
        {result.functions.slice(0, 8).map((f) => (
          <li key={`${f.where}:${f.name}`}>
            <code>{(f.share * 100).toFixed(1).padStart(5)}%</code> {f.name} <span className="muted">{f.where}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function Writes({ run, onSeek }: { run: DimensionRun; onSeek(tick: bigint): void }) {
  const result = watchOf(run);
  if (!result) return null;
  return (
    <div className="analysis-result" data-testid="memwatch-result">
      <h3>
        {run.description.label} · {result.writes.length} changes
      </h3>
      <ol>
        {result.writes.slice(0, 50).map((w) => (
          <li key={w.tick.toString()}>
            <button type="button" className="link-button" onClick={() => onSeek(w.tick)} data-testid="memwatch-write" data-tick={w.tick.toString()}>
              {w.tick.toString()}
            </button>{' '}
            {w.place} <span className="muted">{writerText(w)}{w.paddr !== undefined && ` · physical 0x${w.paddr.toString(16)}`}</span> <code>{toHex(w.old)} → {toHex(w.new)}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function AnalyzePanel({ run, state, onSeek }: AnalyzePanelProps) {
  const [picked, setPicked] = useState<ReadonlySet<ChoiceId>>(() => new Set(['syscalls', 'processes']));
  const [inputs, setInputs] = useState<ChoiceInputs>({ watchAddr: '', watchLength: '8', watchSpace: 'physical', watchPid: '' });
  const counts = workerCounts();
  const [jobs, setJobs] = useState(counts[0]!);
  const [problem, setProblem] = useState<string>();

  const toggle = (id: ChoiceId) => setPicked((p) => (p.has(id) ? new Set([...p].filter((x) => x !== id)) : new Set([...p, id])));
  const launch = () => {
    try {
      const requests = ANALYSIS_CHOICES.filter((c) => picked.has(c.id)).map((c) => c.request(inputs));
      setProblem(undefined);
      void run.run(requests, jobs);
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };
  const hotspots = state.runs.find((r) => r.description.dimension === 'hotspots' && r.result);

  return (
    <section className="panel-box analyze-panel" aria-label="Analyze" data-testid="analyze-panel" data-replayed-slices={state.replayed}>
      <div className="panel-title">
        <h2>Analyze</h2>
        <span className="muted">{state.runs.length ? `${state.runs.filter((r) => r.state === 'done').length} of ${state.runs.length} done` : 'every dimension at once, one replay per slice'}</span>
      </div>
      <div className="analyze-choices">
        {ANALYSIS_CHOICES.map((c) => (
          <label key={c.id} className="analyze-choice" title={c.about}>
            <input type="checkbox" checked={picked.has(c.id)} onChange={() => toggle(c.id)} data-testid={`dimension-${c.id}`} />
            {c.title}
          </label>
        ))}
        {picked.has('memwatch') && (
          <span className="analyze-range">
            <select aria-label="Watched address space" className="field" value={inputs.watchSpace} onChange={(e) => setInputs({ ...inputs, watchSpace: e.target.value as ChoiceInputs['watchSpace'] })} data-testid="memwatch-space">
              <option value="physical">physical</option>
              <option value="virtual">virtual, pid</option>
            </select>
            {inputs.watchSpace === 'virtual' && (
              <input aria-label="Process id of the watched virtual address" className="field narrow" placeholder="pid" value={inputs.watchPid} onChange={(e) => setInputs({ ...inputs, watchPid: e.target.value })} data-testid="memwatch-pid" />
            )}
            <input aria-label={`Watched ${inputs.watchSpace} address`} className="field" placeholder={inputs.watchSpace === 'virtual' ? '0x3fffff0000' : '0x80a00000'} value={inputs.watchAddr} onChange={(e) => setInputs({ ...inputs, watchAddr: e.target.value })} data-testid="memwatch-addr" />
            <input aria-label="Watched length in bytes" className="field narrow" value={inputs.watchLength} onChange={(e) => setInputs({ ...inputs, watchLength: e.target.value })} data-testid="memwatch-length" />
            <span className="muted">bytes</span>
          </span>
        )}
        <label className="analyze-jobs muted">
          workers
          <select className="field" value={jobs} onChange={(e) => setJobs(Number(e.target.value))} data-testid="analysis-jobs">
            {counts.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button analyze-button" onClick={launch} disabled={state.running || picked.size === 0} data-testid="analyze-button">
          {state.running ? 'Analysing…' : 'Analyze'}
        </button>
      </div>
      {(problem ?? state.error) && (
        <p className="panel-error" role="alert" data-testid="analysis-error">
          {problem ?? state.error}
        </p>
      )}
      {state.note && (
        <p className="muted analysis-note" data-testid="analysis-note">
          {state.note}
        </p>
      )}
      {state.offered.length > 0 && <Offered offered={state.offered} run={run} disabled={state.running} />}
      {state.runs.length > 0 && (
        <ul className="analysis-runs">
          {state.runs.map((r) => (
            <Progress key={r.description.label} run={r} />
          ))}
        </ul>
      )}
      {hotspots && <Hotspots result={hotspots.result as HotspotsResult} />}
      {state.runs
        .filter((r) => r.description.dimension === 'watch' && r.result)
        .map((r) => (
          <Writes key={r.description.label} run={r} onSeek={onSeek} />
        ))}
    </section>
  );
}
