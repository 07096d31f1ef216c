// Unit tests of the disassembler; every expected line is what
// riscv64-linux-gnu-objdump 2.40 prints for the same bytes (the full
// comparison with objdump is test/disasm/objdump.test.ts).
import { describe, expect, it } from 'vitest';
import { Disassembler, decode, disassemble, objdumpHex } from './index.ts';
import { OPCODES } from './opcodes.ts';

const KERNEL = 0xffffffff80000000n;
const le32 = (...words: number[]) => new Uint8Array(words.flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]));

const WORDS: [number, string][] = [
  [0x14102573, 'csrr\ta0,sepc'],
  [0x10a02573, 'csrr\ta0,senvcfg'],
  [0x00564353, 'fadd.s\tft6,fa2,ft5,rmm'],
  [0x8a020913, 'add\ts2,tp,-1888 # 0xfffffffffffff8a0'],
  [0x00053503, 'ld\ta0,0(a0)'],
  [0x0ff0000f, 'fence'],
  [0x0330000f, 'fence\trw,rw'],
  [0x0100000f, 'fence\tw,unknown'],
  [0xc0001073, 'unimp'],
  [0x87858593, 'add\ta1,a1,-1928'],
  [0x02a5e553, 'fadd.d\tfa0,fa1,fa0,unknown'],
  [0x12a00073, 'sfence.vma\tzero,a0'],
  [0x0005051b, 'sext.w\ta0,a0'],
  [0x0ff57513, 'zext.b\ta0,a0'],
  [0x0020, 'add\ts0,sp,8'],
  [0x0032, 'c.slli\tzero,0xc'],
  [0x0002, 'c.slli64\tzero'],
  [0x4952, 'lw\ts2,20(sp)'],
  [0x8082, 'ret'],
  [0x0000, 'unimp'],
];

describe('decode', () => {
  it.each(WORDS.map(([word, text]) => [`0x${word.toString(16)}`, text, word] as const))('%s -> %s', (_, text, word) => {
    expect(decode(word).text).toBe(text);
  });

  it('prints words no instruction matches as objdump does, and flags them', () => {
    expect(decode(0x82f0)).toMatchObject({ text: '.2byte\t0x82f0', length: 2, valid: false });
    expect(decode(0xd2051553)).toMatchObject({ text: '.4byte\t0xd2051553', length: 4, valid: false });
  });

  it('gives branch and jump targets as absolute addresses', () => {
    const j = decode(0xa0d1, KERNEL);
    expect(j.text).toBe('j\t0xffffffff800000c4');
    expect(j.target).toBe(0xffffffff800000c4n);
    expect(decode(0xfafd, 0x10454n).text).toBe('bnez\ta3,0x1044a');
  });

  it('names CSRs as the ELF privileged spec has them', () => {
    expect(decode(0x18002573).text).toBe('csrr\ta0,satp');
    expect(decode(0x18002573, 0n, { privSpec: '1.9.1' }).text).toBe('csrr\ta0,sptbr');
    expect(decode(0x10a02573, 0n, { privSpec: '1.11' }).text).toBe('csrr\ta0,0x10a');
  });
});

describe('disassemble', () => {
  it('annotates auipc/lui address arithmetic as objdump does', () => {
    const [auipc, add] = disassemble(le32(0x00246597, 0x87858593), KERNEL + 0x40n);
    expect(auipc.text).toBe('auipc\ta1,0x246');
    expect(add).toMatchObject({ text: 'add\ta1,a1,-1928 # 0xffffffff802458b8', comment: '0xffffffff802458b8', ref: 0xffffffff802458b8n });
    const [, addw] = disassemble(le32(0x003007b7, 0x7cc7879b), 0n);
    expect(addw.text).toBe('addw\ta5,a5,1996 # 0x3007cc');
  });

  it('shows symbols through the hook, as <symbol+offset>', () => {
    const symbols = [{ name: '_start', address: KERNEL }, { name: '_start_kernel', address: KERNEL + 0xc4n }];
    const symbolize = (a: bigint) => symbols.filter((s) => s.address <= a).at(-1);
    const [j] = disassemble(new Uint8Array([0xd1, 0xa0]), KERNEL, { symbolize });
    expect(j.text).toBe('j\t0xffffffff800000c4 <_start_kernel>');
    const dis = new Disassembler({ symbolize });
    expect(dis.formatAddress(KERNEL + 0x10n)).toBe('0xffffffff80000010 <_start+0x10>');
    expect(dis.formatAddress(KERNEL - 4n)).toBe('0xffffffff7ffffffc');
  });

  it('prints longer encodings and a cut-off tail as bytes', () => {
    const ten = new Uint8Array([0x7f, 0x00, 1, 2, 3, 4, 5, 6, 7, 8]);
    const [long] = disassemble(ten, 0n);
    expect(long).toMatchObject({ length: 10, valid: false, text: '.byte\t0x7f, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08' });
    expect(objdumpHex(long)).toBe('007f 0201 0403 0605 0807');
    const eight = disassemble(new Uint8Array([0xbf, 0xb1, 0x1c, 0x80, 0xff, 0xff, 0xff, 0xff]), 0n)[0];
    expect(eight.text).toBe('.8byte\t0xffffffff801cb1bf');
    expect(objdumpHex(eight)).toBe('801cb1bf ffffffff');
    const tail = disassemble(new Uint8Array([0x13, 0x05, 0x00, 0x00, 0x13]), 0n);
    expect(tail.map((i) => i.text)).toEqual(['li\ta0,0', '.byte\t0x13']);
  });

  it('never throws, and covers every byte, on arbitrary input', () => {
    let seed = 7;
    const bytes = new Uint8Array(1 << 16).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (const start of [0, 1, 3]) {
      const part = bytes.subarray(start);
      const out = disassemble(part, 0xfffffffffffff000n);
      expect(out.reduce((n, i) => n + i.length, 0)).toBe(part.length);
      expect(out.every((i) => i.text.length > 0 && i.address <= 0xffffffffffffffffn)).toBe(true);
    }
  });

  it('prints every row of the opcode table without error', () => {
    for (const row of OPCODES) {
      const insn = decode(row.match);
      expect(insn.text.length).toBeGreaterThan(0);
    }
  });
});
