// Bad input decodes to something clear and never throws: unknown numbers,
// wild pointers, strings that run into unmapped memory, a reader that
// throws, absurd lengths; and the two-step API across a slice boundary.
import { describe, expect, it } from 'vitest';
import { enterSyscall, exitSyscall, unfinishedSyscall, SYSCALLS, type ReadVirt } from '../../src/analysis/syscalls/index.ts';
import { GuestMemory, NO_MEMORY } from './guest-memory.ts';
import { call, line, nrOf, strace } from './trace.ts';

const P = 0x4000_1000n;

describe('bad input', () => {
  it('an unknown syscall number prints as strace: syscall_0x..., six hex arguments', () => {
    expect(strace(258, [0x7ffd1000n, 1, 0, 0, 0, 0], -38)).toBe('syscall_0x102(0x7ffd1000, 0x1, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)');
    expect(strace(0x1234, [], -38)).toBe('syscall_0x1234(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)');
    expect(call(-1, [], 0).name).toBe('syscall_0xffffffffffffffff');
  });

  it('wild pointers print as the pointer', () => {
    expect(strace('openat', [-100, 0xdead0000n, 0], -14)).toBe('openat(AT_FDCWD, 0xdead0000, O_RDONLY) = -1 EFAULT (Bad address)');
    expect(strace('write', [1, 0xffffffffffffff00n, 64], -14)).toBe('write(1, 0xffffffffffffff00, 64) = -1 EFAULT (Bad address)');
    expect(strace('execve', [0x10n, 0x20n, 0x30n], -14)).toBe('execve(0x10, 0x20, 0x30) = -1 EFAULT (Bad address)');
    expect(strace('newfstatat', [3, 0x10n, 0x20n, 0], 0)).toBe('newfstatat(3, 0x10, 0x20, 0) = 0');
    expect(strace('rt_sigaction', [17, 0x8n, 0x8n, 8], 0)).toBe('rt_sigaction(SIGCHLD, 0x8, 0x8, 8) = 0');
  });

  it('a string that runs into an unmapped page prints as the pointer (strace umovestr)', () => {
    const end = 0x4000_2000n;
    const mem = new GuestMemory().put(end - 4n, 'abcd');
    expect(strace('chdir', [end - 4n], -14, { mem: mem.read })).toBe('chdir(0x40001ffc) = -1 EFAULT (Bad address)');
    // Terminated within the mapped page: fine.
    mem.put(end - 8n, 'ok\0');
    expect(strace('chdir', [end - 8n], 0, { mem: mem.read })).toBe('chdir("ok") = 0');
    // Longer than -s and mapped: cut with "...".
    mem.str(P, 'x'.repeat(100));
    expect(strace('sethostname', [P, 100], 0, { mem: mem.read, strsize: 4 })).toBe('sethostname("xxxx"..., 100) = 0');
  });

  it('an execve argv that runs off the map is cut where it became unreadable', () => {
    const end = 0x4000_2000n;
    const mem = new GuestMemory().u64(end - 8n, P).str(P, 'sh');
    expect(strace('execve', [P, end - 8n, 0], -14, { mem: mem.read })).toBe('execve("sh", ["sh", ... /* 0x40002000 */], NULL) = -1 EFAULT (Bad address)');
  });

  it('a reader that throws and absurd lengths do not break decoding', () => {
    const throwing: ReadVirt = () => {
      throw new Error('boom');
    };
    expect(strace('write', [1, P, 1n << 62n], 5, { mem: throwing })).toBe('write(1, 0x40001000, 4611686018427387904) = 5');
    const mem = new GuestMemory().put(P, 'abc');
    expect(strace('write', [1, P, -1n], -22, { mem: mem.read, strsize: 2 })).toBe('write(1, "ab"..., 18446744073709551615) = -1 EINVAL (Invalid argument)');
    expect(strace('writev', [1, 0x5000_0000n, 1n << 40n], -22, { mem: mem.read })).toBe('writev(1, 0x50000000, 1099511627776) = -1 EINVAL (Invalid argument)');
    expect(call('writev', [1, P, 1n << 40n], -22, { mem: mem.read }).args[1]).toMatch(/^\[\{iov_base="", iov_len=0\}, .*, \.\.\.\]$/);
    expect(strace('getdents64', [3, P, 10], 1 << 20, { mem: mem.read })).toBe('getdents64(3, 0x40001000, 10) = 1048576');
  });

  it('an errno without a name, and a decoding of every table entry over empty memory', () => {
    const r = call('read', [0, 0, 0], -600);
    expect([r.ret, r.errno]).toEqual(['-1 (errno 600)', 'ERRNO_600']);
    for (const spec of SYSCALLS.values()) {
      for (const ret of [0n, -14n, 3n]) {
        const args = [0x10n, 0x7fff_0000n, 0xffffffffffffffffn, 1n, 2n, 3n];
        expect(() => line(call(spec.nr, args, ret, { mem: NO_MEMORY }))).not.toThrow();
      }
    }
  });
});

describe('across a slice boundary', () => {
  it('the pending call is structured-cloneable and finishes with the return side\'s memory', () => {
    const entryMem = new GuestMemory().str(P, '/etc/passwd').zero(0x4001_0000n, 128);
    const pending = enterSyscall({ nr: nrOf('newfstatat'), args: [-100n & ((1n << 64n) - 1n), P, 0x4001_0000n, 0n] }, entryMem.read);
    const carried = structuredClone(pending);
    const returnMem = new GuestMemory().zero(0x4001_0000n, 128).u32(0x4001_0010n, 0o100644).u64(0x4001_0030n, 82n);
    expect(line(exitSyscall(carried, 0n, returnMem.read))).toBe('newfstatat(AT_FDCWD, "/etc/passwd", {st_mode=S_IFREG|0644, st_size=82, ...}, 0) = 0');
  });

  it('a call that never returns is closed as unfinished, out-parameters as pointers', () => {
    const pending = enterSyscall({ nr: nrOf('read'), args: [0n, 0x1000n, 4096n] }, NO_MEMORY);
    const r = unfinishedSyscall(pending);
    expect(line(r)).toBe('read(0, 0x1000, 4096) = ?');
    expect([r.unfinished, r.noReturn, r.retval]).toEqual([true, false, null]);
    const clone = unfinishedSyscall(enterSyscall({ nr: nrOf('clone'), args: [0x1200011n, 0n, 0n, 0n, 0x8d0d0n] }, NO_MEMORY));
    expect(line(clone)).toBe('clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x8d0d0) = ?');
    const wait = unfinishedSyscall(enterSyscall({ nr: nrOf('wait4'), args: [-1n & ((1n << 64n) - 1n), 0x1000n, 0n, 0n] }, NO_MEMORY));
    expect(line(wait)).toBe('wait4(-1, 0x1000, 0, NULL) = ?');
    const exit = unfinishedSyscall(enterSyscall({ nr: nrOf('exit_group'), args: [3n] }, NO_MEMORY));
    expect([line(exit), exit.unfinished, exit.noReturn]).toEqual(['exit_group(3) = ?', false, true]);
  });
});
