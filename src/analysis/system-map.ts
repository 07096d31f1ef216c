// A kernel's System.map (`nm -n` output: "ffffffff80000000 T _start"), as a
// symbol table that names the symbol at or before an address, the way objdump
// and the disassembler (./disasm, SymbolRef) print `<name+0x10>`. Absolute
// symbols (A) are not addresses in the image and are left out.
import type { SymbolRef } from './disasm';

export class SymbolTable {
  private constructor(
    private readonly addresses: BigUint64Array,
    private readonly names: string[],
  ) {}

  static parseSystemMap(text: string): SymbolTable {
    const entries: { address: bigint; name: string }[] = [];
    for (const line of text.split('\n')) {
      const m = /^([0-9a-fA-F]{1,16})\s+([a-zA-Z])\s+(\S+)/.exec(line);
      if (!m || m[2] === 'A' || m[2] === 'a') continue;
      entries.push({ address: BigInt(`0x${m[1]}`), name: m[3]! });
    }
    // Stable, so of several symbols at one address the first listed is kept first.
    entries.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    return new SymbolTable(BigUint64Array.from(entries.map((e) => e.address)), entries.map((e) => e.name));
  }

  get size(): number {
    return this.names.length;
  }

  /** The last symbol at or before `address` (the first listed of those at one address), within [first symbol, last symbol + maxOffset]. */
  lookup(address: bigint, maxOffset = 0x100000n): SymbolRef | undefined {
    const { addresses } = this;
    let lo = 0;
    let hi = addresses.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (addresses[mid]! <= address) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    let i = lo - 1;
    while (i > 0 && addresses[i - 1] === addresses[i]) i--;
    if (address - addresses[i]! > maxOffset) return undefined;
    return { name: this.names[i]!, address: addresses[i]! };
  }
}

/** `name+0x10`, or `name` at its own address. */
export function symbolText(symbol: SymbolRef, address: bigint): string {
  const offset = address - symbol.address;
  return offset === 0n ? symbol.name : `${symbol.name}+0x${offset.toString(16)}`;
}
