// Public types of the syscall decoder (docs/design.md 5, syscalls dimension).
//
// The engine calls enterSyscall() when a syscall-entry hook fires (ecall
// from U-mode: a7 = nr, a0-a5 = args), with a reader over the calling
// process's address space as it is at that tick, and exitSyscall() when the
// matching return hook fires (the sret back to U-mode: a0 = ret), with a
// reader over memory as it is then. Everything in between is a plain,
// structured-cloneable value (PendingSyscall), so a call entered in one
// slice and returning in the next can be carried to the merge and finished
// there.

/**
 * Reads `len` bytes of guest virtual memory at `addr` in the calling
 * process's address space. Returns undefined when any byte of the range is
 * unmapped (or not readable); the decoder then prints the pointer, as strace
 * does for an address it cannot read. May also throw: that is treated as
 * undefined.
 */
export type ReadVirt = (addr: bigint, len: number) => Uint8Array | undefined;

/** The syscall-entry hook event: the number (a7) and the six argument registers a0-a5 as unsigned 64-bit values. */
export interface SyscallEntryEvent {
  nr: number;
  /** a0..a5; missing registers read as 0. */
  args: readonly bigint[];
  /** sp at the ecall, if the hook has it: rt_sigreturn reads the signal mask it restores from the frame there. */
  sp?: bigint;
}

export interface DecodeOptions {
  /** strace's -s: the most bytes of a string or buffer printed (default 32). Paths are not cut (as strace). */
  strsize?: number;
}

/** A call that was entered and has not returned yet: the entry-time decoding plus what the return needs. */
export interface PendingSyscall {
  nr: number;
  name: string;
  /** The six argument registers as given at entry (unsigned). */
  raw: bigint[];
  /** sp at entry, when the event had it. */
  sp?: bigint;
  /**
   * One slot per printed argument: the text decoded at entry, null when the
   * slot is decoded at return (out-parameters), undefined when strace omits
   * it (e.g. openat's mode without O_CREAT).
   */
  text: (string | null | undefined)[];
  strsize: number;
}

/** One decoded call, as strace prints it: `${name}(${args.join(', ')}) = ${ret}`. */
export interface SyscallRecord {
  nr: number;
  name: string;
  /** The decoded arguments, each as strace prints it. */
  args: string[];
  /** What strace prints after "= ": "3", "0x7f000", "-1 ENOENT (No such file or directory)", "?" ... */
  ret: string;
  /** The errno name when the call failed ("ENOENT"; "ERRNO_600" for a number without a name), else null. */
  errno: string | null;
  /** The raw return value (a0 at return, signed), or null when the call did not return. */
  retval: bigint | null;
  /** The argument registers at entry (unsigned). */
  raw: bigint[];
  /** True for calls that end the calling thread or process (exit, exit_group): they never return. */
  noReturn: boolean;
  /** True when the record was closed without a return event (the thread exited or the recording ended first). */
  unfinished: boolean;
}
