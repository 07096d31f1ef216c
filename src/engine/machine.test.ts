// The Machine class over a real machine.wasm, on hand-assembled M-mode programs
// (words from riscv64-linux-gnu-as -march=rv64g; the mnemonics beside them).
import { describe, expect, it } from 'vitest';
import { Machine } from './machine';
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
