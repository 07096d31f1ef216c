// The hex rows of the memory panel (the text `prnr seek --mem` prints, row
// for row), each byte a target: a click selects the byte or word holding it
// (./selection.ts), drawn highlighted in the hex and the ASCII columns.
import { asciiOf } from '../../../shared/hexdump';
import { selects, type MemorySelection } from './selection';

export interface HexRowsProps {
  addr: bigint;
  bytes: Uint8Array;
  selection: MemorySelection | undefined;
  onSelect(addr: bigint): void;
}

const ROW = 16;

export function HexRows({ addr, bytes, selection, onSelect }: HexRowsProps) {
  const rows: { addr: bigint; bytes: Uint8Array }[] = [];
  for (let i = 0; i < bytes.length; i += ROW) rows.push({ addr: addr + BigInt(i), bytes: bytes.subarray(i, i + ROW) });
  return (
    <>
      {rows.map((row) => {
        const cells = [...row.bytes].map((b, i) => ({ b, at: row.addr + BigInt(i), on: selects(selection, row.addr + BigInt(i)) }));
        const ascii = asciiOf(row.bytes);
        return (
          <div key={row.addr.toString()} className="hex-row" data-testid="memory-row" data-addr={row.addr.toString(16)}>
            <span className="hex-addr">{row.addr.toString(16).padStart(16, '0')}</span>
            {'  '}
            <span className="hex-bytes">
              {cells.map((c, i) => (
                <span key={i}>
                  {i > 0 && ' '}
                  <span className={c.on ? 'hex-byte selected' : 'hex-byte'} data-testid="memory-byte" data-addr={c.at.toString(16)} onClick={() => onSelect(c.at)}>
                    {c.b.toString(16).padStart(2, '0')}
                  </span>
                </span>
              ))}
              {' '.repeat(Math.max(0, 47 - (cells.length * 3 - 1)))}
            </span>
            {'  '}
            <span className="hex-ascii">
              {cells.map((c, i) => (
                <span key={i} className={c.on ? 'hex-char selected' : 'hex-char'} onClick={() => onSelect(c.at)}>
                  {ascii[i]}
                </span>
              ))}
            </span>
          </div>
        );
      })}
    </>
  );
}
