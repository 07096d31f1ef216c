// The JIT (docs/design.md 2): with it on, every program reaches the same
// state as the interpreter alone, at every tick a run stops at: the ISA
// programs, the generated random program, random instruction words with wild
// jumps, random budgets inside hot loops, and code that rewrites itself or is
// rewritten by the host (the path virtio DMA takes too: markDirtyRange).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine, Prng, RAM_BASE, STOP, isaElfPath } from '../../wasm/test/machine-harness';
import { randomMachine, RAM, PRIV } from '../../wasm/test/random-machine';
import { Jit, type JitMachineExports, type JitOptions } from '../../src/engine/jit/jit';

/** A harness machine with the JIT on (threshold 1: every jump target is translated at its first visit) or off. */
function machine(jit: boolean, ramBytes = 8 << 20, options: JitOptions = { threshold: 1 }): { m: Machine; jit: Jit } {
  const j = new Jit();
  const m = new Machine(ramBytes, { jitCompile: j.compileImport });
  j.attach(m.exports as unknown as JitMachineExports, jit, options);
  return { m, jit: j };
}

const ISA = ['rv64i', 'rv64m', 'rv64a', 'rvc', 'zicsr', 'interrupts', 'fp', 'diff-priv', 'diff-random'];

/** Runs to `total` in slices of `slice`, returning (tick, stop reason, hash) at every stop. */
function trace(m: Machine, total: bigint, slices: () => bigint): string[] {
  const out: string[] = [];
  while (m.tick() < total) {
    const until = m.tick() + slices();
    const reason = m.run(until < total ? until : total);
    out.push(`${m.tick()} ${reason} ${m.hash().toString(16)}`);
    if (reason === STOP.poweroff || reason === STOP.reboot) break;
  }
  return out;
}

describe('JIT differential: the ISA programs', () => {
  for (const name of ISA) {
    it(`${name}: same stops, ticks and state hashes with the JIT on and off`, () => {
      const runs = [false, true].map((on) => {
        const { m, jit } = machine(on);
        m.loadElf(readFileSync(isaElfPath(name)));
        const stops = trace(m, 5_000_000n, () => 997n);
        return { stops, code: m.exports.powerOffCode(), output: m.consoleText(), stats: jit.stats() };
      });
      expect(runs[1]!.stops).toEqual(runs[0]!.stops);
      expect(runs[1]!.output).toBe(runs[0]!.output);
      expect(runs[0]!.code).toBe(0);
      if (name !== 'rv64i' && name !== 'rv64m') expect(runs[1]!.stats.executed).toBeGreaterThan(0);
    });
  }
});

describe('JIT budgets', () => {
  it('random budgets inside hot loops stop exactly where the interpreter does', () => {
    for (const name of ['zicsr', 'interrupts', 'diff-priv']) {
      const rng = new Prng(BigInt(name.length) * 1234567n);
      const sizes = Array.from({ length: 400 }, () => BigInt(1 + rng.below(rng.below(2) === 0 ? 40 : 3000)));
      const runs = [false, true].map((on) => {
        const { m } = machine(on);
        m.loadElf(readFileSync(isaElfPath(name)));
        let i = 0;
        const stops: string[] = [];
        while (i < sizes.length) {
          const until = m.tick() + sizes[i++]!;
          const reason = m.run(until);
          if (reason === STOP.budget || reason === STOP.idle) expect(m.tick()).toBe(until);
          stops.push(`${m.tick()} ${reason} ${m.pc().toString(16)} ${m.hash().toString(16)}`);
          if (reason === STOP.poweroff) break;
        }
        return stops;
      });
      expect(runs[1]).toEqual(runs[0]);
    }
  });

  it('an endless loop stops exactly at every budget', () => {
    const { m, jit } = machine(true, RAM);
    const view = new DataView(m.ram().buffer, m.ram().byteOffset);
    // loop: addi a0, a0, 1; addi a1, a1, 3; j loop
    view.setUint32(0, 0x00150513, true);
    view.setUint32(4, 0x00358593, true);
    view.setUint32(8, 0xff9ff06f, true);
    let until = 0n;
    const rng = new Prng(5n);
    for (let i = 0; i < 300; i++) {
      until += BigInt(1 + rng.below(i < 150 ? 10 : 100_000));
      expect(m.run(until)).toBe(STOP.budget);
      expect(m.tick()).toBe(until);
    }
    // Every three ticks one iteration: a0 counts the addi a0 executed.
    const iterations = until / 3n;
    const rest = until % 3n;
    expect(m.x(10)).toBe(iterations + (rest >= 1n ? 1n : 0n));
    expect(m.x(11)).toBe(3n * (iterations + (rest >= 2n ? 1n : 0n)));
    expect(jit.stats().executed).toBeGreaterThan(Number(until) / 2);
  });
});

