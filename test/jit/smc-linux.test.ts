// Self-modifying code in Linux processes (issue 14, docs/design.md 2 The JIT),
// in the default image, typed in as base64 (test/jit/programs, assembled here):
// - smc-share.S, code written by another process: it forks; the parent writes
//   each version of a loop into a memfd page through its read-write mapping,
//   the child runs it hot through its own read-execute mapping (another
//   address space and address) after FENCE.I, and so does the parent through
//   a second, read-execute mapping of its own;
// - smc-user.S, a loop rewriting its own body in an anonymous RWX page;
// - smc-race.S, a parent rewriting code its child runs, unsynchronised: the
//   timer decides which version each call runs, so only exactness makes the
//   JIT's output the interpreter's (there is no QEMU reference for it).
// The interpreter and the JIT reach the same ticks and state hashes and print
// the same; smc-share prints what a model of its loop computes, and
// qemu-system-riscv64 booting the same image prints the same for smc-share
// and smc-user.
// qemu-riscv64 (user mode) is the reference for smc-user only: it notices
// stores to code only through the address the code runs at, so in smc-share
// both the child and the parent keep running the first version there.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOT_BUDGET, bootedMachine, runAtPrompt } from '../linux/helpers';
import { QemuGuest } from '../../scripts/oracle/qemu';
import { assemble } from '../helpers/riscv-asm';

