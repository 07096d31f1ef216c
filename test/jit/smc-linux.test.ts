// Code written by another process (issue 14, docs/design.md 2 The JIT): in the
// default Linux image, test/jit/programs/smc-share.S forks; the parent writes
// each version of a loop into a memfd page through its read-write mapping,
// the child runs it hot through its own read-execute mapping (another address
// space, another virtual address) after FENCE.I. The interpreter, the JIT and
// qemu-system-riscv64 booting the same image print what a model of the loop
// computes for every version, and the JIT reaches the same ticks and state
// hashes as the interpreter. (qemu-riscv64, user mode, is no reference here:
// it only sees stores of the process it runs, and its child keeps running the
// first version.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOT_BUDGET, bootedMachine, runAtPrompt } from '../linux/helpers';
import { QemuGuest } from '../../scripts/oracle/qemu';
import { assemble } from '../helpers/riscv-asm';

const dir = mkdtempSync(join(tmpdir(), 'prnr-smc-linux-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROGRAM = '/tmp/smc-share';
const VERSIONS = 4; // smc-share.S
const BODY_INSTRUCTIONS = 7;
const SMALL = 2000;
const LARGE = 100_000;

/** The commands that put the program into the guest: base64 typed at the shell in pieces, decoded. */
function installCommands(): string[] {
  const elf = assemble('smc-share.S', dir, 'smc-share', { ldArgs: ['-s'] });
  const text = readFileSync(elf).toString('base64');
  const pieces = text.match(/.{1,512}/g)!;
  return [...pieces.map((piece) => `printf %s '${piece}' >> /tmp/smc.b64`), `base64 -d /tmp/smc.b64 > ${PROGRAM} && chmod +x ${PROGRAM} && rm /tmp/smc.b64`];
}

/** What smc-share prints: per version v, the loop a = ((a ^ a << 13) ^ (a ^ a << 13) >> 7) + v run `iterations` times from 0. */
function expected(iterations: number): string {
  const mask = (1n << 64n) - 1n;
  let out = '';
  for (let v = 1n; v <= BigInt(VERSIONS); v++) {
    let a = 0n;
    for (let i = 0; i < iterations; i++) {
      a ^= (a << 13n) & mask;
      a ^= a >> 7n;
      a = (a + v) & mask;
    }
    out += `v${v} ${a.toString(16).padStart(16, '0')}\n`;
  }
  return `${out}done\n`;
}

describe('code written by another process (Linux)', () => {
  it('the child runs every version the parent wrote: the interpreter, the JIT and the model agree, at the same ticks and state hashes', async () => {
    const install = installCommands();
    const runs = await Promise.all([false, true].map(async (jit) => {
      const { machine, console: guest, prompt } = await bootedMachine({ jit });
      guest.waitFor(prompt, BOOT_BUDGET);
      const states: string[] = [];
      for (const command of install) {
        expect(runAtPrompt(guest, prompt, command)).toBe('');
        states.push(`${machine.tick} ${machine.stateHash()}`);
      }
      const outputs: string[] = [];
      const executed: number[] = [machine.jitStats().executed];
      for (const iterations of [SMALL, LARGE]) {
        outputs.push(runAtPrompt(guest, prompt, `${PROGRAM} ${iterations}`));
        states.push(`${machine.tick} ${machine.stateHash()}`);
        executed.push(machine.jitStats().executed);
      }
      return { outputs, states, executed };
    }));
    const [off, on] = runs;
    expect(off!.outputs).toEqual([expected(SMALL), expected(LARGE)]);
    expect(on!.outputs).toEqual(off!.outputs);
    expect(on!.states).toEqual(off!.states);
    // The larger run differs only in the child's loop: it ran translated (else the JIT would have
    // executed about as much in both runs).
    const extra = (on!.executed[2]! - on!.executed[1]!) - (on!.executed[1]! - on!.executed[0]!);
    expect(extra).toBeGreaterThan(0.9 * VERSIONS * (LARGE - SMALL) * BODY_INSTRUCTIONS);
    expect(off!.executed).toEqual([0, 0, 0]);
  }, 900_000);

  it('qemu-system-riscv64 booting the same image prints the same', async () => {
    const qemu = await QemuGuest.boot({ timeoutSec: 600 });
    try {
      for (const command of installCommands()) expect(await qemu.run(command)).toMatchObject({ output: '', status: 0 });
      for (const iterations of [SMALL, LARGE]) {
        expect(await qemu.run(`${PROGRAM} ${iterations}`)).toEqual({ command: `${PROGRAM} ${iterations}`, output: expected(iterations), status: 0 });
      }
    } finally {
      await qemu.kill();
    }
  }, 900_000);
});
