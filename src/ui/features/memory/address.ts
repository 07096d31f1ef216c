// The memory panel's address box: hex (0x optional, _ allowed), 64-bit.

export function parseAddress(text: string): bigint | undefined {
  const clean = text.trim().replace(/_/g, '').toLowerCase();
  const m = /^(0x)?([0-9a-f]{1,16})$/.exec(clean);
  return m ? BigInt(`0x${m[2]}`) : undefined;
}

/** The row-aligned start (16 bytes) of the window showing `addr`. */
export function windowStart(addr: bigint): bigint {
  return addr & ~0xfn;
}
