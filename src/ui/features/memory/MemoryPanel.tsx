// Memory at the playhead as hex and ASCII (the rows `prnr seek --mem/--vaddr`
// prints), by physical address or virtual through the page table at that
// tick; the address box and the space are part of the link (?addr=&space=).
// Without an address the panel follows pc.
import { useEffect, useState, type FormEvent } from 'react';
import type { AddressSpace } from '../../app/share-state';
import { errorMessage } from '../../../shared/errors';
import { asciiOf, hex64 } from '../../../shared/hexdump';
import { parseAddress, windowStart } from './address';
import { useMemoryAt } from './queries';
import './memory.css';

export interface MemoryPanelProps {
  id: string;
  tick: bigint;
  /** pc at the tick, which the panel shows when no address is set. */
  pc: bigint | undefined;
  addr: bigint | undefined;
  space: AddressSpace;
  onChange(addr: bigint | undefined, space: AddressSpace): void;
}

export function MemoryPanel({ id, tick, pc, addr, space, onChange }: MemoryPanelProps) {
  const shownAddr = addr ?? (pc === undefined ? undefined : windowStart(pc));
  const effectiveSpace: AddressSpace = addr === undefined ? 'virt' : space;
  const query = useMemoryAt(id, tick, effectiveSpace, shownAddr);
  const [text, setText] = useState(addr === undefined ? '' : `0x${addr.toString(16)}`);
  const [bad, setBad] = useState(false);
  useEffect(() => setText(addr === undefined ? '' : `0x${addr.toString(16)}`), [addr]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') {
      setBad(false);
      onChange(undefined, space);
      return;
    }
    const parsed = parseAddress(text);
    setBad(parsed === undefined);
    if (parsed !== undefined) onChange(parsed, space);
  };

  const data = query.data;
  const rows: { addr: bigint; bytes: Uint8Array }[] = [];
  if (data) for (let i = 0; i < data.bytes.length; i += 16) rows.push({ addr: data.addr + BigInt(i), bytes: data.bytes.subarray(i, i + 16) });

  return (
    <section className="panel-box memory-panel" aria-label="Memory" data-testid="memory-view" data-tick={data?.tick.toString()} data-space={effectiveSpace} data-addr={shownAddr?.toString(16)}>
      <header className="panel-title">
        <h2>Memory</h2>
        <form className="memory-form" onSubmit={submit}>
          <div className="segmented" role="radiogroup" aria-label="Address space">
            {(['virt', 'phys'] as const).map((s) => (
              <button key={s} type="button" role="radio" aria-checked={effectiveSpace === s} className={effectiveSpace === s ? 'active' : ''} data-testid={`memory-space-${s}`} onClick={() => onChange(shownAddr, s)}>
                {s === 'virt' ? 'virtual' : 'physical'}
              </button>
            ))}
          </div>
          <input className={bad ? 'address bad' : 'address'} data-testid="memory-address" value={text} placeholder={pc === undefined ? 'address' : `pc ${hex64(pc)}`} spellCheck={false} aria-label="Address (hex)" onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="text-button" data-testid="memory-go">
            Go
          </button>
        </form>
      </header>
      {bad && <p className="panel-error">An address is hex, like 0x80200000.</p>}
      {query.isError && (
        <p className="panel-error" role="alert" data-testid="memory-error">
          {errorMessage(query.error)}
        </p>
      )}
      {data && (
        <div className={query.isPlaceholderData ? 'hexdump stale' : 'hexdump'}>
          <div className="hexdump-caption muted">
            {effectiveSpace === 'virt' ? `virtual, through satp ${data.satp === undefined ? '?' : hex64(data.satp)}` : 'physical'} · {data.bytes.length} bytes at tick {data.tick.toString()}
          </div>
          {rows.map((row) => (
            <div key={row.addr.toString()} className="hex-row" data-testid="memory-row" data-addr={row.addr.toString(16)}>
              <span className="hex-addr">{row.addr.toString(16).padStart(16, '0')}</span>
              {'  '}
              <span className="hex-bytes">{[...row.bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47)}</span>
              {'  '}
              <span className="hex-ascii">{asciiOf(row.bytes)}</span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
