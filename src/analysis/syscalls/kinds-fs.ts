// Argument kinds for files, descriptors and file systems.
import { type ArgKind, type Ctx, flagsOf, retCount, value, xvalOf } from './kind.ts';
import { hex, int, octal, ptr } from './format.ts';
import { flags, xlat, xval } from './xlat.ts';
import { buf } from './strings.ts';
import { signal, sigsetAt } from './signals.ts';
import * as F from './flags-fs.ts';
import * as S from './structs.ts';
import { ioctlArg, ioctlRequest } from './ioctl.ts';

const FS_MAGIC = xlat({
  EXT2_SUPER_MAGIC: 0xef53, TMPFS_MAGIC: 0x01021994, PROC_SUPER_MAGIC: 0x9fa0, SYSFS_MAGIC: 0x62656572,
  DEVPTS_SUPER_MAGIC: 0x1cd1, RAMFS_MAGIC: 0x858458f6, DEBUGFS_MAGIC: 0x64626720, CGROUP2_SUPER_MAGIC: 0x63677270,
});
const ST_FLAGS = xlat({
  ST_RDONLY: 1, ST_NOSUID: 2, ST_NODEV: 4, ST_NOEXEC: 8, ST_SYNCHRONOUS: 16, ST_VALID: 32, ST_MANDLOCK: 64,
  ST_NOATIME: 1024, ST_NODIRATIME: 2048, ST_RELATIME: 4096,
});
const RESOLVE_FLAGS = xlat({
  RESOLVE_NO_XDEV: 1, RESOLVE_NO_MAGICLINKS: 2, RESOLVE_NO_SYMLINKS: 4, RESOLVE_BENEATH: 8, RESOLVE_IN_ROOT: 0x10,
  RESOLVE_CACHED: 0x20,
});

const statfs = (c: Ctx, addr: bigint) => S.struct(c.mem, addr, 120, (v) => {
  const u = (o: number) => v.getBigUint64(o, true);
  const counts = ['f_blocks', 'f_bfree', 'f_bavail', 'f_files', 'f_ffree'].map((n, k) => `${n}=${u(16 + 8 * k)}`).join(', ');
  const fsid = `{val=[${hex(v.getUint32(56, true))}, ${hex(v.getUint32(60, true))}]}`;
  return `{f_type=${xval(FS_MAGIC, u(0))}, f_bsize=${u(8)}, ${counts}, f_fsid=${fsid}, f_namelen=${u(64)}, f_frsize=${u(72)}, f_flags=${flags(ST_FLAGS, u(80), 'ST_???')}}`;
});

/** getdents64's buffer, abbreviated as strace does: the pointer and the number of entries. */
function dents(c: Ctx, addr: bigint): string {
  let len = retCount(c);
  if (BigInt(len) > BigInt.asUintN(32, c.args[2])) return ptr(addr);
  let at = addr;
  let n = 0;
  while (len >= 19) {
    const reclen = c.mem.view(at + 16n, 2)?.getUint16(0, true);
    if (reclen === undefined) break;
    n++;
    const step = Math.min(Math.max(reclen, 19), len);
    len -= step;
    at += BigInt(step);
  }
  return `${ptr(addr)} /* ${n}${len ? '+' : ''} entries */`;
}

/** struct iovec[count]: data printed up to each iov_len, and at return up to the bytes transferred. */
function iovecs(c: Ctx, addr: bigint, count: bigint): string {
  if (addr === 0n) return 'NULL';
  const n = Number(count > 1024n ? 1024n : count);
  const shown = Math.min(n, c.strsize);
  let left = c.exiting ? BigInt(retCount(c)) : -1n;
  const parts: string[] = [];
  for (let k = 0; k < shown; k++) {
    const v = c.mem.view(addr + BigInt(16 * k), 16);
    if (!v) return k === 0 ? ptr(addr) : `[${parts.join(', ')}, ... /* ${ptr(addr + BigInt(16 * k))} */]`;
    const base = v.getBigUint64(0, true);
    const len = v.getBigUint64(8, true);
    const data = left < 0n ? len : len < left ? len : left;
    if (left >= 0n) left -= data;
    parts.push(`{iov_base=${buf(c.mem, base, data, c.strsize)}, iov_len=${len}}`);
  }
  return `[${parts.join(', ')}${n > shown ? ', ...' : ''}]`;
}

function pollfds(c: Ctx, addr: bigint, count: bigint, revents: boolean): string {
  if (addr === 0n) return 'NULL';
  const n = Number(count > 1024n ? 1024n : count);
  const parts: string[] = [];
  for (let k = 0; k < n && parts.length < c.strsize; k++) {
    const v = c.mem.view(addr + BigInt(8 * k), 8);
    if (!v) return parts.length || k ? `[${parts.join(', ')}${parts.length ? ', ' : ''}...]` : ptr(addr);
    const fd = v.getInt32(0, true);
    const ev = v.getUint16(revents ? 6 : 4, true);
    if (revents && ev === 0) continue;
    parts.push(`{fd=${fd}, ${revents ? 'revents' : 'events'}=${flags(F.POLL_EVENTS, ev, 'POLL???')}}`);
  }
  return `[${parts.join(', ')}${!revents && n > c.strsize ? ', ...' : ''}]`;
}

