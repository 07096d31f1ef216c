// Memory as hex, the one format of `prnr seek --mem/--vaddr` and the app's memory panel.

/** A 64-bit value as 0x and 16 hex digits. */
export const hex64 = (v: bigint): string => `0x${v.toString(16).padStart(16, '0')}`;

/** One line per 16 bytes: the address (16 hex digits), the bytes in hex, the printable ones as ASCII. */
export function hexdump(addr: bigint, bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push(hexdumpLine(addr + BigInt(i), bytes.subarray(i, i + 16)));
  return lines;
}

export function hexdumpLine(addr: bigint, row: Uint8Array): string {
  const hexPart = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${addr.toString(16).padStart(16, '0')}  ${hexPart.padEnd(47)}  ${asciiOf(row)}`;
}

/** Printable ASCII as itself, anything else as '.'. */
export function asciiOf(row: Uint8Array): string {
  return [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}
