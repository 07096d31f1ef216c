// Hooks are not machine state (docs/design.md section 2, Hooks): booting Linux
// with every hook on reaches the same state hashes at the same ticks as with
// hooks off, while the events show the guest's syscalls and address spaces.
import { describe, expect, it } from 'vitest';
import { defaultImage, freshMachine } from './helpers';
import { StopReason, type HookEvent, type Machine } from '../../src/engine/machine';
import { HOOK_SATP, HOOK_SYSCALL, HOOK_SYSRET } from '../../src/shared/machine-constants';

const CHECKPOINTS = [10_000_000n, 30_000_000n, 50_000_000n];

async function booted(): Promise<Machine> {
  const { config } = await defaultImage();
  const machine = await freshMachine();
  machine.boot(config);
  return machine;
}

describe('hooks on a Linux boot', () => {
  it('leave every state hash as it is, and record the syscalls, their returns and the satp writes', async () => {
    const plain = await booted();
    const hooked = await booted();
    hooked.setHooks(HOOK_SYSCALL | HOOK_SYSRET | HOOK_SATP);
    const events: HookEvent[] = [];
    let hookStops = 0;
    for (const tick of CHECKPOINTS) {
      while (plain.tick < tick) {
        plain.run(tick);
        plain.drainConsole();
      }
      while (hooked.tick < tick) {
        if (hooked.run(tick) === StopReason.hooks) hookStops++;
        hooked.drainConsole();
        events.push(...hooked.drainHooks());
      }
      expect(hooked.stateHash(), `tick ${tick}`).toBe(plain.stateHash());
    }
    const count = (kind: HookEvent['kind']) => events.filter((e) => e.kind === kind).length;
    expect(count('syscall')).toBeGreaterThan(500); // init and the shell start up
    expect(count('sysret')).toBeGreaterThan(500);
    expect(count('satp')).toBeGreaterThan(10); // the kernel's page tables, then every process switch
    expect(hookStops).toBeGreaterThan(0);
    const ticks = events.map((e) => e.tick);
    expect(ticks.every((t, i) => i === 0 || t >= ticks[i - 1]!)).toBe(true);
    // execve (221) of /init's children, with its path pointer in a0 and the task in sscratch
    const execve = events.find((e) => e.kind === 'syscall' && e.nr === 221n);
    expect(execve).toBeDefined();
    if (execve?.kind === 'syscall') expect(execve.sscratch).toBeGreaterThan(0xffff_ffc0_0000_0000n);
  });
});
