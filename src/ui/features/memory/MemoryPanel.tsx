// Memory at the playhead as hex and ASCII (the rows `prnr seek --mem/--vaddr`
// prints), by physical address or virtual through the page table at that
// tick; the address box and the space are part of the link (?addr=&space=).
// Without an address the panel follows pc.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { AddressSpace } from '../../app/share-state';
import { errorMessage } from '../../../shared/errors';
import { hex64 } from '../../../shared/hexdump';
import { parseAddress, windowStart } from './address';
import { HexRows } from './HexRows';
import { useAfterPaint } from '../recording/after-paint';
import { useLooksStale } from '../recording/stale';
import { LastChange, type ChangeSearch } from './LastChange';
import { lastWriteSearch } from './last-write';
import { useMemoryAt } from './queries';
import { SELECTION_SIZES, selectedBytes, selectionAt, valueText, type MemorySelection, type SelectionSize } from './selection';
import './memory.css';

export interface MemoryPanelProps {
  id: string;
  tick: bigint;
  /** pc at the tick, which the panel shows when no address is set. */
  pc: bigint | undefined;
  addr: bigint | undefined;
  space: AddressSpace;
  onChange(addr: bigint | undefined, space: AddressSpace): void;
  /** Moves the playhead (to where a selected value was written). */
  onSeek(tick: bigint): void;
}

/** The search while nothing is selected (its button is disabled then). */
const noSearch: ChangeSearch = async () => ({ message: 'select a byte or word first' });

export function MemoryPanel({ id, tick, pc, addr, space, onChange, onSeek }: MemoryPanelProps) {
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

  // The byte or word selected, in this space (a new space or address starts afresh).
  const [size, setSize] = useState<SelectionSize>(8);
  const [selected, setSelected] = useState<{ at: bigint; space: AddressSpace; shown: bigint | undefined } | undefined>();
  const selection: MemorySelection | undefined = selected && selected.space === effectiveSpace && selected.shown === shownAddr ? selectionAt(selected.at, size) : undefined;

  // The rows follow a seek a frame after the registers (../recording/after-paint.ts): 256 bytes are some 600
  // elements to restyle and lay out, which the frame showing the registers and the console need not wait for.
  const data = useAfterPaint(query.data);
  const stale = useLooksStale(query.isPlaceholderData || data !== query.data);
  const value = selection && data ? selectedBytes(selection, data.addr, data.bytes) : undefined;
  // Virtual bytes are searched where the page table the view was read through maps them.
  const satp = effectiveSpace === 'virt' ? data?.satp : undefined;
  const [selAddr, selSize] = [selection?.addr, selection?.size];
  const search = useMemo(() => (selAddr !== undefined && selSize !== undefined ? lastWriteSearch(id, { addr: selAddr, size: selSize }, satp) : undefined), [id, selAddr, selSize, satp]);
  const subjectKey = selection && `${effectiveSpace}:${selection.addr}:${selection.size}`;

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
          <input className={bad ? 'field address bad' : 'field address'} data-testid="memory-address" value={text} placeholder={pc === undefined ? 'address' : `pc ${hex64(pc)}`} spellCheck={false} aria-label="Address (hex)" onChange={(e) => setText(e.target.value)} />
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
        <div className={stale ? 'hexdump stale' : 'hexdump'}>
          <div className="hexdump-caption muted">
            {effectiveSpace === 'virt' ? `virtual, through satp ${data.satp === undefined ? '?' : hex64(data.satp)}` : 'physical'} · {data.bytes.length} bytes at tick {data.tick.toString()}
          </div>
          <HexRows addr={data.addr} bytes={data.bytes} selection={selection} onSelect={(at) => setSelected({ at, space: effectiveSpace, shown: shownAddr })} />
        </div>
      )}
      <div className="memory-selection" data-testid="memory-selection" data-addr={selection?.addr.toString(16)} data-size={selection?.size}>
        <div className="segmented" role="radiogroup" aria-label="Selection size">
          {SELECTION_SIZES.map((n) => (
            <button key={n} type="button" role="radio" aria-checked={size === n} className={size === n ? 'active' : ''} data-testid={`memory-size-${n}`} onClick={() => setSize(n)}>
              {n === 1 ? 'byte' : `${n * 8}-bit`}
            </button>
          ))}
        </div>
        {selection ? (
          <span>
            {effectiveSpace === 'virt' ? 'virtual' : 'physical'} <code>{hex64(selection.addr)}</code> = <code data-testid="memory-selected-value">{value ? valueText(value) : '?'}</code>
          </span>
        ) : (
          <span className="muted">Click a byte to select it (or the word holding it).</span>
        )}
      </div>
      <LastChange subject={selection && `${hex64(selection.addr)} (${selection.size} byte${selection.size === 1 ? '' : 's'})`} subjectKey={subjectKey} search={search ?? noSearch} tick={data?.tick ?? tick} onSeek={onSeek} />
    </section>
  );
}
