// GuestConsole against a scripted machine: a console flood costs time in
// proportion to its size (it was quadratic: every run chunk searched all the
// output since the wait began), and what is typed goes out as UTF-8.
import { describe, expect, it } from 'vitest';
import { GuestConsole, type ConsoleMachine } from './guest-console';
import { StopReason } from './machine';

const CHUNK_BYTES = 48 * 1024; // what the UART holds when it stops the run for draining

/** A machine that prints `bytes` of 'x' in UART-sized chunks, one per run, then the prompt; it records what was typed. */
function floodingMachine(bytes: number, prompt: string): ConsoleMachine & { typed: number[] } {
  const chunk = new Uint8Array(CHUNK_BYTES).fill(0x78);
  let left = bytes;
  let pending = new Uint8Array(0);
  let tick = 0n;
  const typed: number[] = [];
  return {
    typed,
    get tick() {
      return tick;
    },
    run(untilTick: bigint) {
      tick = untilTick < tick + 1000n ? untilTick : tick + 1000n;
      if (left > 0) {
        pending = left >= CHUNK_BYTES ? chunk : chunk.subarray(0, left);
        left -= pending.length;
      } else {
        pending = Uint8Array.from(prompt, (c) => c.charCodeAt(0));
      }
      return StopReason.output;
    },
    drainConsole() {
      const out = pending;
      pending = new Uint8Array(0);
      return out;
    },
    typeInput(input: Uint8Array) {
      typed.push(...input);
      return input.length;
    },
  };
}

/** Milliseconds GuestConsole takes to wait for the prompt behind `bytes` of output (best of 3). */
function floodMs(bytes: number): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const guest = new GuestConsole(floodingMachine(bytes, '# '));
    const started = performance.now();
    guest.waitFor('# ', 1n << 60n, 0);
    best = Math.min(best, performance.now() - started);
    expect(guest.transcript.length).toBe(bytes + 2);
  }
  return best;
}

describe('GuestConsole', () => {
  it('waits through a console flood in time proportional to its size', () => {
    const small = floodMs(8 << 20);
    const large = floodMs(32 << 20);
    console.log(`GuestConsole.waitFor behind 8 MiB of output: ${small.toFixed(0)} ms; behind 32 MiB: ${large.toFixed(0)} ms (${(large / small).toFixed(1)}x for 4x the bytes)`);
    // Linear is 4x (up to ~6x here: the larger buffer, GC); searching all output so far on every chunk made it 16-24x.
    expect(large / small).toBeLessThan(10);
  });

  it('types text as UTF-8', () => {
    const machine = floodingMachine(0, '# ');
    new GuestConsole(machine).type('echo ✓ é\n');
    expect(Buffer.from(machine.typed).toString('utf8')).toBe('echo ✓ é\n');
  });
});
