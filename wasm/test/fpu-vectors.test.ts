// Replays the golden vectors produced by scripts/fpvectors/gen.c under
// qemu-riscv64 (see its header for how to regenerate) through the wasm FPU and
// requires bit-exact results and fflags.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFpu, u64 } from './fpu-harness';

const vectorFile = fileURLToPath(new URL('./vectors/fpu-qemu.txt.gz', import.meta.url));

/** Instructions whose rd is an x register (compares, FCVT.int.fmt, FMV.X, FCLASS). */
function writesX(insn: number): boolean {
  if ((insn & 0x7f) !== 0x53) return false;
  const funct5 = insn >>> 27;
  return funct5 === 0x14 || funct5 === 0x18 || funct5 === 0x1c;
}
/** Instructions whose rs1 is an x register (FCVT.fmt.int, FMV.fmt.X). */
function readsX(insn: number): boolean {
  if ((insn & 0x7f) !== 0x53) return false;
  const funct5 = insn >>> 27;
  return funct5 === 0x1a || funct5 === 0x1e;
}

describe('FPU against QEMU golden vectors', () => {
  const lines = gunzipSync(readFileSync(vectorFile)).toString('latin1').split('\n').filter((l) => l.length > 0);

  it('has the committed vectors', () => {
    expect(lines.length).toBeGreaterThan(100_000);
  });

  it.each([
    ['with the native fast paths', 1],
    ['in soft-float only', 0],
  ])('agrees bit-exactly on every result and flag %s', (_name, fast) => {
    const fpu = loadFpu();
    fpu.fpTestSetFastPath(fast);
    const failures: string[] = [];
    let failCount = 0;
    for (const line of lines) {
      const [insnS, frmS, aS, bS, cS, resS, flagsS] = line.split(' ');
      const insn = parseInt(insnS, 16);
      const a = BigInt('0x' + aS);
      fpu.fpTestSetFcsr(parseInt(frmS, 16) << 5);
      fpu.fpTestSetF(4, 0n);
      fpu.fpTestSetX(7, 0n);
      if (readsX(insn)) fpu.fpTestSetX(6, a); else fpu.fpTestSetF(1, a);
      if (bS !== '-') fpu.fpTestSetF(2, BigInt('0x' + bS));
      if (cS !== '-') fpu.fpTestSetF(3, BigInt('0x' + cS));
      const legal = fpu.fpTestExec(insn) !== 0;
      const got = u64(writesX(insn) ? fpu.fpTestGetX(7) : fpu.fpTestGetF(4));
      const flags = fpu.fpTestGetFcsr() & 0x1f;
      const want = BigInt('0x' + resS);
      const wantFlags = parseInt(flagsS, 16);
      if (!legal || got !== want || flags !== wantFlags) {
        failCount++;
        if (failures.length < 20) {
          failures.push(`${line}  => got ${legal ? '' : 'ILLEGAL '}${got.toString(16)} ${flags.toString(16)}`);
        }
      }
    }
    expect(failures, `${failCount} of ${lines.length} vectors differ (insn frm rs1 rs2 rs3 result flags)`).toEqual([]);
  });
});
