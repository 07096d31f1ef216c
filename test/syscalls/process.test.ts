// Memory, process, signal, time and socket syscalls; the expected lines are
// what strace 6.1 prints for the same calls (riscv64 argument order).
import { describe, expect, it } from 'vitest';
import { GuestMemory } from './guest-memory.ts';
import { decodeSyscall } from '../../src/analysis/syscalls/index.ts';
import { call, line, nrOf, strace } from './trace.ts';

const P = 0x4000_1000n;
const BUF = 0x4001_0000n;

describe('memory', () => {
  it('brk, mmap, mprotect, munmap, mremap, madvise', () => {
    expect(strace('brk', [0], 0x7e000)).toBe('brk(NULL) = 0x7e000');
    expect(strace('mmap', [0, 8192, 3, 0x22, -1, 0], 0x7f21c3d9e000n)).toBe('mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f21c3d9e000');
    expect(strace('mmap', [0x7f21c3bd8000n, 1400832, 5, 0x812, 3, 0x26000], 0x7f21c3bd8000n)).toBe('mmap(0x7f21c3bd8000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f21c3bd8000');
    expect(strace('mmap', [0, 1 << 30, 0, 0x22, -1, 0], -12)).toBe('mmap(NULL, 1073741824, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)');
    expect(strace('mprotect', [0x71000, 16384, 1], 0)).toBe('mprotect(0x71000, 16384, PROT_READ) = 0');
    expect(strace('munmap', [0x7f21c3d94000n, 39039], 0)).toBe('munmap(0x7f21c3d94000, 39039) = 0');
    expect(strace('mremap', [0x1000, 4096, 8192, 1, 0], 0x5000)).toBe('mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE) = 0x5000');
    expect(strace('madvise', [0x1000, 4096, 4], 0)).toBe('madvise(0x1000, 4096, MADV_DONTNEED) = 0');
  });
});