/** The descriptors set in an fd_set covering `nfds` descriptors, or undefined if unreadable. */
function fdsetBits(c: Ctx, addr: bigint): number[] | undefined {
  const nfds = Math.min(Math.max(Number(BigInt.asIntN(32, c.args[0])), 0), 1 << 20);
  const size = ((Math.ceil(nfds / 8) + 7) & ~7);
  const b = c.mem.bytes(addr, size);
  if (!b) return undefined;
  const fds: number[] = [];
  for (let fd = 0; fd < nfds; fd++) if (b[fd >> 3] & (1 << (fd & 7))) fds.push(fd);
  return fds;
}

/** pselect6's return: the count, the ready descriptors per set and the time left (strace decode_select). */
export function selectReturn(c: Ctx): string {
  if (c.ret === 0n) return '0 (Timeout)';
  const parts: string[] = [];
  let ready = Number(c.ret);
  ['in', 'out', 'except'].forEach((name, k) => {
    const addr = c.args[k + 1];
    if (ready <= 0 || addr === 0n) return;
    const fds = fdsetBits(c, addr)?.slice(0, ready) ?? [];
    ready -= fds.length;
    if (fds.length) parts.push(`${name} [${fds.join(' ')}]`);
  });
  if (c.args[4] !== 0n) parts.push(`left ${S.timespec(c.mem, c.args[4])}`);
  return `${c.ret} (${parts.join(', ')})`;
}

/** ppoll's return: the count, and the descriptors that have events. */
export function pollReturn(c: Ctx): string {
  if (c.ret === 0n) return '0 (Timeout)';
  return `${c.ret} (${pollfds(c, c.args[0], c.args[1], true)})`;
}

function fcntlArg(c: Ctx, phase: 'enter' | 'exit'): string | null | undefined {
  const cmd = Number(BigInt.asUintN(32, c.args[1]));
  const arg = c.args[2];
  const name = F.FCNTL_CMDS.byValue.get(BigInt(cmd));
  const at = (text: () => string) => (phase === 'enter' ? text() : null);
  const lockType = (t: number) => xval(F.LOCK_TYPES, t, 'F_???');
  switch (name) {
    case 'F_SETFD': return at(() => flags(F.FD_FLAGS, arg, 'FD_???'));
    case 'F_SETOWN': case 'F_SETPIPE_SZ': case 'F_DUPFD': case 'F_DUPFD_CLOEXEC': return at(() => int(arg));
    case 'F_SETFL': return at(() => F.openFlags(arg));
    case 'F_SETLK': case 'F_SETLKW': case 'F_OFD_SETLK': case 'F_OFD_SETLKW':
      return at(() => S.flock(c.mem, arg, false, lockType));
    case 'F_NOTIFY': return at(() => flags(F.NOTIFY_FLAGS, arg, 'DN_???'));
    case 'F_SETLEASE': return at(() => xval(F.LOCK_TYPES, arg, 'F_???'));
    case 'F_ADD_SEALS': return at(() => flags(F.SEALS, arg, 'F_SEAL_???'));
    case 'F_SETSIG': return at(() => signal(arg));
    case 'F_GETLK': case 'F_OFD_GETLK':
      if (phase === 'enter') return null;
      return c.failed ? ptr(arg) : S.flock(c.mem, arg, true, lockType);
    case 'F_GETFD': case 'F_GETFL': case 'F_GETOWN': case 'F_GETSIG': case 'F_GETLEASE': case 'F_GET_SEALS':
    case 'F_GETPIPE_SZ':
      return undefined;
    default: return at(() => hex(arg));
  }
}

function mknodDev(c: Ctx, i: number): string | undefined {
  const type = Number(c.args[i - 1] & BigInt(F.S_IFMT));
  return type === F.S_IFCHR || type === F.S_IFBLK ? S.makedev(c.args[i]) : undefined;
}

