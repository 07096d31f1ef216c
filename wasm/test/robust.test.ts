// Robustness: random instruction words executed in M, S and U mode (with
// trap vectors pointing into the random code, random registers aimed at RAM,
// MMIO and holes) never trap the host, never overrun their tick budget and
// stay within a generous wall time; endless loops and WFI come back with
// STOP_BUDGET / STOP_IDLE; and everything is deterministic: two machines
// agree on stateHash(), and a state saved mid-run continues identically.
import { describe, it, expect } from 'vitest';
import { Machine, Prng, RAM_BASE, STOP } from './machine-harness';

const RAM = 2 << 20;
const CODE_BYTES = 64 * 1024; // random words at RAM_BASE + 0x1000
const PRIV = { U: 0, S: 1, M: 3 } as const;

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
function randomMachine(seed: bigint, priv: number): Machine {
  const rng = new Prng(seed);
  const m = new Machine(RAM);
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

/** Runs in slices of `slice` ticks up to `total`, checking every stop. Returns the reasons seen. */
function runChecked(m: Machine, total: bigint, slice: bigint): Set<number> {
  const reasons = new Set<number>();
  const allowed = new Set<number>([STOP.budget, STOP.idle, STOP.output, STOP.poweroff, STOP.reboot]);
  while (m.tick() < total) {
    const until = m.tick() + slice < total ? m.tick() + slice : total;
    const reason = m.run(until);
    reasons.add(reason);
    expect(allowed.has(reason)).toBe(true);
    expect(m.tick() <= until).toBe(true);
    if (reason === STOP.budget || reason === STOP.idle) expect(m.tick()).toBe(until);
    if (reason === STOP.poweroff || reason === STOP.reboot) break;
  }
  return reasons;
}

describe('random instruction words', () => {
  for (const [name, priv] of Object.entries(PRIV)) {
    it(`execute in ${name}-mode for millions of ticks without hurting the host`, () => {
      const started = Date.now();
      let ticks = 0n;
      for (let seed = 1; seed <= 8; seed++) {
        const m = randomMachine(BigInt(seed * 7919 + priv), priv);
        runChecked(m, 1_000_000n, 100_000n);
        ticks += m.tick();
      }
      expect(ticks).toBeGreaterThanOrEqual(8_000_000n);
      expect(Date.now() - started).toBeLessThan(30_000);
    });
  }
});

describe('loops and idle', () => {
  it('an endless loop with interrupts off stops exactly at the budget', () => {
    const m = new Machine(RAM);
    new DataView(m.ram().buffer, m.ram().byteOffset).setUint32(0, 0x0000006f, true); // j .
    expect(m.run(1_000_000n)).toBe(STOP.budget);
    expect(m.tick()).toBe(1_000_000n);
    expect(m.pc()).toBe(RAM_BASE);
    expect(m.run(1_000_123n)).toBe(STOP.budget);
    expect(m.tick()).toBe(1_000_123n);
  });

  it('WFI with nothing enabled reports idle at the budget, and again on the next run', () => {
    const m = new Machine(RAM);
    const view = new DataView(m.ram().buffer, m.ram().byteOffset);
    view.setUint32(0, 0x10500073, true); // wfi
    view.setUint32(4, 0xffdff06f, true); // j .-4
    expect(m.run(500_000n)).toBe(STOP.idle);
    expect(m.tick()).toBe(500_000n);
    expect(m.run(900_000n)).toBe(STOP.idle);
    expect(m.tick()).toBe(900_000n);
  });

  it('a random program reaching the budget returns at once when asked for no more ticks', () => {
    const m = randomMachine(99n, PRIV.M);
    m.run(10_000n);
    const t = m.tick();
    expect(m.run(t)).toBe(STOP.budget);
    expect(m.tick()).toBe(t);
  });
});

describe('determinism', () => {
  it('two fresh machines running the same random program reach the same state hash', () => {
    for (const priv of [PRIV.U, PRIV.S, PRIV.M]) {
      const a = randomMachine(4242n + BigInt(priv), priv);
      const b = randomMachine(4242n + BigInt(priv), priv);
      runChecked(a, 300_000n, 300_000n);
      runChecked(b, 300_000n, 7_919n); // a different split into runs must not matter
      expect(a.tick()).toBe(b.tick());
      expect(a.hash()).toBe(b.hash());
    }
  });

  it('a state saved mid-run and loaded into a fresh machine continues identically', () => {
    for (const priv of [PRIV.U, PRIV.S, PRIV.M]) {
      const a = randomMachine(777n + BigInt(priv), priv);
      runChecked(a, 150_000n, 150_000n);
      const state = a.save();
      const ram = a.ram().slice();
      const b = new Machine(RAM);
      b.load(state, ram);
      expect(b.hash()).toBe(a.hash());
      runChecked(a, 400_000n, 400_000n);
      runChecked(b, 400_000n, 400_000n);
      expect(b.tick()).toBe(a.tick());
      expect(b.hash()).toBe(a.hash());
    }
  });
});
