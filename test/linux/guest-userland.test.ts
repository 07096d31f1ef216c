// The default image's userland as a user at its shell meets it: plain
// `poweroff`, `reboot` and `halt` (BusyBox's, which signal PID 1) stop the
// machine as their -f forms do, on this machine and in real QEMU; a demo run
// without the argument it needs says so instead of waiting for input.
import { describe, expect, it } from 'vitest';
import { errorCode } from '../../src/shared/errors';
import { qemuInstalled, QemuGuest } from '../../scripts/oracle/qemu';
import { BOOT_BUDGET, bootedMachine } from './helpers';

/** Ticks the guest may take from typing the command to the machine stopping: 0.5 s of guest time. */
const SHUTDOWN_TICKS = 50_000_000n;

describe('the default image at its shell', () => {
  it.each([
    ['poweroff', 'reboot: Power down'],
    ['reboot', 'reboot: Restarting system'],
    ['halt', 'reboot: System halted'],
  ])('plain `%s` stops the machine', async (command, kernelSays) => {
    const { console: guest, prompt } = await bootedMachine();
    guest.waitFor(prompt, BOOT_BUDGET);
    const from = guest.transcript.length;
    guest.powerOff(SHUTDOWN_TICKS, command);
    expect(guest.poweredOff).toBe(true);
    expect(guest.transcript.slice(from)).toContain(kernelSays);
  });

  it('/demo/diverge without a mode prints its usage and exits 2 instead of reading the terminal', async () => {
    const { console: guest, prompt } = await bootedMachine();
    guest.waitFor(prompt, BOOT_BUDGET);
    const run = guest.runCommand('/demo/diverge', prompt, BOOT_BUDGET);
    expect(run).toEqual({ output: expect.stringMatching(/^usage: diverge a\|b\b.*\n$/), status: 2, shellExited: false });
    // Its documented modes are unchanged: argv, $DIVERGE_MODE, a line of a pipe.
    expect(guest.runCommand('echo b | /demo/diverge', prompt, BOOT_BUDGET).output).toBe('diverge: mode=b\ndiverge: path B x=6 y=7 product=42\n');
  });

  it.runIf(qemuInstalled())('real QEMU powers off on plain `poweroff` too', async () => {
    const qemu = await QemuGuest.boot({ timeoutSec: 60 });
    try {
      // The shell never prints the end marker: QEMU exits first, by itself (-no-reboot).
      const error = await qemu.run('poweroff; sleep 30').catch((err: unknown) => err);
      expect(errorCode(error)).toBe('GUEST_EXITED');
      expect(qemu.consoleText).toContain('reboot: Power down');
    } finally {
      await qemu.kill();
    }
  });
});
