// The contract of an argument kind: how one printed argument of a syscall is
// decoded at entry and/or at return. The syscall table (table.ts) names a
// kind per argument; kinds-*.ts define them.
import type { Mem } from './memory.ts';
import { flags, xval, type Xlat } from './xlat.ts';

/** What a decoder sees: the call's registers, its memory, and at return its result. */
export interface Ctx {
  readonly nr: number;
  /** a0..a5 at entry, unsigned. */
  readonly args: readonly bigint[];
  /** sp at entry, when the hook event carries it. */
  readonly sp: bigint | undefined;
  readonly mem: Mem;
  readonly strsize: number;
  readonly exiting: boolean;
  /** a0 at return, signed (0 at entry). */
  readonly ret: bigint;
  /** At return: the call failed (-4095 <= ret <= -1). */
  readonly failed: boolean;
}

/** A kind's parameter from the table ("buf@2" -> 2, "buf@ret" -> 'ret'). */
export type Param = number | 'ret' | undefined;

/** Text of one argument: a string, null = "printed at return", undefined = strace leaves it out. */
export type ArgText = string | null | undefined;

export interface ArgKind {
  /** The text at entry. Absent: the argument is printed at return. */
  enter?(c: Ctx, i: number, p: Param): ArgText;
  /** The text at return, given the entry text. Absent: the entry text stays. */
  exit?(c: Ctx, i: number, p: Param, entered: ArgText): ArgText;
}

/** A kind printed at entry only, from its register value. */
export const value = (fn: (v: bigint, c: Ctx, i: number, p: Param) => ArgText): ArgKind => ({
  enter: (c, i, p) => fn(c.args[i], c, i, p),
});

/** A kind printed as flags of `table` (printflags). */
export const flagsOf = (table: Xlat, dflt?: string, bits = 32): ArgKind =>
  value((v) => flags(table, BigInt.asUintN(bits, v), dflt));

/** A kind printed as one value of `table` (printxval). */
export const xvalOf = (table: Xlat, dflt?: string, bits = 32): ArgKind =>
  value((v) => xval(table, BigInt.asUintN(bits, v), dflt));

/** The value a length parameter refers to: another argument, or the return value. */
export function lengthOf(c: Ctx, p: Param): bigint {
  if (p === 'ret') return c.exiting ? c.ret : 0n;
  return p === undefined ? 0n : c.args[p];
}

/** A successful call's return value as a count (0 when it failed). */
export function retCount(c: Ctx): number {
  return c.failed || c.ret < 0n ? 0 : Number(c.ret > 0xffffffffn ? 0xffffffffn : c.ret);
}
