// The ISA test programs (wasm/test/isa/src/*.S, built to isa/elf): each checks
// its own results and powers off through sifive_test with 0 (pass) or the
// number of the first failing check.
import { describe, it, expect } from 'vitest';
import { runIsaProgram, STOP } from './machine-harness';

const programs: Array<[name: string, what: string]> = [
  ['rv64i', 'RV64I: every instruction, shifts, W forms, misaligned and page-crossing accesses'],
  ['rv64m', 'RV64M: MUL/MULH*, DIV/REM edge cases (by zero, overflow), W forms'],
  ['rv64a', 'A: every AMO W/D, LR/SC success and failure, misaligned AMO traps'],
  ['rvc', 'C: every compressed instruction matches its 32-bit expansion; c.ebreak; reserved encodings'],
  ['zicsr', 'Zicsr/Zicntr: CSR forms, x0 rules, read-only and missing CSRs, counters and their enables, fcsr'],
  ['interrupts', 'CLINT timer on time and masked, msip, WFI wake, vectored mtvec, Sstc stimecmp, mideleg to S'],
  ['fp', 'F/D via the CPU: FS off -> illegal, FLW NaN-boxing, loads/stores, FS dirty, a few ops and flags'],
  ['diff-priv', 'traps from M/S/U, delegation, MRET/SRET/TSR/TW, Sv39 pages, superpages, SUM/MXR, A/D, faults'],
];

describe('ISA test programs', () => {
  for (const [name, what] of programs) {
    it(`${name}: ${what}`, () => {
      const r = runIsaProgram(name);
      expect({ reason: r.reason, failedTest: r.code }).toEqual({ reason: STOP.poweroff, failedTest: 0 });
    });
  }
});
