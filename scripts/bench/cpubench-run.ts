// One cpubench measurement, runtime-neutral, so Node and a Chromium Web Worker
// (scripts/bench/browser-machine.worker.ts) take the same steps as
// scripts/bench/machine.ts: boot the default image to its prompt, type the
// CPU-bound demo program, time it until the prompt is back. Every run() call
// is sampled (wall ms, instructions), so the MIPS of each part of the run show
// when V8 swapped optimised code in (docs/design.md 7, tiering).
import { GuestConsole, type ConsoleMachine } from '../../src/engine/guest-console';
import type { JitStats } from '../../src/engine/jit/jit';
import type { BootConfig, Machine } from '../../src/engine/machine';

export const CPU_PROGRAM = '/demo/cpubench';
const BUDGET = 20_000_000_000n;

/** Instructions executed by `ms` after the machine started. */
export interface RunSample { ms: number; instructions: number }

export interface CpubenchRun {
  bootMs: number;
  bootTicks: number;
  programMs: number;
  programTicks: number;
  /** The program's checksum line, to compare with QEMU's and across hosts. */
  checksum: string | undefined;
  /** After every run() call from machine creation on. */
  samples: RunSample[];
  /** What the JIT did (all zero with it off). */
  jit: JitStats;
}

export function runCpubench(machine: Machine, config: BootConfig, prompt: string, now: () => number): CpubenchRun {
  const started = now();
  const samples: RunSample[] = [];
  const sampled: ConsoleMachine = {
    get tick() { return machine.tick; },
    run(until) {
      const reason = machine.run(until);
      samples.push({ ms: now() - started, instructions: Number(machine.instructions) });
      return reason;
    },
    drainConsole: () => machine.drainConsole(),
    typeInput: (bytes) => machine.typeInput(bytes),
  };
  machine.boot(config);
  const guest = new GuestConsole(sampled);
  guest.waitFor(prompt, BUDGET);
  const bootMs = now() - started;
  const bootTicks = Number(machine.tick);
  const from = guest.transcript.length;
  guest.type(`${CPU_PROGRAM}\n`);
  guest.waitFor(`${CPU_PROGRAM}\r\n`, BUDGET, from); // the echo: the shell has the line
  const t0 = now();
  const tick0 = machine.tick;
  const { text } = guest.waitFor(prompt, BUDGET, from + CPU_PROGRAM.length + 2);
  return {
    bootMs,
    bootTicks,
    programMs: now() - t0,
    programTicks: Number(machine.tick - tick0),
    checksum: /checksum=([0-9a-f]+)/.exec(text)?.[1],
    samples,
    jit: machine.jitStats(),
  };
}

/** Guest MIPS between `fromMs` and `toMs` of a run's samples: from the last sample at or before `fromMs` (the start) to the first at or after `toMs` (or the last). */
export function mipsBetween(samples: readonly RunSample[], fromMs: number, toMs: number): number {
  const a = samples.findLast((s) => s.ms <= fromMs) ?? { ms: 0, instructions: 0 };
  const b = samples.find((s) => s.ms >= toMs) ?? samples.at(-1)!;
  return b.ms > a.ms ? (b.instructions - a.instructions) / (b.ms - a.ms) / 1000 : Number.NaN;
}
