// File and descriptor syscalls decoded from registers and guest memory; the
// expected lines are what strace 6.1 prints for the same calls.
import { describe, expect, it } from 'vitest';
import { GuestMemory } from './guest-memory.ts';
import { call, strace } from './trace.ts';

const AT_FDCWD = -100;
const P = 0x4000_1000n;
const Q = 0x4000_2000n;
const BUF = 0x4001_0000n;

describe('paths, fds and open flags', () => {
  it('openat with AT_FDCWD, flags, and a mode only with O_CREAT', () => {
    const mem = new GuestMemory().str(P, '/etc/passwd');
    expect(strace('openat', [AT_FDCWD, P, 0o2000000, 0x1234], 3, { mem: mem.read })).toBe('openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3');
    expect(strace('openat', [AT_FDCWD, P, 0o1101, 0o644], 3, { mem: mem.read })).toBe('openat(AT_FDCWD, "/etc/passwd", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3');
    // cp passes st_mode: strace prints the number, S_IFREG included.
    expect(strace('openat', [AT_FDCWD, P, 0o1101, 0o100644], 4, { mem: mem.read })).toBe('openat(AT_FDCWD, "/etc/passwd", O_WRONLY|O_CREAT|O_TRUNC, 0100644) = 4');
  });

  it('prints the errno on failure as strace', () => {
    const mem = new GuestMemory().str(P, '/nonexistent');
    const r = call('openat', [AT_FDCWD, P, 0], -2, { mem: mem.read });
    expect(r.ret).toBe('-1 ENOENT (No such file or directory)');
    expect(r.errno).toBe('ENOENT');
    expect(r.retval).toBe(-2n);
    expect(strace('close', [-1], -9)).toBe('close(-1) = -1 EBADF (Bad file descriptor)');
  });

  it('paths are not cut by -s; other strings are', () => {
    const long = `/${'a'.repeat(60)}`;
    const mem = new GuestMemory().str(P, long);
    expect(strace('chdir', [P], 0, { mem: mem.read })).toBe(`chdir("${long}") = 0`);
    expect(strace('unlinkat', [AT_FDCWD, P, 0x200], 0, { mem: mem.read })).toBe(`unlinkat(AT_FDCWD, "${long}", AT_REMOVEDIR) = 0`);
    expect(strace('memfd_create', [P, 1], 3, { mem: mem.read, strsize: 8 })).toBe('memfd_create("/aaaaaaa"..., MFD_CLOEXEC) = 3');
  });

  it('faccessat, mkdirat, fchmodat, mknodat, renameat2, symlinkat', () => {
    const mem = new GuestMemory().str(P, '/etc/ld.so.preload').str(Q, 'sc_f');
    expect(strace('faccessat', [AT_FDCWD, P, 4], -2, { mem: mem.read })).toBe('faccessat(AT_FDCWD, "/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)');
    expect(strace('faccessat', [AT_FDCWD, P, 0], 0, { mem: mem.read })).toBe('faccessat(AT_FDCWD, "/etc/ld.so.preload", F_OK) = 0');
    expect(strace('mkdirat', [AT_FDCWD, Q, 0o777], -17, { mem: mem.read })).toBe('mkdirat(AT_FDCWD, "sc_f", 0777) = -1 EEXIST (File exists)');
    expect(strace('fchmodat', [AT_FDCWD, Q, 0o600], 0, { mem: mem.read })).toBe('fchmodat(AT_FDCWD, "sc_f", 0600) = 0');
    expect(strace('mknodat', [AT_FDCWD, Q, 0o10666, 0], 0, { mem: mem.read })).toBe('mknodat(AT_FDCWD, "sc_f", S_IFIFO|0666) = 0');
    expect(strace('mknodat', [AT_FDCWD, Q, 0o20620, 0x8801], 0, { mem: mem.read })).toBe('mknodat(AT_FDCWD, "sc_f", S_IFCHR|0620, makedev(0x88, 0x1)) = 0');
    expect(strace('renameat2', [AT_FDCWD, P, AT_FDCWD, Q, 1], 0, { mem: mem.read })).toBe('renameat2(AT_FDCWD, "/etc/ld.so.preload", AT_FDCWD, "sc_f", RENAME_NOREPLACE) = 0');
    expect(strace('symlinkat', [P, 3, Q], 0, { mem: mem.read })).toBe('symlinkat("/etc/ld.so.preload", 3, "sc_f") = 0');
  });

  it('lseek, dup3, pipe2 fds at return, umask in octal', () => {
    expect(strace('lseek', [3, -60, 1], 54)).toBe('lseek(3, -60, SEEK_CUR) = 54');
    expect(strace('dup3', [4, 1, 0], 1)).toBe('dup3(4, 1, 0) = 1');
    expect(strace('dup3', [4, 1, 0o2000000], 1)).toBe('dup3(4, 1, O_CLOEXEC) = 1');
    const before = new GuestMemory().zero(BUF, 8);
    const after = new GuestMemory().u32(BUF, 3, 4);
    expect(strace('pipe2', [BUF, 0], 0, { mem: before.read, after: after.read })).toBe('pipe2([3, 4], 0) = 0');
    expect(strace('pipe2', [BUF, 0o2000000], -24, { mem: before.read })).toBe('pipe2(0x40010000, O_CLOEXEC) = -1 EMFILE (Too many open files)');
    expect(strace('umask', [0o22], 0)).toBe('umask(022) = 000');
  });
});