describe('processes', () => {
  it('clone in strace order: child_stack, flags with the exit signal, child_tidptr', () => {
    expect(strace('clone', [0x1200011, 0, 0, 0, 0x8d0d0], 21183)).toBe('clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x8d0d0) = 21183');
    expect(strace('clone', [0x11, 0, 0, 0, 0], 7)).toBe('clone(child_stack=NULL, flags=SIGCHLD) = 7');
    const tid = new GuestMemory().u32(BUF, 99);
    expect(strace('clone', [0x3d0f00, 0x7f0000n, BUF, 0x7f1000n, BUF], 99, { mem: tid.read })).toBe(
      'clone(child_stack=0x7f0000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[99], tls=0x7f1000, child_tidptr=0x40010000) = 99',
    );
  });

  it('execve: path, argv, and envp as a count', () => {
    const m = new GuestMemory().str(P, '/bin/echo').u64(BUF, BUF + 0x100n, BUF + 0x110n, 0n).str(BUF + 0x100n, 'echo').str(BUF + 0x110n, 'hello from child 0')
      .u64(BUF + 0x200n, BUF + 0x100n, BUF + 0x110n, BUF + 0x100n, 0n);
    expect(strace('execve', [P, BUF, BUF + 0x200n], 0, { mem: m.read })).toBe('execve("/bin/echo", ["echo", "hello from child 0"], 0x40010200 /* 3 vars */) = 0');
    expect(strace('execve', [P, BUF, BUF + 0x210n], -2, { mem: m.read })).toBe('execve("/bin/echo", ["echo", "hello from child 0"], 0x40010210 /* 1 var */) = -1 ENOENT (No such file or directory)');
    expect(strace('execve', [P, BUF, BUF + 0x200n], 0, { mem: m.read, strsize: 1 })).toBe('execve("/bin/echo", ["e"..., ...], 0x40010200 /* 3 vars */) = 0');
  });

  it('wait4 status at return, exit_group never returns', () => {
    const st = (s: number) => new GuestMemory().u32(BUF, s).read;
    expect(strace('wait4', [-1, BUF, 0, 0], 26255, { mem: st(0x200) })).toBe('wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 2}], 0, NULL) = 26255');
    expect(strace('wait4', [-1, BUF, 0, 0], 5, { mem: st(9) })).toBe('wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 5');
    expect(strace('wait4', [-1, BUF, 0, 0], 5, { mem: st(0x8b) })).toBe('wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], 0, NULL) = 5');
    expect(strace('wait4', [-1, BUF, 2, 0], 5, { mem: st(0x137f) })).toBe('wait4(-1, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL) = 5');
    expect(strace('wait4', [-1, 0x7ffd5901d26cn, 1, 0], -10)).toBe('wait4(-1, 0x7ffd5901d26c, WNOHANG, NULL) = -1 ECHILD (No child processes)');
    expect(strace('wait4', [-1, BUF, 1, 0], 0, { mem: st(0) })).toBe('wait4(-1, 0x40010000, WNOHANG, NULL) = 0');
    const exit = call('exit_group', [0], 0);
    expect(line(exit)).toBe('exit_group(0) = ?');
    expect(exit.noReturn).toBe(true);
  });

  it('kill, tgkill, set_tid_address, prlimit64, getuid', () => {
    expect(strace('kill', [26499, 0], 0)).toBe('kill(26499, 0) = 0');
    expect(strace('kill', [31771, 15], 0)).toBe('kill(31771, SIGTERM) = 0');
    expect(strace('tgkill', [12, 13, 6], 0)).toBe('tgkill(12, 13, SIGABRT) = 0');
    expect(strace('set_tid_address', [0x7f21c3bafa10n], 26254)).toBe('set_tid_address(0x7f21c3bafa10) = 26254');
    expect(strace('set_robust_list', [0x7f21c3bafa20n, 24], -38)).toBe('set_robust_list(0x7f21c3bafa20, 24) = -1 ENOSYS (Function not implemented)');
    const rl = new GuestMemory().u64(BUF, 8192n * 1024n, -1n);
    expect(strace('prlimit64', [0, 3, 0, BUF], 0, { mem: rl.read })).toBe('prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0');
    expect(strace('getuid', [], 0)).toBe('getuid() = 0');
  });

  it('sched_getaffinity lists the CPUs at return', () => {
    const m = new GuestMemory().put(BUF, Uint8Array.of(3, 0, 0, 0, 0, 0, 0, 0));
    expect(strace('sched_getaffinity', [0, 128, BUF], 8, { mem: m.read })).toBe('sched_getaffinity(0, 128, [0 1]) = 8');
    expect(strace('sched_setaffinity', [0, 8, BUF], 0, { mem: m.read })).toBe('sched_setaffinity(0, 8, [0 1]) = 0');
  });

  it('uname, prctl, reboot, syslog', () => {
    const u = new GuestMemory().zero(BUF, 390).str(BUF, 'Linux').str(BUF + 65n, 'prnr');
    expect(strace('uname', [BUF], 0, { mem: u.read })).toBe('uname({sysname="Linux", nodename="prnr", ...}) = 0');
    const n = new GuestMemory().str(BUF, 'busybox');
    expect(strace('prctl', [16, BUF, 0, 0, 0], 0, { mem: n.read })).toBe('prctl(PR_GET_NAME, "busybox") = 0');
    expect(strace('prctl', [15, BUF, 0, 0, 0], 0, { mem: n.read })).toBe('prctl(PR_SET_NAME, "busybox") = 0');
    expect(strace('prctl', [1, 9, 0, 0, 0], 0)).toBe('prctl(PR_SET_PDEATHSIG, SIGKILL) = 0');
    expect(strace('prctl', [1000, 1, 2, 3, 4], -22)).toBe('prctl(0x3e8 /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)');
    expect(strace('reboot', [0xfee1dead, 672274793, 0x4321fedc, 0], 0)).toBe('reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF) = 0');
    expect(strace('syslog', [8, 0, 5], 0)).toBe('syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, 5 /* LOGLEVEL_NOTICE */) = 0');
    expect(strace('syslog', [10, 0, 0], 131072)).toBe('syslog(10 /* SYSLOG_ACTION_SIZE_BUFFER */) = 131072');
  });
});

describe('signals', () => {
  it('rt_sigaction: new action at entry, old at return', () => {
    const m = new GuestMemory().u64(BUF, 0x55574daafdc0n, 0x10000000n, 0x10000n).zero(BUF + 0x100n, 24);
    expect(strace('rt_sigaction', [17, BUF, 0, 8], 0, { mem: m.read })).toBe('rt_sigaction(SIGCHLD, {sa_handler=0x55574daafdc0, sa_mask=[CHLD], sa_flags=SA_RESTART}, NULL, 8) = 0');
    expect(strace('rt_sigaction', [2, 0, BUF + 0x100n, 8], 0, { mem: m.read })).toBe('rt_sigaction(SIGINT, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0');
  });

  it('rt_sigprocmask: how, set at entry, old set at return', () => {
    const before = new GuestMemory().u64(BUF, 0n).u64(BUF + 8n, 0n);
    const after = new GuestMemory().u64(BUF, 0n).u64(BUF + 8n, ~((1n << 8n) | (1n << 18n) | (1n << 31n) | (1n << 32n)));
    expect(strace('rt_sigprocmask', [2, BUF, BUF + 8n, 8], 0, { mem: before.read, after: after.read })).toBe('rt_sigprocmask(SIG_SETMASK, [], ~[KILL STOP RTMIN RT_1], 8) = 0');
  });

  it('rt_sigreturn and the restart codes', () => {
    expect(strace('rt_sigreturn', [], 26255)).toBe('rt_sigreturn() = 26255');
    const frame = new GuestMemory().u64(0x7ff0_0000n + 168n, 1n << 16n);
    const r = decodeSyscall({ nr: nrOf('rt_sigreturn'), args: [], sp: 0x7ff0_0000n }, 26255n, frame.read);
    expect(line(r)).toBe('rt_sigreturn({mask=[CHLD]}) = 26255');
    expect(call('wait4', [-1, BUF, 0, 0], -512).ret).toBe('? ERESTARTSYS (To be restarted if SA_RESTART is set)');
    expect(call('ppoll', [BUF, 1, 0, 0, 8], -514).errno).toBe('ERESTARTNOHAND');
  });
});