export const FS_KINDS: Record<string, ArgKind> = {
  oflags: value(F.openFlags),
  /** open's mode: printed only with O_CREAT or O_TMPFILE in the flags (the argument before it). */
  openmode: value((v, c, i) => ((c.args[i - 1] & BigInt(F.O_CREAT | F.O_TMPFILE_BIT)) !== 0n ? octal(v & 0xffffn) : undefined)),
  /** O_* flags without an access mode (dup3, pipe2, userfaultfd). */
  omflags: flagsOf(F.OPEN_MODE, 'O_???'),
  atflags: flagsOf(F.AT_FLAGS, 'AT_???'),
  faccessflags: flagsOf(F.FACCESSAT_FLAGS, 'AT_???'),
  accmode: flagsOf(F.ACCESS_MODES, '?_OK'),
  whence: xvalOf(F.WHENCE, 'SEEK_???'),
  mknodmode: value((v) => F.symbolicMode(Number(v & 0xffffffffn))),
  mknoddev: value((_v, c, i) => mknodDev(c, i)),
  statxflags: value(F.statxFlags),
  statxmask: flagsOf(F.STATX_MASK, 'STATX_???'),
  stat: value((v, c) => S.stat(c.mem, v)),
  statx: value((v, c) => S.statx(c.mem, v)),
  statfs: value((v, c) => statfs(c, v)),
  dents: value((v, c) => dents(c, v)),
  /** struct iovec[@N]: written data at entry, read data at return. */
  iovec: value((v, c, _i, p) => iovecs(c, v, typeof p === 'number' ? c.args[p] : 0n)),
  pollfds: value((v, c, _i, p) => pollfds(c, v, typeof p === 'number' ? c.args[p] : 0n, false)),
  pipefds: value((v, c) => S.ints(c.mem, v, 2)),
  /** An fd_set of select: the descriptors below argument 0 that are set, "[0 3]". */
  fdset: value((v, c) => {
    if (v === 0n) return 'NULL';
    const fds = fdsetBits(c, v);
    return fds ? `[${fds.join(' ')}]` : ptr(v);
  }),
  /** pselect6's last argument: { const sigset_t *ss; size_t ss_len; }. */
  pselectmask: value((v, c) => S.struct(c.mem, v, 16, (d) =>
    `{sigmask=${sigsetAt(c.mem, d.getBigUint64(0, true), d.getBigUint64(8, true))}, sigsetsize=${d.getBigUint64(8, true)}}`)),
  fcntlcmd: xvalOf(F.FCNTL_CMDS, 'F_???'),
  fcntlarg: { enter: (c) => fcntlArg(c, 'enter'), exit: (c, _i, _p, entered) => (entered === null ? fcntlArg(c, 'exit') : entered) },
  ioctlreq: value(ioctlRequest),
  ioctlarg: {
    enter: (c) => ioctlArg(c.mem, c.args[1], c.args[2], 'enter', false),
    exit: (c, _i, _p, entered) => (entered === null ? ioctlArg(c.mem, c.args[1], c.args[2], 'exit', c.failed) ?? hex(c.args[2]) : entered),
  },
  flockop: flagsOf(F.FLOCK_OPS, 'LOCK_???'),
  fallocmode: flagsOf(F.FALLOC_FLAGS, 'FALLOC_FL_???'),
  xattrflags: flagsOf(F.XATTR_FLAGS, 'XATTR_???'),
  renameflags: flagsOf(F.RENAME_FLAGS, 'RENAME_???'),
  fadvice: xvalOf(F.FADVICE, 'POSIX_FADV_???'),
  syncfrflags: flagsOf(F.SYNC_FILE_RANGE, 'SYNC_FILE_RANGE_???'),
  spliceflags: flagsOf(F.SPLICE_FLAGS, 'SPLICE_F_???'),
  closerangeflags: flagsOf(F.CLOSE_RANGE_FLAGS, 'CLOSE_RANGE_???'),
  memfdflags: flagsOf(F.MEMFD_FLAGS, 'MFD_???'),
  /** mount's flags; the old magic number in the high half is printed by name (strace mount.c). */
  mountflags: value((v) => {
    const f = v & 0xffffffffn;
    if ((f & 0xffff0000n) !== F.MS_MGC_VAL) return flags(F.MOUNT_FLAGS, f, 'MS_???');
    const rest = f & 0xffffn;
    return rest ? `MS_MGC_VAL|${flags(F.MOUNT_FLAGS, rest, 'MS_???')}` : 'MS_MGC_VAL';
  }),
  umountflags: flagsOf(F.UMOUNT_FLAGS, 'MNT_???'),
  inotifyinit: flagsOf(F.INOTIFY_INIT, 'IN_???'),
  inotifymask: flagsOf(F.INOTIFY_MASK, 'IN_???'),
  efdflags: flagsOf(F.EFD_FLAGS, 'EFD_???'),
  sfdflags: flagsOf(F.SFD_FLAGS, 'SFD_???'),
  epollflags: flagsOf(F.EPOLL_FLAGS, 'EPOLL_???'),
  epollctl: xvalOf(F.EPOLL_CTLS, 'EPOLL_CTL_???'),
  epollevent: value((v, c) => S.struct(c.mem, v, 12, (d) =>
    `{events=${flags(F.EPOLL_EVENTS, d.getUint32(0, true), 'EPOLL???')}, data=${hex(d.getBigUint64(4, true))}}`)),
  tfdflags: flagsOf(F.TFD_CREATE_FLAGS, 'TFD_???'),
  tfdsetflags: flagsOf(F.TFD_SETTIME_FLAGS, 'TFD_???'),
  openhow: value((v, c, _i, p) =>
    (typeof p === 'number' && c.args[p] < 24n ? ptr(v) : S.openHow(c.mem, v, (r) => flags(RESOLVE_FLAGS, r, 'RESOLVE_???')))),
};
