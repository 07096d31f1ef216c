import { describe, expect, it } from 'vitest';
import { alignedStart, listing } from './code-listing';

// addi a0,a0,1 (4 bytes) / c.addi a0,1 (2 bytes) / add a0,a0,a1 (4 bytes) / c.nop / ret
const code = Uint8Array.from([0x13, 0x05, 0x15, 0x00, 0x05, 0x05, 0x33, 0x05, 0xb5, 0x00, 0x01, 0x00, 0x82, 0x80]);

describe('code listing', () => {
  it('starts where decoding lands on pc, even after a 2-byte instruction', () => {
    expect(alignedStart(code, 0x1000n, 0x100an)).toBe(0);
    // From 0x1002 the stream would decode the upper half of addi (0x0015) as c.addi... and land on 0x1004 too; from 0 is earlier.
    expect(alignedStart(code, 0x1000n, 0x1004n)).toBe(0);
  });

  it('leaves out an instruction the bytes end inside of, and labels a symbol entered midway with its offset', () => {
    const cut = code.subarray(0, 8); // addi, c.addi, then half of add
    const out = listing(cut, 0x1000n, 0x1004n, () => ({ name: 'g', address: 0xff0n }));
    expect(out.lines.map((l) => l.text)).toEqual(['0000000000001000 <g+0x10>:', '0000000000001000:  00150513   add      a0,a0,1', '0000000000001004:  0505       add      a0,a0,1']);
  });

  it('lists instructions as objdump prints them, marks pc and labels symbols', () => {
    // objdump 2.40 prints addi rd,rd,imm as add (its alias row comes first): the disassembler's text, column-aligned.
    const out = listing(code, 0x1000n, 0x1006n, (a) => (a >= 0x1000n ? { name: 'f', address: 0x1000n } : undefined));
    expect(out.lines.map((l) => l.text)).toEqual([
      '0000000000001000 <f>:',
      '0000000000001000:  00150513   add      a0,a0,1',
      '0000000000001004:  0505       add      a0,a0,1',
      '0000000000001006:  00b50533   add      a0,a0,a1',
      '000000000000100a:  0001       nop',
      '000000000000100c:  8082       ret',
    ]);
    expect(out.lines.filter((l) => l.atPc).map((l) => l.address)).toEqual([0x1006n]);
    expect(out.atPc?.mnemonic).toBe('add');
  });
});
