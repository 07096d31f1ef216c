// Value-name tables ("xlat" in strace) and the two ways strace prints a value
// through one: as flags (printflags) and as one value (printxval).
import { hex } from './format.ts';

export interface Xlat {
  readonly entries: readonly (readonly [bigint, string])[];
  readonly byValue: ReadonlyMap<bigint, string>;
}

/** A table from names to values, in the order strace lists them (the order flags print in). */
export function xlat(table: Record<string, number | bigint>): Xlat {
  const entries = Object.entries(table).map(([name, v]) => [BigInt(v), name] as const);
  const byValue = new Map<bigint, string>();
  for (const [v, name] of entries) if (!byValue.has(v)) byValue.set(v, name);
  return { entries, byValue };
}

/**
 * strace printflags(): every entry whose bits are all set, in table order,
 * joined by "|"; leftover bits as hex; a zero-valued entry only for 0. With
 * nothing known: the hex value and "/* dflt *\/", or "0" for 0 when a default
 * is given (and "" without one, as strace).
 */
export function flags(table: Xlat, value: bigint | number, dflt?: string): string {
  let v = BigInt(value);
  const names: string[] = [];
  for (const [bits, name] of table.entries) {
    if (v === 0n && names.length > 0) break;
    if (v === bits || (bits !== 0n && (v & bits) === bits)) {
      names.push(name);
      v &= ~bits;
    }
  }
  if (names.length > 0) return v === 0n ? names.join('|') : `${names.join('|')}|${hex(v)}`;
  if (v !== 0n) return dflt ? `${hex(v)} /* ${dflt} */` : hex(v);
  return dflt ? '0' : '';
}

/** strace printxval(): the name of `value`, else hex and "/* dflt *\/". */
export function xval(table: Xlat, value: bigint | number, dflt?: string, format: (v: bigint) => string = hex): string {
  const v = BigInt(value);
  const name = table.byValue.get(v);
  if (name !== undefined) return name;
  return dflt ? `${format(v)} /* ${dflt} */` : format(v);
}

/** The name of `value` in `table`, or undefined. */
export function lookup(table: Xlat, value: bigint | number): string | undefined {
  return table.byValue.get(BigInt(value));
}
