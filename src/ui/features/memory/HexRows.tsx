// The hex rows of the memory panel (the text `prnr seek --mem` prints, row
// for row), each byte a target: a click selects the byte or word holding it
// (./selection.ts), drawn highlighted in the hex and the ASCII columns.
// A row re-renders only when its bytes or its part of the selection change
// (a seek usually changes a few rows), and one listener on the rows takes
// every click, so a row is plain elements. Rows are keyed by their place in
// the window, not their address: a window elsewhere (pc moved to other code)
// updates the rows' text in place instead of replacing every element.
import { memo, type MouseEvent } from 'react';
import { asciiOf } from '../../../shared/hexdump';
import { selectedIn, type MemorySelection } from './selection';

export interface HexRowsProps {
  addr: bigint;
  bytes: Uint8Array;
  selection: MemorySelection | undefined;
  onSelect(addr: bigint): void;
}

const ROW = 16;

interface HexRowProps {
  addr: bigint;
  /** Two hex digits per byte, no separators (compared as a string: an unchanged row is not re-rendered). */
  hex: string;
  ascii: string;
  /** The selected bytes of this row, [from, to) by index in it (from === to: none). */
  from: number;
  to: number;
}

const HexRow = memo(function HexRow({ addr, hex, ascii, from, to }: HexRowProps) {
  const count = hex.length / 2;
  const on = (i: number) => i >= from && i < to;
  const cells = Array.from({ length: count }, (_, i) => i);
  return (
    <div className="hex-row" data-testid="memory-row" data-addr={addr.toString(16)}>
      <span className="hex-addr">{addr.toString(16).padStart(16, '0')}</span>
      {'  '}
      <span className="hex-bytes">
        {cells.map((i) => (
          <span key={i}>
            {i > 0 && ' '}
            <span className={on(i) ? 'hex-byte selected' : 'hex-byte'} data-testid="memory-byte" data-addr={(addr + BigInt(i)).toString(16)} data-i={i}>
              {hex.slice(2 * i, 2 * i + 2)}
            </span>
          </span>
        ))}
        {' '.repeat(Math.max(0, 47 - (count * 3 - 1)))}
      </span>
      {'  '}
      <span className="hex-ascii">
        {cells.map((i) => (
          <span key={i} className={on(i) ? 'hex-char selected' : 'hex-char'} data-i={i}>
            {ascii[i]}
          </span>
        ))}
      </span>
    </div>
  );
});

function hexOf(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export function HexRows({ addr, bytes, selection, onSelect }: HexRowsProps) {
  // A click on a byte or its character: the row's address plus the cell's index.
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-i]');
    const row = cell?.closest<HTMLElement>('.hex-row');
    if (!cell || !row) return;
    onSelect(BigInt(`0x${row.dataset.addr}`) + BigInt(cell.dataset.i!));
  };
  const rows = [];
  for (let i = 0; i < bytes.length; i += ROW) {
    const at = addr + BigInt(i);
    const row = bytes.subarray(i, i + ROW);
    const [from, to] = selectedIn(selection, at, row.length);
    rows.push(<HexRow key={i} addr={at} hex={hexOf(row)} ascii={asciiOf(row)} from={from} to={to} />);
  }
  return (
    <div className="hex-rows" onClick={onClick}>
      {rows}
    </div>
  );
}
