// The Machine class over a real machine.wasm, on hand-assembled M-mode programs
// (words from riscv64-linux-gnu-as -march=rv64g; the mnemonics beside them).
import { describe, expect, it } from 'vitest';
import { Machine } from './machine';
import { errorCode } from '../shared/errors';
import { compileMachineModule } from './node/machine-module';
import { RAM_BASE } from '../shared/machine-constants';

const U64_MAX = (1n << 64n) - 1n;

function program(words: number[]): Uint8Array {
  return new Uint8Array(new Uint32Array(words).buffer);
}

/** Sets satp to Sv39 (bit 63 set), mscratch and f3 to all ones, then spins. */
const HIGH_BITS = program([
  0x00100293, // addi t0, zero, 1
  0x03f29293, // slli t0, t0, 63
  0x00080337, // lui t1, 0x80
  0x0062e2b3, // or t0, t0, t1         t0 = 8 << 60 | 0x80000
  0x18029073, // csrw satp, t0
  0xfff00513, // addi a0, zero, -1
  0x34051073, // csrw mscratch, a0
  0x000023b7, // lui t2, 0x2
  0x3003a073, // csrs mstatus, t2      FS = initial
  0xf20501d3, // fmv.d.x f3, a0
  0x0000006f, // j .
]);

async function bootProgram(firmware: Uint8Array): Promise<Machine> {
  const machine = await Machine.create(await compileMachineModule());
  machine.boot({ ramBytes: 8 << 20, firmware, kernel: new Uint8Array(0), cmdline: '', entropySeed: 0n });
  return machine;
}

describe('Machine', () => {
  it('returns every u64 unsigned: satp, registers, CSRs, ticks, state hashes', async () => {
    const machine = await bootProgram(HIGH_BITS);
    const hashes: bigint[] = [];
    for (let t = 1n; t <= 16n; t++) {
      machine.run(t);
      hashes.push(machine.stateHash());
    }
    expect(machine.csr(0x180)).toBe((8n << 60n) | 0x80000n); // satp: Sv39
    expect(machine.csr(0x340)).toBe(U64_MAX); // mscratch: all ones is a value, not "missing"
    const regs = machine.registers();
    expect(regs.x[10]).toBe(U64_MAX);
    expect(regs.f[3]).toBe(U64_MAX);
    expect(regs.pc).toBe(RAM_BASE + 40n);
    expect(machine.tick).toBe(16n);
    for (const hash of hashes) {
      expect(hash).toBeGreaterThanOrEqual(0n);
      expect(hash).toBeLessThanOrEqual(U64_MAX);
    }
    expect(new Set(hashes).size).toBeGreaterThan(8); // the sample spans many hashes, so half have bit 63 set
    expect(hashes.some((h) => h >= 1n << 63n)).toBe(true);
  });

  it('tells CSRs that exist from those that do not, by the CSR decoder, not by their value', async () => {
    const machine = await bootProgram(HIGH_BITS);
    expect(machine.csr(0x7c0)).toBeUndefined(); // custom M-mode space: nothing there
    expect(machine.csr(0x3a1)).toBeUndefined(); // RV64 has no odd pmpcfg
    expect(machine.csr(0x001)).toBe(0n); // fflags exists, even with mstatus.FS off
    expect(machine.csr(0x14d)).toBe(U64_MAX); // stimecmp at reset
    expect(machine.csr(0x301)! >> 62n).toBe(2n); // misa: MXL = 64
  });
});

/** satp = Sv39 with the root table at 0x8010_0000, then spins. */
const SV39_ROOT_AT_0x80100000 = program([
  0x00100293, // addi t0, zero, 1
  0x03f29293, // slli t0, t0, 63
  0x00080337, // lui t1, 0x80
  0x10030313, // addi t1, t1, 0x100
  0x0062e2b3, // or t0, t0, t1
  0x18029073, // csrw satp, t0
  0x0000006f, // j .
]);

const PTE_V = 1n, PTE_R = 2n, PTE_W = 4n, PTE_X = 8n, PTE_A = 64n, PTE_D = 128n;
const ROOT = 0x8010_0000n, L1 = 0x8010_1000n, L0 = 0x8010_2000n;
const SATP = (8n << 60n) | (ROOT >> 12n);
const pte = (paddr: bigint, flags: bigint) => ((paddr >> 12n) << 10n) | flags;
const vpn = (va: bigint, level: number) => Number((va >> (12n + 9n * BigInt(level))) & 0x1ffn);

function writeU64(machine: Machine, paddr: bigint, value: bigint): void {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  machine.writePhys(Number(paddr), bytes);
}

