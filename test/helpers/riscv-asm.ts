// Builds RISC-V guest programs at test time with the riscv64 binutils (as, ld,
// objcopy, nm; Debian binutils-riscv64-linux-gnu, which CI installs): no C
// compiler, so the programs are assembly. Sources live in test/jit/programs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CROSS = 'riscv64-linux-gnu-';
export const PROGRAMS_DIR = fileURLToPath(new URL('../jit/programs/', import.meta.url));

function tool(name: string, args: string[]): string {
  try {
    return execFileSync(`${CROSS}${name}`, args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error(`${CROSS}${name} is not installed (apt-get install binutils-riscv64-linux-gnu)`, { cause: err });
    throw new Error(`${CROSS}${name} ${args.join(' ')} failed:\n${e.stderr ?? e.message}`, { cause: err });
  }
}

export interface AssembleOptions {
  /** Symbols defined for the assembler (--defsym NAME=VALUE). */
  defsym?: Record<string, bigint | number>;
  /** A linker script in PROGRAMS_DIR; else `ldArgs` place the sections. */
  script?: string;
  ldArgs?: string[];
}

/** Assembles and links PROGRAMS_DIR/`source` (rv64gc) into `outDir`/`name`; returns the ELF's path. */
export function assemble(source: string, outDir: string, name: string, options: AssembleOptions = {}): string {
  const object = join(outDir, `${name}.o`);
  const elf = join(outDir, name);
  const defsyms = Object.entries(options.defsym ?? {}).flatMap(([k, v]) => ['--defsym', `${k}=${v}`]);
  tool('as', ['-march=rv64gc', '-mabi=lp64d', '-mno-relax', '-I', PROGRAMS_DIR, ...defsyms, '-o', object, join(PROGRAMS_DIR, source)]);
  const script = options.script ? ['-T', join(PROGRAMS_DIR, options.script)] : [];
  tool('ld', ['-static', '--no-relax', '--build-id=none', '-z', 'noexecstack', '--no-warn-rwx-segments', ...script, ...(options.ldArgs ?? []), '-o', elf, object]);
  return elf;
}

/** The bytes of one section of an ELF. */
export function sectionBytes(elf: string, section: string): Uint8Array {
  const out = `${elf}${section}.bin`;
  tool('objcopy', ['-O', 'binary', `--only-section=${section}`, elf, out]);
  return new Uint8Array(readFileSync(out));
}

/** The ELF's symbol table: name -> address. */
export function symbols(elf: string): Map<string, bigint> {
  const table = new Map<string, bigint>();
  for (const line of tool('nm', [elf]).split('\n')) {
    const [addr, , name] = line.trim().split(/\s+/);
    if (addr && name) table.set(name, BigInt(`0x${addr}`));
  }
  return table;
}
