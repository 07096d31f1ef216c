// Whole-system boots: the default image reaches its shell prompt, runs the
// demo programs and busybox commands, and their output matches real QEMU's.
import { describe, expect, it } from 'vitest';
import { BOOT_BUDGET, bootedMachine, runAtPrompt } from './helpers';
import { qemuInstalled, runCommands } from '../../scripts/oracle/qemu';

const COMMANDS = [
  'uname -m',
  'uname -sr',
  'busybox | head -1',
  'echo hello; echo $((6 * 7))',
  'ls /demo',
  'cat /proc/cpuinfo | grep -E "isa|mmu"',
  '/demo/cpubench 4',
  '/demo/memtouch',
  '/demo/forkpipe',
  '/demo/fileproc',
  '/demo/diverge alpha',
  'echo beta | /demo/diverge',
  'seq 1 5 | sort -r | tr "\\n" " "',
  'mount | grep -E "proc|sysfs|devtmpfs|tmpfs" | cut -d" " -f1-5',
];


describe('Linux on the machine', () => {
  let outputs: string[] = [];

  it('boots the default image to its shell prompt and runs commands', async () => {
    const { console: guest, prompt } = await bootedMachine();
    const boot = guest.waitFor(prompt, BOOT_BUDGET);
    expect(boot.text).toContain('Linux version 6.1');
    expect(boot.text).toContain('Run /init as init process');
    outputs = COMMANDS.map((command) => runAtPrompt(guest, prompt, command));
    expect(outputs[0]).toBe('riscv64\n');
    expect(outputs[2]).toMatch(/^BusyBox v1\.\d+/);
    expect(outputs[3]).toBe('hello\n42\n');
    expect(outputs[5]).toContain('rv64imafdc');
    expect(outputs[6]).toMatch(/cpubench: iterations=4 .*checksum=[0-9a-f]{16}/);
    expect(outputs[8]).toContain('forkpipe: done children=3');
    // Output streamed while the command runs is exactly what it printed, markers excluded.
    let streamed = '';
    const run = guest.runCommand('/demo/cpubench 2; printf tail; false', prompt, BOOT_BUDGET, { onOutput: (text) => { streamed += text; } });
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/^cpubench: iterations=2 .*\ntail$/);
    expect(streamed).toBe(run.output);
    guest.powerOff(BOOT_BUDGET);
    expect(guest.poweredOff).toBe(true);
  });

  it.runIf(qemuInstalled())('prints what real QEMU prints for the same commands', async () => {
    expect(outputs.length).toBe(COMMANDS.length);
    const qemu = await runCommands(COMMANDS);
    const theirs = qemu.map((r) => r.output.replace(/\r\n/g, '\n'));
    for (let i = 0; i < COMMANDS.length; i++) {
      if (COMMANDS[i]!.includes('/proc/cpuinfo')) continue; // QEMU 7.2's default CPU adds H, Zihintpause and Sv57
      expect({ command: COMMANDS[i], output: outputs[i] }).toEqual({ command: COMMANDS[i], output: theirs[i] });
    }
  });
});