/** Page tables at ROOT: a 4 KiB page, two 4 KiB pages far apart in RAM, a 2 MiB and a 1 GiB superpage, and broken entries. */
const VA_4K = 0x12_3456_7abcn; // -> 0x8030_0abc
const VA_PAIR = 0x12_3457_8ff0n; // two virtual pages -> 0x8040_0000 and 0x8030_1000
const VA_2M = 0x12_3480_0000n; // -> 0x8060_0000 (2 MiB)
const VA_1G = 0xffff_ffc0_0000_0000n; // high half, -> 0x8000_0000 (1 GiB)
const VA_UNMAPPED = 0x12_3456_0000n;
const VA_MISALIGNED = 0x12_34a0_0000n; // a 2 MiB leaf whose ppn is not 2 MiB aligned
const VA_W_ONLY = 0x12_3459_0000n; // W without R
function writeTables(machine: Machine): void {
  writeU64(machine, ROOT + BigInt(vpn(VA_4K, 2)) * 8n, pte(L1, PTE_V));
  writeU64(machine, L1 + BigInt(vpn(VA_4K, 1)) * 8n, pte(L0, PTE_V));
  writeU64(machine, L0 + BigInt(vpn(VA_4K, 0)) * 8n, pte(0x8030_0000n, PTE_V | PTE_R | PTE_W)); // A and D clear
  writeU64(machine, L0 + BigInt(vpn(VA_PAIR, 0)) * 8n, pte(0x8040_0000n, PTE_V | PTE_R));
  writeU64(machine, L0 + BigInt(vpn(VA_PAIR, 0) + 1) * 8n, pte(0x8030_1000n, PTE_V | PTE_R));
  writeU64(machine, L0 + BigInt(vpn(VA_W_ONLY, 0)) * 8n, pte(0x8030_2000n, PTE_V | PTE_W));
  writeU64(machine, L1 + BigInt(vpn(VA_2M, 1)) * 8n, pte(0x8060_0000n, PTE_V | PTE_R | PTE_X | PTE_A | PTE_D));
  writeU64(machine, L1 + BigInt(vpn(VA_MISALIGNED, 1)) * 8n, pte(0x8060_1000n, PTE_V | PTE_R));
  writeU64(machine, ROOT + BigInt(vpn(VA_1G, 2)) * 8n, pte(0x8000_0000n, PTE_V | PTE_R | PTE_W | PTE_X));
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    return errorCode(err);
  }
  return 'no error';
}

describe('Machine.translate and readVirt (the machine\'s own Sv39 walk)', () => {
  it('maps 4 KiB pages and 2 MiB / 1 GiB superpages, in both halves of the address space', async () => {
    const machine = await bootProgram(SV39_ROOT_AT_0x80100000);
    writeTables(machine);
    expect(machine.translate(VA_4K, SATP)).toEqual({ paddr: 0x8030_0abcn, pageBytes: 4096n, pte: pte(0x8030_0000n, PTE_V | PTE_R | PTE_W) });
    expect(machine.translate(VA_2M + 0x1_2345n, SATP)).toMatchObject({ paddr: 0x8061_2345n, pageBytes: 2n << 20n });
    expect(machine.translate(VA_1G + 0x1234_5678n, SATP)).toMatchObject({ paddr: 0x9234_5678n, pageBytes: 1n << 30n });
    expect(machine.translate(VA_4K, 0n)).toEqual({ paddr: VA_4K, pageBytes: 4096n, pte: 0n }); // Bare
  });

  it("uses the hart's satp by default", async () => {
    const machine = await bootProgram(SV39_ROOT_AT_0x80100000);
    writeTables(machine);
    expect(machine.csr(0x180)).toBe(0n);
    expect(machine.translate(VA_4K).paddr).toBe(VA_4K); // Bare until the program writes satp
    machine.run(10n);
    expect(machine.csr(0x180)).toBe(SATP);
    expect(machine.translate(VA_4K).paddr).toBe(0x8030_0abcn);
  });

  it('names each fault with its own code', async () => {
    const machine = await bootProgram(SV39_ROOT_AT_0x80100000);
    writeTables(machine);
    expect(codeOf(() => machine.translate(VA_UNMAPPED, SATP))).toBe('PAGE_FAULT');
    expect(codeOf(() => machine.translate(0x40_0000_0000n, SATP))).toBe('PAGE_FAULT'); // not canonical
    expect(codeOf(() => machine.translate(VA_MISALIGNED, SATP))).toBe('PAGE_FAULT');
    expect(codeOf(() => machine.translate(VA_W_ONLY, SATP))).toBe('PAGE_FAULT');
    expect(codeOf(() => machine.translate(VA_4K, 8n << 60n))).toBe('ACCESS_FAULT'); // root table at 0: not RAM
    expect(codeOf(() => machine.translate(VA_4K, (9n << 60n) | (ROOT >> 12n)))).toBe('SATP_MODE'); // Sv48
    expect(() => machine.translate(VA_UNMAPPED, SATP)).toThrow(/0x1234560000 is not mapped \(level 0 PTE 0x0 at 0x80102b00 is not valid\)/);
  });

  it('changes nothing: no A/D bits, no dirty pages, the same state hash', async () => {
    const machine = await bootProgram(SV39_ROOT_AT_0x80100000);
    writeTables(machine);
    machine.run(10n);
    machine.clearDirtyPages();
    const hash = machine.stateHash();
    machine.translate(VA_4K);
    machine.readVirt(VA_4K, 16);
    expect(machine.readPhys(Number(L0) + vpn(VA_4K, 0) * 8, 1)[0]! & Number(PTE_A | PTE_D)).toBe(0);
    expect(machine.dirtyPages().some((d) => d !== 0)).toBe(false);
    expect(machine.stateHash()).toBe(hash);
  });

  it('reads across a page boundary into a page elsewhere in RAM, and stops at a hole', async () => {
    const machine = await bootProgram(SV39_ROOT_AT_0x80100000);
    writeTables(machine);
    machine.writePhys(0x8040_0ff0, new Uint8Array(16).fill(0xaa));
    machine.writePhys(0x8030_1000, new Uint8Array(16).fill(0xbb));
    const bytes = machine.readVirt(VA_PAIR, 32, SATP);
    expect([...bytes]).toEqual([...new Array(16).fill(0xaa), ...new Array(16).fill(0xbb)]);
    expect(codeOf(() => machine.readVirt(VA_PAIR, 0x1020, SATP))).toBe('PAGE_FAULT'); // the third page is unmapped
    writeU64(machine, L1 + BigInt(vpn(VA_2M, 1)) * 8n, pte(0x4000_0000n, PTE_V | PTE_R)); // a leaf outside RAM
    expect(codeOf(() => machine.readVirt(VA_2M, 4, SATP))).toBe('PHYS_RANGE');
  });
});
