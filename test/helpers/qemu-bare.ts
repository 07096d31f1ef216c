// Runs a bare-metal ELF in qemu-system-riscv64 -M virt -bios none (the
// reference for the machine's behaviour), optionally with a raw disk on a
// virtio-blk device (virtio-mmio version 2, as prnr's machine offers), and
// returns what it printed on the UART and its exit status (the sifive_test
// finisher's: 0 for pass).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QEMU_BINARY } from '../../scripts/oracle/qemu';

export interface QemuBareRun {
  output: string;
  status: number | null;
}

export function runQemuBare(elf: string, options: { disk?: string; timeoutMs?: number } = {}): QemuBareRun {
  // The UART goes to a file: a pipe can lose bytes still queued when the finisher exits.
  const dir = mkdtempSync(join(tmpdir(), 'prnr-qemu-bare-'));
  const serial = join(dir, 'serial.txt');
  const disk = options.disk
    ? ['-global', 'virtio-mmio.force-legacy=false', '-drive', `file=${options.disk},if=none,format=raw,id=d`, '-device', 'virtio-blk-device,drive=d']
    : [];
  try {
    const r = spawnSync(QEMU_BINARY, [
      '-M', 'virt', '-m', '128M', '-smp', '1', '-display', 'none', '-monitor', 'none', '-serial', `file:${serial}`,
      '-bios', 'none', '-kernel', elf, ...disk,
    ], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'latin1', timeout: options.timeoutMs ?? 120_000 });
    if (r.error) throw new Error(`cannot run ${QEMU_BINARY} (apt-get install qemu-system-misc): ${r.error.message}`);
    if (r.signal) throw new Error(`${QEMU_BINARY} was stopped by ${r.signal}: ${r.stderr}`);
    return { output: readFileSync(serial, 'latin1'), status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
