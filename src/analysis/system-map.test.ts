import { describe, expect, it } from 'vitest';
import { SymbolTable, symbolText } from './system-map';

describe('System.map symbols', () => {
  const map = SymbolTable.parseSystemMap(['0000000000000200 A PECOFF_FILE_ALIGNMENT', 'ffffffff80000040 T relocate_enable_mmu', 'ffffffff80000000 T _start', 'ffffffff80000000 T _stext', 'junk line', ''].join('\n'));

  it('names the symbol at or before an address, sorted, absolute symbols left out', () => {
    expect(map.size).toBe(3);
    expect(map.lookup(0xffffffff80000000n)).toEqual({ name: '_start', address: 0xffffffff80000000n });
    const at = 0xffffffff80000050n;
    const sym = map.lookup(at)!;
    expect(symbolText(sym, at)).toBe('relocate_enable_mmu+0x10');
    expect(map.lookup(0x200n)).toBeUndefined();
    expect(map.lookup(0xffffffff90000000n)).toBeUndefined();
  });
});
