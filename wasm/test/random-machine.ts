// The random machine of the robustness tests (robust.test.ts, test/jit): a
// bootstrap that loads random registers and enters random instruction words.
import { Machine, Prng } from './machine-harness';

export const RAM = 2 << 20;
const CODE_BYTES = 64 * 1024; // random words at RAM_BASE + 0x1000
export const PRIV = { U: 0, S: 1, M: 3 } as const;

// ---- a few encoders for the bootstrap
const T0 = 5, T1 = 6;
const auipc = (rd: number, imm20: number): number => ((imm20 << 12) | (rd << 7) | 0x17) >>> 0;
const addi = (rd: number, rs1: number, imm: number): number => (((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13) >>> 0;
const lui = (rd: number, imm20: number): number => ((imm20 << 12) | (rd << 7) | 0x37) >>> 0;
const ld = (rd: number, rs1: number, off: number): number => (((off & 0xfff) << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x03) >>> 0;
const csrrw = (csr: number, rs1: number): number => ((csr << 20) | (rs1 << 15) | (1 << 12) | 0x73) >>> 0;
const csrrs = (csr: number, rs1: number): number => ((csr << 20) | (rs1 << 15) | (2 << 12) | 0x73) >>> 0;
const MRET = 0x30200073;
const CSR = { mstatus: 0x300, medeleg: 0x302, mtvec: 0x305, mepc: 0x341, stvec: 0x105 };

/** Addresses a random register may point at: RAM, every device, and holes between them. */
const TARGETS = [0x8000_0000n, 0x8000_1000n, 0x8001_8000n, 0x0010_0000n, 0x0200_0000n, 0x0200_bff8n, 0x0c00_0000n,
  0x0c20_0000n, 0x1000_0000n, 0x1000_1000n, 0x1000_8000n, 0n, 0x1000n, 0x0300_0000n, 0x7fff_f000n, 0xffff_ffff_ffff_f000n];

/**
 * A machine whose RAM holds: a bootstrap at RAM_BASE that loads x1..x31 from a
 * table, points mtvec/stvec into the random code, delegates some exceptions and
 * MRETs to `priv` at the random code; the table at +0x800; random words at +0x1000.
 */
export function randomMachine(seed: bigint, priv: number, make: () => Machine = () => new Machine(RAM)): Machine {
  const rng = new Prng(seed);
  const m = make();
  const ram = m.ram();
  const view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  const boot: number[] = [auipc(T0, 0), addi(T1, T0, 0x7ff), addi(T1, T1, 0x401), csrrw(CSR.mepc, T1)]; // mepc = code
  boot.push(addi(T1, T1, 0x7f0), addi(T1, T1, 0x7f0), csrrw(CSR.mtvec, T1)); // mtvec inside the code
  boot.push(addi(T1, T1, 0x7fc), csrrw(CSR.stvec, T1));
  boot.push(addi(T1, 0, rng.below(0x800)), csrrw(CSR.medeleg, T1));
  boot.push(lui(T1, 0x2), csrrs(CSR.mstatus, T1)); // FS = initial: FP instructions run too
  if (priv === PRIV.S) boot.push(lui(T1, 0x1), addi(T1, T1, -0x800), csrrs(CSR.mstatus, T1)); // MPP = S
  if (priv === PRIV.M) boot.push(lui(T1, 0x2), addi(T1, T1, -0x800), csrrs(CSR.mstatus, T1)); // MPP = M
  boot.push(addi(T0, T0, 0x400), addi(T0, T0, 0x400)); // t0 = the register table
  for (let r = 31; r >= 1; r--) if (r !== T0) boot.push(ld(r, T0, r * 8));
  boot.push(ld(T0, T0, T0 * 8), MRET);
  boot.forEach((w, i) => view.setUint32(i * 4, w, true));
  for (let r = 1; r < 32; r++) {
    const v = rng.below(2) === 0 ? TARGETS[rng.below(TARGETS.length)] + BigInt(rng.below(256) * 8) : rng.next64();
    view.setBigUint64(0x800 + r * 8, v, true);
  }
  for (let off = 0x1000; off < 0x1000 + CODE_BYTES; off += 4) view.setUint32(off, rng.next32(), true);
  return m;
}

