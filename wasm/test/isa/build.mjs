// Assembles the ISA test programs: src/<name>.S + src/crt.S -> elf/<name>.elf.
// The ELFs are committed, so the tests need no cross toolchain; run this after
// changing a source (needs riscv64-linux-gnu-gcc, or set CROSS=<prefix>).
//   node wasm/test/isa/build.mjs            build every program
//   node wasm/test/isa/build.mjs rv64i rvc  build some
import { execFileSync } from 'node:child_process';
import { readdirSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const cross = process.env.CROSS ?? 'riscv64-linux-gnu-';
const src = join(dir, 'src');
const out = join(dir, 'elf');
mkdirSync(out, { recursive: true });

// The generated program is rebuilt from its generator first.
if (existsSync(join(dir, 'gen-random.mjs'))) execFileSync(process.execPath, [join(dir, 'gen-random.mjs')], { stdio: 'inherit' });

const wanted = process.argv.slice(2);
const names = readdirSync(src)
  .filter((f) => f.endsWith('.S') && f !== 'crt.S')
  .map((f) => f.slice(0, -2))
  .filter((n) => wanted.length === 0 || wanted.includes(n));

for (const name of names) {
  execFileSync(`${cross}gcc`, [
    '-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany', '-nostdlib', '-nostartfiles', '-static',
    ...(process.env.DUMP_SIG ? ['-DDUMP_SIG'] : []), '-Wl,--build-id=none', '-Wl,--no-relax', '-Wl,--no-warn-rwx-segments', '-T', join(dir, 'link.ld'), '-I', src,
    join(src, 'crt.S'), join(src, `${name}.S`), '-o', join(out, `${name}.elf`),
  ], { stdio: 'inherit' });
  execFileSync(`${cross}strip`, ['--strip-debug', join(out, `${name}.elf`)]);
  console.log(`isa: ${name}.elf`);
}
