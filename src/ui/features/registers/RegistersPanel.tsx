// Registers and CSRs at the playhead, with what changed since the previous
// position highlighted; hex text as `prnr seek --regs` prints it.
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../../shared/errors';
import { hex64 } from '../../../shared/hexdump';
import { ABI_NAMES, PRIV_NAMES } from '../../../shared/riscv';
import { LastChange, type ChangeSearch } from '../memory/LastChange';
import { useLooksStale } from '../recording/stale';
import { changedRegisters } from './changes';
import { registerChangeSearch } from './last-change';
import { useHartAt, type HartAt } from './queries';
import './registers.css';

/** The search while no register is selected (its button is disabled then). */
const noSearch: ChangeSearch = async () => ({ message: 'select a register first' });

const PRIV_LABELS: Record<number, string> = { 0: 'User', 1: 'Supervisor', 3: 'Machine' };

// One register; re-rendered only when its value, highlight or selection changes (a seek changes a few).
const Reg = memo(function Reg({ name, label, value, changed, selected, onSelect }: { name: string; label: string; value: string; changed: boolean; selected?: boolean; onSelect?(name: string): void }) {
  const className = `reg${changed ? ' changed' : ''}${selected ? ' selected' : ''}${onSelect ? ' selectable' : ''}`;
  return (
    <div className={className} onClick={onSelect && (() => onSelect(name))} title={onSelect ? `Select ${label}: where did its value come from?` : undefined}>
      <span className="reg-name">{label}</span>
      <code className="reg-value" data-testid={`reg-${name}`} data-changed={changed || undefined}>
        {value}
      </code>
    </div>
  );
});

export function RegistersPanel({ id, tick, onSeek }: { id: string; tick: bigint; onSeek(tick: bigint): void }) {
  const query = useHartAt(id, tick);
  // A register selected for "where did this value come from" (its last change in the current slice).
  const [selected, setSelected] = useState<string | undefined>();
  const search = useMemo(() => (selected === undefined ? undefined : registerChangeSearch(id, selected)), [id, selected]);
  const select = useCallback((name: string) => setSelected((s) => (s === name ? undefined : name)), []);
  // The hart as shown before the current answer, for the highlight.
  const previous = useRef<{ shown?: HartAt; before?: HartAt }>({});
  const data = query.data;
  if (data && previous.current.shown?.tick !== data.tick) previous.current = { before: previous.current.shown, shown: data };
  const changed = data ? changedRegisters(previous.current.before, data) : new Set<string>();
  const stale = useLooksStale(query.isPlaceholderData);

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
        <div className={stale ? 'registers-body stale' : 'registers-body'}>
          <div className="reg-pc-row">
            <Reg name="pc" label="pc" value={hex64(data.pc)} changed={changed.has('pc')} />
            <span className="muted reg-origin">
              from snapshot {data.snapshot} (tick {data.snapshotTick.toString()})
            </span>
          </div>
          <div className="reg-grid">
            {data.x.map((v, i) => (
              <Reg key={i} name={ABI_NAMES[i]!} label={`${ABI_NAMES[i]}`} value={hex64(v)} changed={changed.has(ABI_NAMES[i]!)} selected={selected === ABI_NAMES[i]} onSelect={i === 0 ? undefined : select} />
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
                <Reg key={i} name={`f${i}`} label={`f${i}`} value={hex64(v)} changed={changed.has(`f${i}`)} selected={selected === `f${i}`} onSelect={select} />
              ))}
            </div>
          </details>
          <div className="reg-last-change" data-testid="register-last-change" data-reg={selected}>
            <span className="muted">{selected ? `${selected}, within this slice (from tick ${data.snapshotTick})` : 'Click a register to ask where its value came from.'}</span>
            <LastChange subject={selected} subjectKey={selected} search={search ?? noSearch} tick={data.tick} onSeek={onSeek} testIds="register-change" />
          </div>
        </div>
      )}
    </section>
  );
}