describe('read and write data', () => {
  it('write data at entry, cut at -s', () => {
    const mem = new GuestMemory().put(BUF, 'cannot access \'/nonexistent\'').put(Q, 'ls: ');
    expect(strace('write', [2, Q, 4], 4, { mem: mem.read })).toBe('write(2, "ls: ", 4) = 4');
    expect(strace('write', [2, BUF, 28], 28, { mem: mem.read, strsize: 10 })).toBe('write(2, "cannot acc"..., 28) = 28');
  });

  it('read data at return, as much as was read', () => {
    const before = new GuestMemory().zero(BUF, 4096);
    const after = new GuestMemory().put(BUF, 'root:x:0:0:root:/root:/bin/bash\nx');
    expect(strace('read', [3, BUF, 4096], 1271, { mem: before.read, after: after.read })).toBe('read(3, "root:x:0:0:root:/root:/bin/bash\\n"..., 4096) = 1271');
    expect(strace('read', [3, BUF, 4096], 0, { mem: before.read, after: after.read })).toBe('read(3, "", 4096) = 0');
    expect(strace('read', [0, BUF, 4096], -11, { mem: before.read })).toBe('read(0, 0x40010000, 4096) = -1 EAGAIN (Resource temporarily unavailable)');
  });

  it('pread64, writev and readv', () => {
    const mem = new GuestMemory().put(BUF, 'hello').put(BUF + 16n, '\n').u64(Q, BUF, 5n, BUF + 16n, 1n);
    expect(strace('writev', [1, Q, 2], 6, { mem: mem.read })).toBe('writev(1, [{iov_base="hello", iov_len=5}, {iov_base="\\n", iov_len=1}], 2) = 6');
    expect(strace('readv', [0, Q, 2], 3, { mem: mem.read })).toBe('readv(0, [{iov_base="hel", iov_len=5}, {iov_base="", iov_len=1}], 2) = 3');
    expect(strace('pwrite64', [3, BUF, 5, 64], 5, { mem: mem.read })).toBe('pwrite64(3, "hello", 5, 64) = 5');
  });

  it('readlinkat, getcwd, getrandom', () => {
    const mem = new GuestMemory().str(P, '/proc/self/exe').put(BUF, '/bin/busybox').str(Q, '/root');
    expect(strace('readlinkat', [AT_FDCWD, P, BUF, 4096], 12, { mem: mem.read })).toBe('readlinkat(AT_FDCWD, "/proc/self/exe", "/bin/busybox", 4096) = 12');
    expect(strace('getcwd', [Q, 4096], 6, { mem: mem.read })).toBe('getcwd("/root", 4096) = 6');
    const rnd = new GuestMemory().put(BUF, Uint8Array.of(0x2c, 0x7b, 0x53, 0x34, 0x65, 0x60, 0x25, 0x34));
    expect(strace('getrandom', [BUF, 8, 1], 8, { mem: rnd.read })).toBe('getrandom("\\x2c\\x7b\\x53\\x34\\x65\\x60\\x25\\x34", 8, GRND_NONBLOCK) = 8');
  });

  it('sendfile prints its offset in and out', () => {
    const before = new GuestMemory().u64(BUF, 0n);
    const after = new GuestMemory().u64(BUF, 6n);
    expect(strace('sendfile', [1, 3, 0, 16777216], 6)).toBe('sendfile(1, 3, NULL, 16777216) = 6');
    expect(strace('sendfile', [1, 3, BUF, 100], 6, { mem: before.read, after: after.read })).toBe('sendfile(1, 3, [0] => [6], 100) = 6');
  });
});