const dir = mkdtempSync(join(tmpdir(), 'prnr-smc-linux-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SHARE = { source: 'smc-share.S', versions: 4, bodyInstructions: 7, small: 2000, large: 100_000 };
// smc-user.S: per round 4 * 1024 iterations of 7 instructions (rewrite-loop.inc).
const USER = { source: 'smc-user.S', iterationsPerRound: 4 * 1024, bodyInstructions: 7, small: 2, large: 8 };
// smc-race.S: the parent spins 2 instructions SPIN times after each version; each call of the child runs 500 iterations of 7.
const RACE = { source: 'smc-race.S', versions: 12, spin: 1_000_000, callInstructions: 500 * 7 };

const elves = new Map<string, string>();
function elf(source: string): string {
  let path = elves.get(source);
  if (!path) elves.set(source, (path = assemble(source, dir, source.replace(/\.S$/, ''), { ldArgs: ['-s'] })));
  return path;
}
const guestPath = (source: string): string => `/tmp/${source.replace(/\.S$/, '')}`;

/** The commands that put the programs into the guest: base64 typed at the shell in pieces, then decoded. */
function installCommands(sources: string[]): string[] {
  return sources.flatMap((source) => {
    const pieces = readFileSync(elf(source)).toString('base64').match(/.{1,512}/g)!;
    const path = guestPath(source);
    return [...pieces.map((piece) => `printf %s '${piece}' >> ${path}.b64`), `base64 -d ${path}.b64 > ${path} && chmod +x ${path} && rm ${path}.b64`];
  });
}

/** The command lines, the small then the large run of each program. */
const RUNS = [
  `${guestPath(SHARE.source)} ${SHARE.small}`, `${guestPath(SHARE.source)} ${SHARE.large}`,
  `${guestPath(USER.source)} ${USER.small}`, `${guestPath(USER.source)} ${USER.large}`,
];

/** What smc-share prints: per version v, twice (child, parent), the loop a = (a ^ a << 13), a = (a ^ a >> 7) + v run `iterations` times from 0. */
function shareOutput(iterations: number): string {
  const mask = (1n << 64n) - 1n;
  let out = '';
  for (let v = 1n; v <= BigInt(SHARE.versions); v++) {
    let a = 0n;
    for (let i = 0; i < iterations; i++) {
      a ^= (a << 13n) & mask;
      a ^= a >> 7n;
      a = (a + v) & mask;
    }
    const hex = a.toString(16).padStart(16, '0');
    out += `v${v} ${hex} ${hex}\n`;
  }
  return `${out}done\n`;
}

/** smc-user under qemu-riscv64. */
function qemuUser(rounds: number): string {
  const r = spawnSync('qemu-riscv64', [elf(USER.source), String(rounds)], { encoding: 'latin1', timeout: 60_000 });
  if (r.error) throw new Error(`cannot run qemu-riscv64 (apt-get install qemu-user): ${r.error.message}`);
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('self-modifying code in Linux processes', () => {
  it('the interpreter and the JIT: same output at the same ticks and state hashes, the rewritten code run translated', async () => {
    const install = installCommands([SHARE.source, USER.source, RACE.source]);
    // The interpreter, the JIT translating after 1000 executions (the bounds below need code hot
    // that soon) and the JIT as configured by default (DEFAULT_THRESHOLD: exactness only).
    const runs = await Promise.all([false, { threshold: 1000 }, true].map(async (jit) => {
      const { machine, console: guest, prompt } = await bootedMachine({ jit });
      guest.waitFor(prompt, BOOT_BUDGET);
      const states: string[] = [];
      for (const command of install) {
        expect(runAtPrompt(guest, prompt, command)).toBe('');
        states.push(`${machine.tick} ${machine.stateHash()}`);
      }
      const outputs: string[] = [];
      const executed: number[] = [];
      for (const command of RUNS) {
        const before = machine.jitStats().executed;
        outputs.push(runAtPrompt(guest, prompt, command));
        executed.push(machine.jitStats().executed - before);
        states.push(`${machine.tick} ${machine.stateHash()}`);
      }
      const beforeRace = machine.jitStats().executed;
      const race = runAtPrompt(guest, prompt, guestPath(RACE.source));
      states.push(`${machine.tick} ${machine.stateHash()}`);
      return { outputs, states, executed, race, raceExecuted: machine.jitStats().executed - beforeRace };
    }));
    const [off, on, byDefault] = runs;
    expect(off!.outputs).toEqual([shareOutput(SHARE.small), shareOutput(SHARE.large), qemuUser(USER.small), qemuUser(USER.large)]);
    expect(on!.outputs).toEqual(off!.outputs);
    expect(on!.states).toEqual(off!.states);
    expect(on!.race).toBe(off!.race);
    expect(byDefault!.outputs).toEqual(off!.outputs);
    expect(byDefault!.states).toEqual(off!.states);
    expect(byDefault!.race).toBe(off!.race);
    // The race printed the child's sum, its calls and the versions it saw (bit v): several of them.
    const [, calls, seen] = off!.race.trimEnd().split('\n').map((line) => BigInt(`0x${line}`));
    expect(calls).toBeGreaterThan(0n);
    expect(seen! >> 1n).toBeLessThan(1n << BigInt(RACE.versions));
    expect(seen!.toString(2).replace(/0/g, '').length).toBeGreaterThanOrEqual(3);
    // Both the parent's spinning and the child's calls ran translated.
    expect(on!.raceExecuted).toBeGreaterThan(0.9 * (RACE.versions * RACE.spin * 2 + Number(calls) * RACE.callInstructions));
    expect(off!.executed).toEqual([0, 0, 0, 0]);
    // A large run differs from the small one only in the rewritten loop: that ran translated, or
    // the JIT would have executed about as much in both.
    const [shareSmall, shareLarge, userSmall, userLarge] = on!.executed;
    expect(shareLarge! - shareSmall!).toBeGreaterThan(0.9 * 2 * SHARE.versions * (SHARE.large - SHARE.small) * SHARE.bodyInstructions);
    expect(userLarge! - userSmall!).toBeGreaterThan(0.9 * (USER.large - USER.small) * USER.iterationsPerRound * USER.bodyInstructions);
  }, 900_000);

  it('qemu-system-riscv64 booting the same image prints the same', async () => {
    const qemu = await QemuGuest.boot({ timeoutSec: 600 });
    try {
      for (const command of installCommands([SHARE.source, USER.source])) expect(await qemu.run(command)).toMatchObject({ output: '', status: 0 });
      const outputs: string[] = [];
      for (const command of RUNS) {
        const run = await qemu.run(command);
        expect(run.status, command).toBe(0);
        outputs.push(run.output);
      }
      expect(outputs).toEqual([shareOutput(SHARE.small), shareOutput(SHARE.large), qemuUser(USER.small), qemuUser(USER.large)]);
    } finally {
      await qemu.kill();
    }
  }, 900_000);
});
