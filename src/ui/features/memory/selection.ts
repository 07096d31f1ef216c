// A byte or word selected in the memory panel: its address, aligned to its
// size, and its value as the little-endian hart reads it.

export const SELECTION_SIZES = [1, 2, 4, 8] as const;
export type SelectionSize = (typeof SELECTION_SIZES)[number];

export interface MemorySelection {
  /** The first byte's address (in the panel's space), a multiple of `size`. */
  addr: bigint;
  size: SelectionSize;
}

/** The selection of `size` bytes holding the byte at `addr`. */
export function selectionAt(addr: bigint, size: SelectionSize): MemorySelection {
  return { addr: addr - (addr % BigInt(size)), size };
}

/** The selected bytes among `length` bytes from `addr`, as [from, to) indexes (from === to: none of them). */
export function selectedIn(selection: MemorySelection | undefined, addr: bigint, length: number): [number, number] {
  if (!selection) return [0, 0];
  const clamp = (at: bigint) => Math.min(length, Math.max(0, Number(at - addr)));
  const from = clamp(selection.addr);
  return [from, Math.max(from, clamp(selection.addr + BigInt(selection.size)))];
}

/** The little-endian value of `bytes`, as 0x and two hex digits per byte. */
export function valueText(bytes: Uint8Array): string {
  let hex = '';
  for (let i = bytes.length - 1; i >= 0; i--) hex += bytes[i]!.toString(16).padStart(2, '0');
  return `0x${hex}`;
}

/** The selected bytes out of a window of memory read at `windowAddr`, or undefined if the window does not hold them all. */
export function selectedBytes(selection: MemorySelection, windowAddr: bigint, bytes: Uint8Array): Uint8Array | undefined {
  const start = selection.addr - windowAddr;
  if (start < 0n || start + BigInt(selection.size) > BigInt(bytes.length)) return undefined;
  return bytes.subarray(Number(start), Number(start) + selection.size);
}
