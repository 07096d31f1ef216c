// Kernel symbols from System.map (nm's format: "ffffffff80001000 T _stext"),
// for naming the kernel function an address lies in.

export interface KernelSymbols {
  /** The function `addr` lies in and the offset into it, or undefined outside the kernel's text. */
  lookup(addr: bigint): { name: string; offset: bigint } | undefined;
}

const TEXT_TYPES = new Set(['T', 't', 'W', 'w']);

/** Parses System.map text; lines that are not "ADDRESS TYPE NAME" are skipped. */
export function parseSystemMap(text: string): KernelSymbols {
  const symbols: { addr: bigint; name: string }[] = [];
  let end: bigint | undefined;
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]+) (\S) (\S+)/.exec(line);
    if (!m) continue;
    const addr = BigInt(`0x${m[1]}`);
    if (m[3] === '_etext') end = addr;
    if (TEXT_TYPES.has(m[2])) symbols.push({ addr, name: m[3] });
  }
  symbols.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  return {
    lookup(addr) {
      if (symbols.length === 0 || addr < symbols[0].addr || (end !== undefined && addr >= end)) return undefined;
      let lo = 0;
      let hi = symbols.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (symbols[mid].addr <= addr) lo = mid;
        else hi = mid - 1;
      }
      return { name: symbols[lo].name, offset: addr - symbols[lo].addr };
    },
  };
}

/** "do_timer+0x1c" for an address in the kernel's text, else the address in hex. */
export function placeName(symbols: KernelSymbols | undefined, addr: bigint): string {
  const at = symbols?.lookup(addr);
  return at ? `${at.name}+0x${at.offset.toString(16)}` : `0x${addr.toString(16)}`;
}
