// A recording with about `calls` syscalls, made here with `prnr record`: the
// default image's dd copying /dev/zero to /dev/null a byte at a time (a read
// and a write per block), the guest's cheapest syscall-heavy loop. A million
// calls take about 550M ticks, 110 slices, 11 MB, ~90 s to record.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PRNR_BIN } from '../../test/prnr';

export const SYSCALL_HEAVY_COMMAND = (calls: number) => `dd if=/dev/zero of=/dev/null bs=1 count=${Math.ceil(calls / 2)}`;

export function recordSyscallHeavy(dir: string, calls: number): string {
  const file = join(dir, `dd-${calls}.prnr`);
  execFileSync(process.execPath, [PRNR_BIN, 'record', '--seed', '7', '-o', file, '--force', '--cmd', SYSCALL_HEAVY_COMMAND(calls)], { stdio: 'ignore' });
  return file;
}
