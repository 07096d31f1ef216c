// The Machine class over a real machine.wasm, on hand-assembled M-mode programs
// (words from riscv64-linux-gnu-as -march=rv64g; the mnemonics beside them).
import { describe, expect, it } from 'vitest';
import { Machine } from './machine';
import { errorCode } from '../shared/errors';
import { compileMachineModule } from './node/machine-module';
import { HOOK_SATP, HOOK_SYSCALL, HOOK_SYSRET, RAM_BASE, StopReason } from '../shared/machine-constants';

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

/**
 * M-mode writes satp twice (Sv39, then Bare), delegates ecall from U to S and
 * drops to U, which makes syscall 64 with arguments 1..6; the S handler returns
 * 42. Then U spins (or, with ECALL_LOOP, makes the syscall again forever).
 */
const SYSCALL_WORDS = [
  0x00100293, // 0x00 addi t0, zero, 1
  0x03f29293, // 0x04 slli t0, t0, 63
  0x00080337, // 0x08 lui t1, 0x80
  0x0062e2b3, // 0x0c or t0, t0, t1
  0x18029073, // 0x10 csrw satp, t0        tick 5: 0 -> Sv39
  0x18001073, // 0x14 csrw satp, zero      tick 6: -> Bare
  0x10000293, // 0x18 li t0, 0x100
  0x30229073, // 0x1c csrw medeleg, t0
  0x00000297, // 0x20 auipc t0, 0
  0x05028293, // 0x24 addi t0, t0, 80      shandler
  0x10529073, // 0x28 csrw stvec, t0
  0x00000297, // 0x2c auipc t0, 0
  0x01c28293, // 0x30 addi t0, t0, 28      user
  0x34129073, // 0x34 csrw mepc, t0
  0x000022b7, // 0x38 lui t0, 0x2
  0x8002829b, // 0x3c addiw t0, t0, -2048  0x1800
  0x3002b073, // 0x40 csrc mstatus, t0     MPP = U
  0x30200073, // 0x44 mret
  0x04000893, // 0x48 user: li a7, 64
  0x00100513, // 0x4c li a0, 1
  0x00200593, // 0x50 li a1, 2
  0x00300613, // 0x54 li a2, 3
  0x00400693, // 0x58 li a3, 4
  0x00500713, // 0x5c li a4, 5
  0x00600793, // 0x60 li a5, 6
  0x00000073, // 0x64 ecall                tick 26
  0x00050413, // 0x68 mv s0, a0
  0x0000006f, // 0x6c j .
  0x02a00513, // 0x70 shandler: li a0, 42
  0x141022f3, // 0x74 csrr t0, sepc
  0x00428293, // 0x78 addi t0, t0, 4
  0x14129073, // 0x7c csrw sepc, t0
  0x10200073, // 0x80 sret                 tick 31
];
const SYSCALL_ONCE = program(SYSCALL_WORDS);
const ECALL_LOOP = program(SYSCALL_WORDS.map((w, i) => (i === 0x68 / 4 ? 0xfe1ff06f /* j user */ : w)));
const ALL_HOOKS = HOOK_SYSCALL | HOOK_SYSRET | HOOK_SATP;
const SV39_ROOT_0x80000000 = (8n << 60n) | 0x80000n;

describe('Machine hooks', () => {
  it('records nothing unless asked', async () => {
    const machine = await bootProgram(SYSCALL_ONCE);
    machine.run(40n);
    expect(machine.registers().x[8]).toBe(42n);
    expect(machine.drainHooks()).toEqual([]);
  });

  it('records syscall entry, the sret that returns to U-mode and satp writes, at their ticks', async () => {
    const machine = await bootProgram(SYSCALL_ONCE);
    machine.setHooks(ALL_HOOKS);
    expect(machine.run(40n)).toBe(StopReason.budget);
    expect(machine.drainHooks()).toEqual([
      { kind: 'satp', tick: 5n, old: 0n, new: SV39_ROOT_0x80000000 },
      { kind: 'satp', tick: 6n, old: SV39_ROOT_0x80000000, new: 0n },
      { kind: 'syscall', tick: 26n, pc: RAM_BASE + 0x64n, nr: 64n, args: [1n, 2n, 3n, 4n, 5n, 6n], satp: 0n, sscratch: 0n },
      { kind: 'sysret', tick: 31n, a0: 42n },
    ]);
    expect(machine.drainHooks()).toEqual([]); // drained
  });

  it('records only the kinds in the mask', async () => {
    const machine = await bootProgram(SYSCALL_ONCE);
    machine.setHooks(HOOK_SYSRET);
    machine.run(40n);
    expect(machine.drainHooks()).toEqual([{ kind: 'sysret', tick: 31n, a0: 42n }]);
  });

  it('stops the run with StopReason.hooks before the buffer fills, and changes no state', async () => {
    const hooked = await bootProgram(ECALL_LOOP);
    const plain = await bootProgram(ECALL_LOOP);
    hooked.setHooks(ALL_HOOKS);
    const end = 200_000n;
    const events = [];
    let stops = 0;
    while (hooked.tick < end) {
      if (hooked.run(end) === StopReason.hooks) stops++;
      events.push(...hooked.drainHooks()); // throws HOOK_OVERFLOW if any were lost
    }
    plain.run(end);
    expect(stops).toBeGreaterThan(10);
    const syscalls = events.filter((e) => e.kind === 'syscall');
    expect(syscalls.length).toBe(events.filter((e) => e.kind === 'sysret').length);
    expect(syscalls.length).toBeGreaterThan(10_000); // one per 15 ticks: li x7, ecall, the handler
    expect(hooked.tick).toBe(end);
    expect(hooked.stateHash()).toBe(plain.stateHash());
  });
});
