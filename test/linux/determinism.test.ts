// Determinism (docs/design.md section 2): two boots of the same configuration reach
// identical state hashes at the same ticks, however the host splits the run;
// a state saved mid-boot and loaded into a fresh machine has the same future.
import { describe, expect, it } from 'vitest';
import { defaultImage, freshMachine } from './helpers';
import type { Machine } from '../../src/engine/machine';

const CHECKPOINTS = [5_000_000n, 20_000_000n, 45_000_000n];

async function booted(): Promise<Machine> {
  const { config } = await defaultImage();
  const machine = await freshMachine();
  machine.boot(config);
  return machine;
}

/** Runs to exactly `tick` in steps of `step` ticks, draining the console as a host would. */
function runTo(machine: Machine, tick: bigint, step: bigint): void {
  while (machine.tick < tick) {
    const next = machine.tick + step;
    machine.run(next < tick ? next : tick);
    machine.drainConsole();
  }
}

describe('determinism', () => {
  it('two boots reach identical state hashes at the same ticks, whatever the run step', async () => {
    const a = await booted();
    const b = await booted();
    for (const tick of CHECKPOINTS) {
      runTo(a, tick, 1_000_000n);
      runTo(b, tick, 777_777n);
      expect(a.tick).toBe(tick);
      expect(b.tick).toBe(tick);
      expect(b.stateHash()).toBe(a.stateHash());
    }
  });

  it('a state saved mid-boot and loaded into a fresh machine reaches the same hash later', async () => {
    const original = await booted();
    runTo(original, 25_000_000n, 2_000_000n);
    const state = original.saveState();
    const ram = original.ramView().slice();
    const copy = await freshMachine();
    const { config } = await defaultImage();
    copy.boot(config); // same RAM size and disk; everything else is overwritten below
    copy.ramView().set(ram);
    copy.loadState(state);
    expect(copy.stateHash()).toBe(original.stateHash());
    runTo(original, 60_000_000n, 2_000_000n);
    runTo(copy, 60_000_000n, 3_000_000n);
    expect(copy.stateHash()).toBe(original.stateHash());
  });

  it('rejects a state of another shape with a clear error', async () => {
    const machine = await booted();
    const state = machine.saveState();
    expect(() => machine.loadState(state.slice(0, state.length - 9))).toThrow(/section .* missing or malformed|header/);
    const wrong = state.slice();
    wrong[4] ^= 0xff; // version
    expect(() => machine.loadState(wrong)).toThrow(/header/);
  });
});
