import { errorMessage } from '../../../shared/errors';
import { useEnginePing } from './useEnginePing';

export function EngineStatus() {
  const ping = useEnginePing();
  return (
    <div className="engine-status" data-testid="engine-status" data-state={ping.status}>
      <span className={`dot dot-${ping.status}`} aria-hidden />
      {ping.isPending && <span>Starting the machine worker…</span>}
      {ping.isError && <span className="error">Engine failed: {errorMessage(ping.error)}</span>}
      {ping.isSuccess && (
        <span>
          Engine ready · machine API <strong data-testid="engine-api-version">{ping.data.apiVersion}</strong>
        </span>
      )}
    </div>
  );
}
