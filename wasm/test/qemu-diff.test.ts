// Differential tests against real QEMU (v86 tests/qemu style): the same
// bare-metal ELF runs in `qemu-system-riscv64 -M virt -bios none` and in our
// machine; the console output (registers and a memory checksum printed by
// crt.S dump_and_pass, or a test program's failure report) and the
// sifive_test exit code must match exactly. Skips only when QEMU is not
// installed (CI installs it).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isaElfPath, runIsaProgram, STOP } from './machine-harness';

const QEMU = 'qemu-system-riscv64';
const haveQemu = spawnSync(QEMU, ['--version'], { encoding: 'utf8' }).status === 0;

function runQemu(name: string): { output: string; code: number | null } {
  // The UART goes to a file: a pipe can lose bytes still queued when the finisher exits.
  const dir = mkdtempSync(join(tmpdir(), 'prnr-qemu-'));
  const out = join(dir, 'serial.txt');
  try {
    const r = spawnSync(QEMU, [
      '-M', 'virt', '-m', '128M', '-smp', '1', '-display', 'none', '-monitor', 'none', '-serial', `file:${out}`,
      '-bios', 'none', '-kernel', isaElfPath(name),
    ], { stdio: 'ignore', timeout: 30_000 });
    if (r.error) throw r.error;
    return { output: readFileSync(out, 'latin1'), code: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Programs whose output and exit code are fully determined by the ISA
// (no timer values, no behaviour where QEMU 7.2 departs from the spec).
const programs: Array<[name: string, what: string]> = [
  ['diff-random', '6000 generated RV64IMAC instructions: ALU, M, W forms, misaligned loads/stores, AMOs, branches'],
  ['diff-priv', 'traps, delegation, xRET, Sv39 translation and page faults, recorded CSRs'],
  ['rv64i', 'RV64I self-checking program'],
  ['rv64m', 'RV64M self-checking program'],
  ['rvc', 'C self-checking program'],
];

describe.skipIf(!haveQemu)('differential: QEMU virt vs prnr', () => {
  for (const [name, what] of programs) {
    it(`${name}: ${what}`, () => {
      readFileSync(isaElfPath(name)); // a clear error if the program was not built
      const qemu = runQemu(name);
      const ours = runIsaProgram(name, 50_000_000n, 16 << 20);
      expect(ours.reason).toBe(STOP.poweroff);
      expect(ours.output).toBe(qemu.output);
      expect(ours.code).toBe(qemu.code);
      expect(ours.code).toBe(0);
    });
  }
});
