// Registers and CSRs at the playhead, with what changed since the previous
// position highlighted; hex text as `prnr seek --regs` prints it.
import { useRef } from 'react';
import { errorMessage } from '../../../shared/errors';
import { hex64 } from '../../../shared/hexdump';
import { ABI_NAMES, PRIV_NAMES } from '../../../shared/riscv';
import { changedRegisters } from './changes';
import { useHartAt, type HartAt } from './queries';
import './registers.css';

const PRIV_LABELS: Record<number, string> = { 0: 'User', 1: 'Supervisor', 3: 'Machine' };

function Reg({ name, label, value, changed }: { name: string; label: string; value: string; changed: boolean }) {
  return (
    <div className={changed ? 'reg changed' : 'reg'}>
      <span className="reg-name">{label}</span>
      <code className="reg-value" data-testid={`reg-${name}`} data-changed={changed || undefined}>
        {value}
      </code>
    </div>
  );
}

export function RegistersPanel({ id, tick }: { id: string; tick: bigint }) {
  const query = useHartAt(id, tick);
  // The hart as shown before the current answer, for the highlight.
  const previous = useRef<{ shown?: HartAt; before?: HartAt }>({});
  const data = query.data;
  if (data && previous.current.shown?.tick !== data.tick) previous.current = { before: previous.current.shown, shown: data };
  const changed = data ? changedRegisters(previous.current.before, data) : new Set<string>();

  return (
    <section className="panel-box registers-panel" aria-label="Registers" data-testid="registers" data-tick={data?.tick.toString()}>
      <header className="panel-title">
        <h2>Registers</h2>
        {data && (
          <span className={`priv priv-${PRIV_NAMES[data.priv] ?? 'x'}`} data-testid="privilege" title={`${PRIV_LABELS[data.priv] ?? '?'} mode`}>
            {PRIV_NAMES[data.priv] ?? data.priv}-mode
          </span>
        )}
      </header>
      {query.isError && (
        <p className="panel-error" role="alert">
          {errorMessage(query.error)}
        </p>
      )}
      {data && (
        <div className={query.isPlaceholderData ? 'registers-body stale' : 'registers-body'}>
          <div className="reg-pc-row">
            <Reg name="pc" label="pc" value={hex64(data.pc)} changed={changed.has('pc')} />
            <span className="muted reg-origin">
              from snapshot {data.snapshot} (tick {data.snapshotTick.toString()})
            </span>
          </div>
          <div className="reg-grid">
            {data.x.map((v, i) => (
              <Reg key={i} name={ABI_NAMES[i]!} label={`${ABI_NAMES[i]}`} value={hex64(v)} changed={changed.has(ABI_NAMES[i]!)} />
            ))}
          </div>
          <h3>CSRs</h3>
          <div className="reg-grid">
            {data.csrs.map((c) => (
              <Reg key={c.num} name={c.name} label={c.name} value={c.value === undefined ? '—' : hex64(c.value)} changed={changed.has(c.name)} />
            ))}
          </div>
          <details className="fregs">
            <summary>Floating point</summary>
            <div className="reg-grid">
              {data.f.map((v, i) => (
                <Reg key={i} name={`f${i}`} label={`f${i}`} value={hex64(v)} changed={changed.has(`f${i}`)} />
              ))}
            </div>
          </details>
        </div>
      )}
    </section>
  );
}
