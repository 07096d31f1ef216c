// The default image's System.map through the symbol table the disassembly panel uses.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SymbolTable } from '../../src/analysis/system-map';

describe('System.map of the default image', () => {
  it('reads the default image\'s System.map', () => {
    const text = gunzipSync(readFileSync(new URL('../../public/images/default/System.map.gz', import.meta.url))).toString('utf8');
    const table = SymbolTable.parseSystemMap(text);
    expect(table.size).toBeGreaterThan(10_000);
    expect(table.lookup(0xffffffff80000000n)?.name).toBe('_start');
  });
});