describe('stat, statx, getdents64', () => {
  const stat = (mode: number, size: bigint, rdev = 0n) => {
    const b = new GuestMemory().zero(BUF, 128);
    return b.u32(BUF + 16n, mode).u64(BUF + 32n, rdev).u64(BUF + 48n, size);
  };

  it('newfstatat and fstat fill struct stat at return', () => {
    const path = new GuestMemory().str(P, '/tmp');
    const after = stat(0o41777, 4096n).str(P, '/tmp');
    expect(strace('newfstatat', [AT_FDCWD, P, BUF, 0], 0, { mem: path.read, after: after.read })).toBe('newfstatat(AT_FDCWD, "/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}, 0) = 0');
    const tty = stat(0o20666, 0n, 0x103n).str(P, '');
    expect(strace('newfstatat', [1, P, BUF, 0x1000], 0, { mem: tty.read })).toBe('newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0');
    expect(strace('fstat', [3, BUF], 0, { mem: stat(0o100644, 39039n).read })).toBe('fstat(3, {st_mode=S_IFREG|0644, st_size=39039, ...}) = 0');
    expect(strace('newfstatat', [AT_FDCWD, P, 0x7ffd5901d2e0n, 0], -2, { mem: path.read })).toBe('newfstatat(AT_FDCWD, "/tmp", 0x7ffd5901d2e0, 0) = -1 ENOENT (No such file or directory)');
  });

  it('statx flags, mask and the abbreviated struct', () => {
    const after = new GuestMemory().str(P, '/etc/hostname').zero(BUF, 256).u32(BUF, 0x17ff).put(BUF + 28n, Uint8Array.of(0xed, 0x81)).u64(BUF + 40n, 3n);
    expect(strace('statx', [AT_FDCWD, P, 0x900, 0x25e, BUF], 0, { mem: after.read })).toBe(
      'statx(AT_FDCWD, "/etc/hostname", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT, STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_MTIME|STATX_SIZE, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0755, stx_size=3, ...}) = 0',
    );
  });

  it('getdents64 counts entries', () => {
    const m = new GuestMemory().zero(BUF, 72);
    for (const [off, len] of [[0, 24], [24, 24], [48, 24]]) m.put(BUF + BigInt(off) + 16n, Uint8Array.of(len, 0));
    expect(strace('getdents64', [3, BUF, 32768], 72, { mem: m.read })).toBe('getdents64(3, 0x40010000 /* 3 entries */, 32768) = 72');
    expect(strace('getdents64', [3, BUF, 32768], 0, { mem: m.read })).toBe('getdents64(3, 0x40010000 /* 0 entries */, 32768) = 0');
  });
});

describe('fcntl and ioctl', () => {
  it('fcntl commands, arguments and decoded returns', () => {
    expect(strace('fcntl', [1, 0, 10], 11)).toBe('fcntl(1, F_DUPFD, 10) = 11');
    expect(strace('fcntl', [11, 2, 1], 0)).toBe('fcntl(11, F_SETFD, FD_CLOEXEC) = 0');
    expect(strace('fcntl', [4, 3, 0], 0o100002)).toBe('fcntl(4, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)');
    expect(strace('fcntl', [4, 1], 1)).toBe('fcntl(4, F_GETFD) = 0x1 (flags FD_CLOEXEC)');
    expect(strace('fcntl', [4, 4, 0o4002], 0)).toBe('fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0');
    expect(strace('fcntl', [4, 999, 5], -22)).toBe('fcntl(4, 0x3e7 /* F_??? */, 0x5) = -1 EINVAL (Invalid argument)');
  });

  it('terminal ioctls: termios and winsize at return, the pointer on failure', () => {
    expect(strace('ioctl', [1, 0x5401, 0x7ffcb02ff470n], -25)).toBe('ioctl(1, TCGETS, 0x7ffcb02ff470) = -1 ENOTTY (Inappropriate ioctl for device)');
    const t = new GuestMemory().u32(BUF, 0o2400, 0o5, 0o277, 0o105073).zero(BUF + 16n, 20);
    expect(strace('ioctl', [0, 0x5401, BUF], 0, { mem: t.read })).toBe(
      'ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0',
    );
    const w = new GuestMemory().put(BUF, Uint8Array.of(24, 0, 80, 0, 0, 0, 0, 0));
    expect(strace('ioctl', [1, 0x5413, BUF], 0, { mem: w.read })).toBe('ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0');
    const pg = new GuestMemory().u32(BUF, 42);
    expect(strace('ioctl', [10, 0x5410, BUF], 0, { mem: pg.read })).toBe('ioctl(10, TIOCSPGRP, [42]) = 0');
    expect(strace('ioctl', [10, 0x540f, BUF], 0, { mem: pg.read })).toBe('ioctl(10, TIOCGPGRP, [42]) = 0');
    expect(strace('ioctl', [0, 0x540e, 1], 0)).toBe('ioctl(0, TIOCSCTTY, 1) = 0');
    expect(strace('ioctl', [0, 0x5422, 0], 0)).toBe('ioctl(0, TIOCNOTTY) = 0');
    expect(strace('ioctl', [0, 0x541e, BUF], -25)).toBe('ioctl(0, TIOCGSERIAL, 0x40010000) = -1 ENOTTY (Inappropriate ioctl for device)');
    expect(strace('ioctl', [3, 0xc0105500n, 0], -25)).toBe('ioctl(3, _IOC(_IOC_READ|_IOC_WRITE, 0x55, 0, 0x10), 0) = -1 ENOTTY (Inappropriate ioctl for device)');
  });
});

describe('mounts and file systems', () => {
  it('mount, umount2, statfs', () => {
    const m = new GuestMemory().str(P, 'proc').str(Q, '/proc').str(BUF, 'mode=1777');
    expect(strace('mount', [P, Q, P, 0, 0], 0, { mem: m.read })).toBe('mount("proc", "/proc", "proc", 0, NULL) = 0');
    expect(strace('mount', [P, Q, P, 0x0e, BUF], 0, { mem: m.read })).toBe('mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, "mode=1777") = 0');
    expect(strace('umount2', [Q, 2], 0, { mem: m.read })).toBe('umount2("/proc", MNT_DETACH) = 0');
  });
});
