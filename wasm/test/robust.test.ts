// Robustness: random instruction words executed in M, S and U mode (with
// trap vectors pointing into the random code, random registers aimed at RAM,
// MMIO and holes) never trap the host, never overrun their tick budget and
// stay within a generous wall time; endless loops and WFI come back with
// STOP_BUDGET / STOP_IDLE; and everything is deterministic: two machines
// agree on stateHash(), and a state saved mid-run continues identically.
import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE, STOP } from './machine-harness';
import { randomMachine } from './random-machine';

const RAM = 2 << 20;
const PRIV = { U: 0, S: 1, M: 3 } as const;

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
