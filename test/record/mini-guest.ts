// The tiny deterministic guest of the record/replay tests (guest/mini.c): an
// M-mode "shell" that prints "$ ", reads a line, dirties pages and spins, and
// powers off on "poweroff -f". Boots in milliseconds, so tests can record,
// replay and mutate many sessions.
import { readFileSync } from 'node:fs';
import type { BootConfig } from '../../src/engine/machine';
import type { BootFiles } from '../../src/engine/images';

export const MINI_PROMPT = '$ ';

export function miniBootFiles(): BootFiles {
  const disk = new Uint8Array(64 * 1024);
  for (let i = 0; i < disk.length; i += 512) disk[i] = i >> 9;
  return {
    firmware: new Uint8Array(readFileSync(new URL('./guest/mini.bin', import.meta.url))),
    kernel: new Uint8Array([0x6f, 0x00, 0x00, 0x00]),
    disk,
  };
}

export function miniBootConfig(files = miniBootFiles()): BootConfig {
  return { ramBytes: 16 << 20, firmware: files.firmware, kernel: files.kernel, disk: files.disk, cmdline: '', entropySeed: 42n };
}
