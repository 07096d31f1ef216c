// strace-style syscall decoding for riscv64 Linux 6.1 (DESIGN.md 5).
//
// At a syscall-entry hook: pending = enterSyscall({ nr: a7, args: [a0..a5] }, readVirtAtEntry, { strsize })
// At its return hook:      record  = exitSyscall(pending, a0, readVirtAtReturn)
// If it never returns:     record  = unfinishedSyscall(pending)   (exit_group, thread death, end of recording)
// Print: `${record.name}(${record.args.join(', ')}) = ${record.ret}`.
export type { DecodeOptions, PendingSyscall, ReadVirt, SyscallEntryEvent, SyscallRecord } from './types.ts';
export { decodeSyscall, enterSyscall, exitSyscall, syscallName, unfinishedSyscall } from './decode.ts';
export { SYSCALLS, type SyscallSpec } from './table.ts';
export { errnoName, errnoText } from './errno.ts';
export { signalName } from './signals.ts';
