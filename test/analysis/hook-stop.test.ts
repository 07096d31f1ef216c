// HOOK_STOP (wasm/assembly/hooks.ts): with it, a Linux boot's runs end right
// after each syscall entry and each sret to U-mode, with the machine still
// there (so the host reads memory as the call saw it), and the state hashes
// are those of a boot with no hooks at all.
import { describe, expect, it } from 'vitest';
import { StopReason, type HookEvent } from '../../src/engine/machine';
import { CSR_NUMBERS } from '../../src/shared/riscv';
import { HOOK_SATP, HOOK_STOP, HOOK_SYSCALL, HOOK_SYSRET } from '../../src/shared/machine-constants';
import { defaultImage, freshMachine } from '../linux/helpers';

const CHECKPOINTS = [30_000_000n, 45_000_000n];

describe('HOOK_STOP', () => {
  it('stops the run at every syscall entry and return, and changes no state', async () => {
    const { config } = await defaultImage();
    const plain = await freshMachine();
    const hooked = await freshMachine();
    plain.boot(config);
    hooked.boot(config);
    hooked.setHooks(HOOK_SYSCALL | HOOK_SYSRET | HOOK_SATP | HOOK_STOP);
    let entries = 0;
    let returns = 0;
    for (const tick of CHECKPOINTS) {
      while (plain.tick < tick) {
        plain.run(tick);
        plain.drainConsole();
      }
      while (hooked.tick < tick) {
        const reason = hooked.run(tick);
        hooked.drainConsole();
        const events: HookEvent[] = hooked.drainHooks();
        const calls = events.filter((e) => e.kind !== 'satp');
        // At most one syscall event per run, the run's last, and the machine is at its tick.
        expect(calls.length).toBeLessThanOrEqual(1);
        const last = events[events.length - 1];
        if (calls.length === 0) continue;
        expect(last).toBe(calls[0]);
        expect(hooked.tick).toBe(last.tick);
        if (reason !== StopReason.budget) expect([StopReason.hooks, StopReason.output]).toContain(reason);
        if (last.kind === 'syscall') {
          entries++;
          // At the trap: sepc is the ecall and the user's registers are untouched.
          expect(hooked.csr(CSR_NUMBERS.sepc)).toBe(last.pc);
          expect(hooked.registers().x[17]).toBe(last.nr);
        } else if (last.kind === 'sysret') {
          returns++;
          expect(hooked.registers().priv).toBe(0);
          expect(hooked.registers().x[10]).toBe(last.a0);
        }
      }
      expect(hooked.stateHash(), `tick ${tick}`).toBe(plain.stateHash());
    }
    expect(entries).toBeGreaterThan(500);
    expect(returns).toBeGreaterThan(entries);
  });
});
