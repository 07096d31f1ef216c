// Test helpers: decode one call by name and print it as strace's line.
import { SYSCALLS, decodeSyscall, type ReadVirt, type SyscallRecord } from '../../src/analysis/syscalls/index.ts';
import { NO_MEMORY } from './guest-memory.ts';

const NUMBERS = new Map([...SYSCALLS.values()].map((s) => [s.name, s.nr]));

export function nrOf(name: string): number {
  const nr = NUMBERS.get(name);
  if (nr === undefined) throw new Error(`no syscall ${name}`);
  return nr;
}

export interface CallOptions {
  /** Memory at entry (and at return unless `after` is given). */
  mem?: ReadVirt;
  after?: ReadVirt;
  strsize?: number;
}

/** Decode `name(args) = ret` and return the record. */
export function call(name: string | number, args: (bigint | number)[], ret: bigint | number, o: CallOptions = {}): SyscallRecord {
  const nr = typeof name === 'number' ? name : nrOf(name);
  const mem = o.mem ?? NO_MEMORY;
  return decodeSyscall({ nr, args: args.map((a) => BigInt(a)) }, BigInt(ret), mem, o.after ?? mem, { strsize: o.strsize });
}

/** The record as strace prints it (without the alignment padding). */
export function line(r: SyscallRecord): string {
  return `${r.name}(${r.args.join(', ')}) = ${r.ret}`;
}

/** Decode and print in one step. */
export function strace(name: string | number, args: (bigint | number)[], ret: bigint | number, o: CallOptions = {}): string {
  return line(call(name, args, ret, o));
}
