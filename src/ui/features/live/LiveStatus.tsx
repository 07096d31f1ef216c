import { formatTick } from '../../../shared/tick';
import type { LiveSnapshot } from './live-machine';

const MB = 1024 * 1024;

function statusText(snapshot: LiveSnapshot): string {
  const { phase, progress, end, error } = snapshot;
  if (error) return `Failed: ${error}`;
  if (phase === 'idle') return 'Starting…';
  if (phase === 'loading') {
    if (!progress || progress.phase === 'manifest') return `Fetching image "${snapshot.image}"…`;
    if (progress.phase === 'verify') return `Verifying ${progress.file}…`;
    if (progress.phase === 'ready') return 'Booting…';
    return `Downloading ${progress.file}… ${(progress.loadedBytes / MB).toFixed(1)} of ${(progress.totalBytes / MB).toFixed(1)} MB`;
  }
  if (phase === 'running') return snapshot.stats?.idle ? 'Running (idle)' : 'Running';
  if (end?.state === 'poweredOff') return 'Powered off';
  return 'Stopped';
}

/** Boot progress, state, tick and guest speed of the live machine. */
export function LiveStatus({ snapshot, onRestart }: { snapshot: LiveSnapshot; onRestart(): void }) {
  const { phase, progress, stats } = snapshot;
  const state = snapshot.error ? 'failed' : phase === 'ended' ? (snapshot.end?.state ?? 'failed') : phase;
  return (
    <div className="live-status panel">
      <span className="live-state" data-testid="live-status" data-state={state}>
        {statusText(snapshot)}
      </span>
      {phase === 'loading' && progress && progress.totalBytes > 0 && <progress data-testid="live-progress" max={progress.totalBytes} value={progress.loadedBytes} />}
      <span className="live-figure">
        tick <strong data-testid="live-tick">{stats ? formatTick(stats.tick) : '—'}</strong>
      </span>
      <span className="live-figure">
        <strong data-testid="live-mips">{stats ? stats.mips.toFixed(1) : '—'}</strong> MIPS
      </span>
      <span className="live-figure" title="guest time per wall time over the last second">
        <strong data-testid="live-speed">{stats ? `${stats.speed.toFixed(2)}×` : '—'}</strong> real time
      </span>
      {phase === 'ended' && (
        <button type="button" className="button" onClick={onRestart} data-testid="live-restart">
          Boot again
        </button>
      )}
    </div>
  );
}
