// Exports used by the FPU tests (wasm/test/fpu*.test.ts): direct access to the
// FP state and single-instruction execution without the CPU loop.
import { getF, setF, getX, setX, frm, fflags, setFrm, setFflags, mstatus, setMstatus, MSTATUS_FS, MSTATUS_SD } from '../state';
import { fpExecute, setFpFastPathEnabled } from '../fpu';

export function fpTestSetF(i: u32, bits: u64): void { setF(i & 31, bits); }
export function fpTestGetF(i: u32): u64 { return getF(i & 31); }
export function fpTestSetX(i: u32, v: u64): void { setX(i & 31, v); }
export function fpTestGetX(i: u32): u64 { return getX(i & 31); }
/** fcsr = frm << 5 | fflags (Unprivileged spec 13.2). */
export function fpTestSetFcsr(v: u32): void { setFrm(v >> 5); setFflags(v); }
export function fpTestGetFcsr(): u32 { return (frm << 5) | fflags; }
/** mstatus.FS (0 off, 1 initial, 2 clean, 3 dirty); setting it also clears SD. */
export function fpTestSetFs(fs: u32): void { setMstatus((mstatus & ~(MSTATUS_FS | MSTATUS_SD)) | ((<u64>fs & 3) << 13)); }
export function fpTestGetFs(): u32 { return <u32>((mstatus & MSTATUS_FS) >> 13); }
/** Executes one OP-FP or fused multiply-add instruction; false if illegal. */
export function fpTestExec(insn: u32): bool { return fpExecute(insn); }
/** Turns the native round-to-nearest fast paths (fpu-fast.ts) on or off. */
export function fpTestSetFastPath(on: bool): void { setFpFastPathEnabled(on); }
/** Executes one instruction n times (for throughput measurements); false if illegal. */
export function fpTestRepeat(insn: u32, n: u32): bool {
  for (let i: u32 = 0; i < n; i++) if (!fpExecute(insn)) return false;
  return true;
}
