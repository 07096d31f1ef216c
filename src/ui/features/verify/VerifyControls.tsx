// The Verify button and its summary: every slice replayed in parallel on the
// engine's replay workers and checked against the next snapshot's state root;
// the timeline paints each slice as it goes (./verify-run.ts).
import type { VerifyRun, VerifyState } from './verify-run';
import { verifySummary } from './verify-run';
import { startVerify, verifyJobs } from './useVerify';
import './verify.css';

export function VerifyControls({ id, run, state }: { id: string; run: VerifyRun; state: VerifyState }) {
  const running = state.phase === 'running';
  const outcome = state.phase === 'done' ? (state.diverged ? 'diverged' : 'verified') : state.phase;
  const diverged = state.slices.map((s, i) => ({ ...s, i })).filter((s) => s.state === 'diverged');
  return (
    <div className="verify">
      <button type="button" className="button verify-button" data-testid="verify-button" disabled={running} onClick={() => void startVerify(id, run)} title={`Replay every slice on ${verifyJobs()} workers and check each against its state root`}>
        {running ? 'Verifying…' : state.phase === 'idle' ? 'Verify' : 'Verify again'}
      </button>
      <div className={`verify-summary verify-${outcome}`} data-testid="verify-summary" data-phase={state.phase} data-peak-parallel={state.peakParallel} data-workers={state.workersUsed} data-startup-ms={state.startupMs?.toFixed(0)} role="status">
        {verifySummary(state)}
        {diverged.length > 0 && (
          <ul className="verify-divergences">
            {diverged.slice(0, 3).map((s) => (
              <li key={s.i} title={s.detail}>
                slice {s.i}: {s.detail}
              </li>
            ))}
            {diverged.length > 3 && <li>and {diverged.length - 3} more (hover a slice on the timeline)</li>}
          </ul>
        )}
      </div>
    </div>
  );
}