describe('JIT robustness', () => {
  it('random instruction words and wild jumps: same states as the interpreter, the host unharmed', () => {
    const started = Date.now();
    let executed = 0;
    for (const priv of [PRIV.U, PRIV.S, PRIV.M]) {
      for (let seed = 1; seed <= 4; seed++) {
        const runs = [false, true].map((on) => {
          let jit: Jit | undefined;
          const m = randomMachine(BigInt(seed * 7919 + priv), priv, () => {
            const made = machine(on, RAM);
            jit = made.jit;
            return made.m;
          });
          const stops = trace(m, 300_000n, () => 30_011n);
          executed += jit!.stats().executed;
          return stops;
        });
        expect(runs[1]).toEqual(runs[0]);
      }
    }
    expect(executed).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

// ---- self-modifying code (M-mode programs at RAM_BASE)
const addi = (rd: number, rs1: number, imm: number): number => (((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13) >>> 0;
const sw = (rs2: number, rs1: number, off: number): number => ((((off >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | ((off & 0x1f) << 7) | 0x23) >>> 0;
const lw = (rd: number, rs1: number, off: number): number => (((off & 0xfff) << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x03) >>> 0;
const bne = (rs1: number, rs2: number, off: number): number => {
  const u = off >>> 0;
  return ((((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (1 << 12) | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63) >>> 0;
};
const auipc = (rd: number, imm20: number): number => ((imm20 << 12) | (rd << 7) | 0x17) >>> 0;
const jal0 = (off: number): number => {
  const u = off >>> 0;
  return ((((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) | (((u >> 12) & 0xff) << 12) | 0x6f) >>> 0;
};
const A0 = 10, A1 = 11, A2 = 12, A3 = 13, T0 = 5, T1 = 6;

function program(words: number[]): (m: Machine) => void {
  return (m) => {
    const view = new DataView(m.ram().buffer, m.ram().byteOffset);
    words.forEach((w, i) => view.setUint32(i * 4, w, true));
  };
}

describe('JIT and self-modifying code', () => {
  it('a loop that rewrites its own body runs the new instruction at once', () => {
    // 0: auipc t0, 0           t0 = RAM_BASE
    // 4: lw t1, 40(t0)         t1 = the replacement word (addi a0, a0, 100)
    // 8: addi a2, x0, 50       a2 = iterations before the rewrite
    // 12: loop: addi a0, a0, 1 (rewritten)
    // 16: addi a1, a1, 1
    // 20: bne a1, a2, loop
    // 24: sw t1, 12(t0)        rewrite the loop body
    // 28: addi a2, a2, 50
    // 32: bne a3, x0, 0 ... (never) ; j loop
    const words = [auipc(T0, 0), lw(T1, T0, 40), addi(A2, 0, 50), addi(A0, A0, 1), addi(A1, A1, 1), bne(A1, A2, -8),
      sw(T1, T0, 12), addi(A2, A2, 50), jal0(-20), 0, addi(A0, A0, 100)];
    const runs = [false, true].map((on) => {
      const { m, jit } = machine(on, RAM);
      program(words)(m);
      const stops = trace(m, 1000n, () => 37n);
      return { stops, a0: m.x(A0), a1: m.x(A1), stats: jit.stats() };
    });
    expect(runs[1]!.stops).toEqual(runs[0]!.stops);
    // 50 iterations of +1, then +100 in every later one.
    expect([0n, 100n]).toContain(runs[0]!.a0 - (50n + 100n * (runs[0]!.a1 - 50n))); // mid-iteration at the end: one more
    expect(runs[0]!.a1).toBeGreaterThan(100n);
    expect(runs[1]!.stats.executed).toBeGreaterThan(0);
  });

  it('a store into the block being executed stops it right after the store', () => {
    // loop: sw t1, 8(t0) rewrites the next instruction (addi a0, a0, 1 -> addi a0, a0, 7) in the same block
    // 0: auipc t0, 0; 4: lw t1, 28(t0); 8: loop: sw t1, 12(t0); 12: addi a0, a0, 1; 16: addi a1, a1, 1; 20: j loop(-12); 24: 0; 28: addi a0,a0,7
    const words = [auipc(T0, 0), lw(T1, T0, 28), sw(T1, T0, 12), addi(A0, A0, 1), addi(A1, A1, 1), jal0(-12), 0, addi(A0, A0, 7)];
    const runs = [false, true].map((on) => {
      const { m } = machine(on, RAM);
      program(words)(m);
      const stops = trace(m, 2000n, () => 101n);
      return { stops, a0: m.x(A0), a1: m.x(A1) };
    });
    expect(runs[1]!.stops).toEqual(runs[0]!.stops);
    expect([0n, 7n]).toContain(runs[0]!.a0 - 7n * runs[0]!.a1);
  });

  it('code rewritten by the host between runs (markDirtyPhys, as virtio DMA marks its writes) runs anew', () => {
    // loop: addi a0, a0, 1; j loop
    const runs = [false, true].map((on) => {
      const { m } = machine(on, RAM);
      program([addi(A0, A0, 1), jal0(-4)])(m);
      m.run(1000n);
      const view = new DataView(m.ram().buffer, m.ram().byteOffset);
      view.setUint32(0, addi(A0, A0, 5), true);
      m.exports.markDirtyPhys(RAM_BASE, 4n);
      m.run(2000n);
      return { a0: m.x(A0), hash: m.hash() };
    });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.a0).toBe(500n + 5n * 500n);
  });

  it('a state loaded into a machine with translated code runs the loaded RAM', () => {
    const a = machine(true, RAM).m;
    program([addi(A0, A0, 1), jal0(-4)])(a);
    a.run(10_000n);
    const b = machine(false, RAM).m;
    program([addi(A0, A0, 3), addi(A3, A3, 1), jal0(-8)])(b);
    b.run(5_000n);
    const state = b.save();
    const ram = b.ram().slice();
    a.load(state, ram);
    a.run(9_000n);
    b.run(9_000n);
    expect(a.hash()).toBe(b.hash());
  });

  it('after a state load, cached translations of the pages RAM holds again run at once, not after counting to the threshold', () => {
    const loop = [addi(A0, A0, 1), addi(A1, A1, 2), jal0(-8)]; // 3 instructions: 1000 iterations reach the threshold
    const interp = machine(false, RAM).m;
    program(loop)(interp);
    interp.run(1_000n);
    const state = interp.save();
    const ram = interp.ram().slice();
    const { m, jit } = machine(true, RAM, { threshold: 1000 });
    program(loop)(m);
    m.run(20_000n); // translated, so in this thread's cache
    const compiled = jit.stats();
    expect(compiled.translations).toBeGreaterThan(0);
    m.load(state, ram);
    jit.restored();
    m.run(2_500n); // 500 iterations: fewer than the threshold
    interp.run(2_500n);
    expect(m.hash()).toBe(interp.hash());
    const after = jit.stats();
    expect(after.warmed).toBeGreaterThan(compiled.warmed);
    expect(after.cacheHits).toBeGreaterThan(compiled.cacheHits);
    expect(after.instructions).toBe(compiled.instructions); // nothing translated anew
    expect(after.executed - compiled.executed).toBeGreaterThan(1_000);
    // A state whose code page differs from every cached one: nothing comes back early.
    const other = machine(false, RAM).m;
    program([addi(A0, A0, 3), addi(A1, A1, 2), jal0(-8)])(other);
    other.run(1_000n);
    m.load(other.save(), other.ram().slice());
    const before = jit.stats();
    jit.restored();
    m.run(2_500n);
    other.run(2_500n);
    expect(m.hash()).toBe(other.hash());
    expect(jit.stats().warmed).toBe(before.warmed);
    expect(jit.stats().executed).toBe(before.executed);
  });
});

describe('JIT and a second mapping of a code page', () => {
  // Sv39 in S-mode: VA 0x4000_0000 (2 MiB, R W X) and VA 0x4020_0000 (2 MiB, R W) both map PA 0x8000_0000.
  // The S-mode loop at VA 0x4000_1000 rewrites its own body through the writable alias.
  const lui = (rd: number, imm20: number): number => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37) >>> 0;
  const add = (rd: number, rs1: number, rs2: number): number => ((rs2 << 20) | (rs1 << 15) | (rd << 7) | 0x33) >>> 0;
  const slli = (rd: number, rs1: number, sh: number): number => ((sh << 20) | (rs1 << 15) | (1 << 12) | (rd << 7) | 0x13) >>> 0;
  const csrw = (csr: number, rs1: number): number => ((csr << 20) | (rs1 << 15) | (1 << 12) | 0x73) >>> 0;
  const csrs = (csr: number, rs1: number): number => ((csr << 20) | (rs1 << 15) | (2 << 12) | 0x73) >>> 0;
  const T2 = 7;
  function aliased(on: boolean): { m: Machine; stats: () => number } {
    const { m, jit } = machine(on, RAM);
    const view = new DataView(m.ram().buffer, m.ram().byteOffset);
    // M-mode bootstrap at PA 0x8000_0000: satp = Sv39 | root PPN 0x80004, MPP = S, mepc = 0x4000_1000, mret.
    const boot: number[] = [];
    // t0 = 8 << 60 | 0x80004 (lui 0x80 + 4)
    boot.push(addi(T0, 0, 8), slli(T0, T0, 60), lui(T1, 0x80), addi(T1, T1, 4), (((T1 << 20) | (T0 << 15) | (6 << 12) | (T0 << 7) | 0x33) >>> 0) /* or t0, t0, t1 */);
    boot.push(csrw(0x180, T0)); // satp
    boot.push(lui(T1, 1), addi(T1, T1, -0x800), csrs(0x300, T1)); // mstatus.MPP = S (0x800)
    boot.push(lui(T0, 0x40001), csrw(0x341, T0), 0x30200073); // mepc = 0x4000_1000; mret
    boot.forEach((w, i) => view.setUint32(i * 4, w, true));
    // Page tables: root at 0x8000_4000, level 1 at 0x8000_5000.
    view.setBigUint64(0x4000 + 8, (0x80005n << 10n) | 1n, true);
    view.setBigUint64(0x5000 + 0, (0x80000n << 10n) | 0xcfn, true); // V R W X A D
    view.setBigUint64(0x5000 + 8, (0x80000n << 10n) | 0xc7n, true); // V R W A D
    // S-mode code at PA 0x8000_1000.
    const code = [auipc(T0, 0), lui(T1, 0x200), add(T0, T0, T1), lw(T2, T0, 64), addi(A2, 0, 50),
      addi(A0, A0, 1), addi(A1, A1, 1), bne(A1, A2, -8), sw(T2, T0, 20), addi(A2, A2, 50), jal0(-20)];
    code.forEach((w, i) => view.setUint32(0x1000 + i * 4, w, true));
    view.setUint32(0x1000 + 64, addi(A0, A0, 100), true);
    return { m, stats: () => jit.stats().executed };
  }

  it('code written through a writable alias of its page runs anew, as in the interpreter', () => {
    const runs = [false, true].map((on) => {
      const { m, stats } = aliased(on);
      const stops = trace(m, 3000n, () => 89n);
      return { stops, a0: m.x(A0), a1: m.x(A1), priv: m.exports.getPriv(), executed: stats() };
    });
    expect(runs[1]!.stops).toEqual(runs[0]!.stops);
    expect(runs[0]!.priv).toBe(1);
    expect(runs[0]!.a1).toBeGreaterThan(100n);
    expect([0n, 100n]).toContain(runs[0]!.a0 - (50n + 100n * (runs[0]!.a1 - 50n)));
    expect(runs[1]!.executed).toBeGreaterThan(0);
  });
});