describe('time and waiting', () => {
  it('clock_gettime at return, nanosleep remainder only when interrupted', () => {
    const ts = new GuestMemory().u64(BUF, 1n, 427908082n);
    expect(strace('clock_gettime', [5, BUF], 0, { mem: ts.read })).toBe('clock_gettime(CLOCK_REALTIME_COARSE, {tv_sec=1, tv_nsec=427908082}) = 0');
    const sleep = new GuestMemory().u64(BUF, 0n, 10000000n).u64(BUF + 16n, 0n, 5n);
    expect(strace('clock_nanosleep', [0, 0, BUF, BUF + 16n], 0, { mem: sleep.read })).toBe('clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=10000000}, 0x40010010) = 0');
    expect(strace('nanosleep', [BUF, BUF + 16n], -516, { mem: sleep.read })).toBe('nanosleep({tv_sec=0, tv_nsec=10000000}, {tv_sec=0, tv_nsec=5}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)');
  });

  it('futex ops print the arguments they use', () => {
    expect(strace('futex', [0x7f066b827a4cn, 129, 2147483647, 0, 0, 0], 0)).toBe('futex(0x7f066b827a4c, FUTEX_WAKE_PRIVATE, 2147483647) = 0');
    expect(strace('futex', [0x1000, 128, 2, 0, 0, 0], -11)).toBe('futex(0x1000, FUTEX_WAIT_PRIVATE, 2, NULL) = -1 EAGAIN (Resource temporarily unavailable)');
    expect(strace('futex', [0x1000, 393, 0, 0, 0, 0xffffffff], 0)).toBe('futex(0x1000, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY) = 0');
  });

  it('ppoll: events at entry, revents in the result', () => {
    const before = new GuestMemory().put(BUF, Uint8Array.of(0, 0, 0, 0, 1, 0, 0, 0));
    const after = new GuestMemory().put(BUF, Uint8Array.of(0, 0, 0, 0, 1, 0, 1, 0));
    expect(strace('ppoll', [BUF, 1, 0, 0, 8], 1, { mem: before.read, after: after.read })).toBe('ppoll([{fd=0, events=POLLIN}], 1, NULL, NULL, 8) = 1 ([{fd=0, revents=POLLIN}])');
    expect(strace('ppoll', [BUF, 1, 0, 0, 8], 0, { mem: before.read })).toBe('ppoll([{fd=0, events=POLLIN}], 1, NULL, NULL, 8) = 0 (Timeout)');
  });
});

describe('select', () => {
  it('pselect6: fd sets and sigmask at entry, ready sets and time left in the result', () => {
    const before = new GuestMemory().u64(BUF, 0b1001n).u64(BUF + 0x20n, 0n, 500000000n).u64(BUF + 0x40n, BUF + 0x60n, 8n).u64(BUF + 0x60n, 0n);
    const after = new GuestMemory().u64(BUF, 0b1000n).u64(BUF + 0x20n, 0n, 250000000n);
    expect(strace('pselect6', [4, BUF, 0, 0, BUF + 0x20n, BUF + 0x40n], 1, { mem: before.read, after: after.read })).toBe(
      'pselect6(4, [0 3], NULL, NULL, {tv_sec=0, tv_nsec=500000000}, {sigmask=[], sigsetsize=8}) = 1 (in [3], left {tv_sec=0, tv_nsec=250000000})',
    );
    expect(strace('pselect6', [1, BUF, 0, 0, 0, 0], 0, { mem: before.read })).toBe('pselect6(1, [0], NULL, NULL, NULL, NULL) = 0 (Timeout)');
  });
});

describe('sockets', () => {
  it('socket, connect with a unix address, accept4 with its address at return', () => {
    expect(strace('socket', [1, 0o2004001, 0], 3)).toBe('socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 3');
    expect(strace('socket', [2, 2, 17], 3)).toBe('socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3');
    const sun = new GuestMemory().put(BUF, Uint8Array.of(1, 0)).str(BUF + 2n, '/var/run/nscd/socket');
    expect(strace('connect', [3, BUF, 110], -2, { mem: sun.read })).toBe('connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)');
    const sin = new GuestMemory().put(BUF, Uint8Array.of(2, 0, 0, 53, 10, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0)).u32(P, 16);
    const before = new GuestMemory().zero(BUF, 16).u32(P, 128);
    expect(strace('accept4', [3, BUF, P, 0o2000000], 4, { mem: before.read, after: sin.read })).toBe('accept4(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.2.3")}, [128 => 16], SOCK_CLOEXEC) = 4');
  });
});
