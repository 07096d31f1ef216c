// File and file-system constants of riscv64 Linux (asm-generic/fcntl.h,
// linux/stat.h, linux/fs.h, linux/mount.h, ...), in the order strace lists
// them (src/xlat/*.in), which is the order flags are printed in.
import { flags, xlat, xval } from './xlat.ts';
import { octal } from './format.ts';

export const O_CREAT = 0o100;
export const O_TMPFILE_BIT = 0o20000000;

export const OPEN_ACCESS = xlat({ O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_ACCMODE: 3 });

export const OPEN_MODE = xlat({
  O_CREAT: 0o100, O_EXCL: 0o200, O_NOCTTY: 0o400, O_TRUNC: 0o1000, O_APPEND: 0o2000, O_NONBLOCK: 0o4000,
  O_SYNC: 0o4010000, __O_SYNC: 0o4000000, O_DSYNC: 0o10000, O_DIRECT: 0o40000, O_LARGEFILE: 0o100000,
  O_NOFOLLOW: 0o400000, O_NOATIME: 0o1000000, O_CLOEXEC: 0o2000000, O_PATH: 0o10000000,
  O_TMPFILE: 0o20200000, __O_TMPFILE: 0o20000000, O_DIRECTORY: 0o200000, FASYNC: 0o20000,
});

/** strace tprint_open_modes(): the access mode, then the other flags ("O_RDONLY|O_CLOEXEC"). */
export function openFlags(value: bigint): string {
  const v = value & 0xffffffffn;
  const rest = v & ~3n;
  const access = xval(OPEN_ACCESS, v & 3n);
  return rest === 0n ? access : `${access}|${flags(OPEN_MODE, rest)}`;
}

export const AT_FDCWD = -100;

export const AT_FLAGS = xlat({
  AT_SYMLINK_NOFOLLOW: 0x100, AT_REMOVEDIR: 0x200, AT_SYMLINK_FOLLOW: 0x400, AT_NO_AUTOMOUNT: 0x800,
  AT_EMPTY_PATH: 0x1000, AT_RECURSIVE: 0x8000,
});
export const FACCESSAT_FLAGS = xlat({ AT_SYMLINK_NOFOLLOW: 0x100, AT_EACCESS: 0x200, AT_EMPTY_PATH: 0x1000 });
export const AT_STATX_SYNC = xlat({ AT_STATX_SYNC_AS_STAT: 0, AT_STATX_FORCE_SYNC: 0x2000, AT_STATX_DONT_SYNC: 0x4000 });

export const ACCESS_MODES = xlat({ F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 });
export const WHENCE = xlat({ SEEK_SET: 0, SEEK_CUR: 1, SEEK_END: 2, SEEK_DATA: 3, SEEK_HOLE: 4 });

export const S_IFMT = 0o170000;
export const S_IFCHR = 0o20000;
export const S_IFBLK = 0o60000;
const MODE_TYPES = xlat({
  S_IFREG: 0o100000, S_IFSOCK: 0o140000, S_IFIFO: 0o10000, S_IFLNK: 0o120000, S_IFDIR: 0o40000,
  S_IFBLK: 0o60000, S_IFCHR: 0o20000,
});

/** strace print_symbolic_mode_t(): "S_IFDIR|S_ISVTX|0777". */
export function symbolicMode(mode: number): string {
  const type = mode & S_IFMT;
  const name = type ? MODE_TYPES.byValue.get(BigInt(type)) : '';
  if (name === undefined) return octal(mode);
  const special = (mode & 0o4000 ? 'S_ISUID|' : '') + (mode & 0o2000 ? 'S_ISGID|' : '') + (mode & 0o1000 ? 'S_ISVTX|' : '');
  return `${name}${name ? '|' : ''}${special}${octal(mode & ~(S_IFMT | 0o7000))}`;
}

export const STATX_MASK = xlat({
  STATX_ALL: 0xfff, STATX_BASIC_STATS: 0x7ff, STATX_TYPE: 0x1, STATX_MODE: 0x2, STATX_NLINK: 0x4, STATX_UID: 0x8,
  STATX_GID: 0x10, STATX_ATIME: 0x20, STATX_MTIME: 0x40, STATX_CTIME: 0x80, STATX_INO: 0x100, STATX_SIZE: 0x200,
  STATX_BLOCKS: 0x400, STATX_BTIME: 0x800, STATX_MNT_ID: 0x1000, STATX_DIOALIGN: 0x2000,
});
export const STATX_ATTRS = xlat({
  STATX_ATTR_COMPRESSED: 0x4, STATX_ATTR_IMMUTABLE: 0x10, STATX_ATTR_APPEND: 0x20, STATX_ATTR_NODUMP: 0x40,
  STATX_ATTR_ENCRYPTED: 0x800, STATX_ATTR_AUTOMOUNT: 0x1000, STATX_ATTR_MOUNT_ROOT: 0x2000,
  STATX_ATTR_VERITY: 0x100000, STATX_ATTR_DAX: 0x200000,
});

/** statx's flags argument: the sync type, then the AT_* flags. */
export function statxFlags(v: bigint): string {
  const f = v & 0xffffffffn;
  const sync = flags(AT_STATX_SYNC, f & 0x6000n);
  const rest = f & ~0x6000n;
  return rest ? `${sync}|${flags(AT_FLAGS, rest)}` : sync;
}

export const FCNTL_CMDS = xlat({
  F_DUPFD: 0, F_GETFD: 1, F_SETFD: 2, F_GETFL: 3, F_SETFL: 4, F_GETLK: 5, F_SETLK: 6, F_SETLKW: 7, F_SETOWN: 8,
  F_GETOWN: 9, F_SETSIG: 10, F_GETSIG: 11, F_SETOWN_EX: 15, F_GETOWN_EX: 16, F_GETOWNER_UIDS: 17,
  F_OFD_GETLK: 36, F_OFD_SETLK: 37, F_OFD_SETLKW: 38, F_SETLEASE: 1024, F_GETLEASE: 1025, F_NOTIFY: 1026,
  F_CANCELLK: 1029, F_DUPFD_CLOEXEC: 1030, F_SETPIPE_SZ: 1031, F_GETPIPE_SZ: 1032, F_ADD_SEALS: 1033,
  F_GET_SEALS: 1034,
});
export const FD_FLAGS = xlat({ FD_CLOEXEC: 1 });
export const LOCK_TYPES = xlat({ F_RDLCK: 0, F_WRLCK: 1, F_UNLCK: 2, F_EXLCK: 4, F_SHLCK: 8 });
export const SEALS = xlat({ F_SEAL_SEAL: 1, F_SEAL_SHRINK: 2, F_SEAL_GROW: 4, F_SEAL_WRITE: 8, F_SEAL_FUTURE_WRITE: 0x10 });
export const NOTIFY_FLAGS = xlat({
  DN_ACCESS: 1, DN_MODIFY: 2, DN_CREATE: 4, DN_DELETE: 8, DN_RENAME: 0x10, DN_ATTRIB: 0x20, DN_MULTISHOT: 0x80000000,
});

export const FLOCK_OPS = xlat({ LOCK_SH: 1, LOCK_EX: 2, LOCK_NB: 4, LOCK_UN: 8, LOCK_MAND: 32, LOCK_RW: 192, LOCK_READ: 64, LOCK_WRITE: 128 });
export const FALLOC_FLAGS = xlat({
  FALLOC_FL_KEEP_SIZE: 1, FALLOC_FL_PUNCH_HOLE: 2, FALLOC_FL_NO_HIDE_STALE: 4, FALLOC_FL_COLLAPSE_RANGE: 8,
  FALLOC_FL_ZERO_RANGE: 0x10, FALLOC_FL_INSERT_RANGE: 0x20, FALLOC_FL_UNSHARE_RANGE: 0x40,
});
export const XATTR_FLAGS = xlat({ XATTR_CREATE: 1, XATTR_REPLACE: 2 });
export const RENAME_FLAGS = xlat({ RENAME_NOREPLACE: 1, RENAME_EXCHANGE: 2, RENAME_WHITEOUT: 4 });
export const FADVICE = xlat({
  POSIX_FADV_NORMAL: 0, POSIX_FADV_RANDOM: 1, POSIX_FADV_SEQUENTIAL: 2, POSIX_FADV_WILLNEED: 3,
  POSIX_FADV_DONTNEED: 4, POSIX_FADV_NOREUSE: 5,
});
export const SYNC_FILE_RANGE = xlat({ SYNC_FILE_RANGE_WAIT_BEFORE: 1, SYNC_FILE_RANGE_WRITE: 2, SYNC_FILE_RANGE_WAIT_AFTER: 4 });
export const SPLICE_FLAGS = xlat({ SPLICE_F_MOVE: 1, SPLICE_F_NONBLOCK: 2, SPLICE_F_MORE: 4, SPLICE_F_GIFT: 8 });
export const CLOSE_RANGE_FLAGS = xlat({ CLOSE_RANGE_UNSHARE: 2, CLOSE_RANGE_CLOEXEC: 4 });
export const MEMFD_FLAGS = xlat({ MFD_CLOEXEC: 1, MFD_ALLOW_SEALING: 2, MFD_HUGETLB: 4 });

export const MOUNT_FLAGS = xlat(Object.fromEntries(
  ['MS_RDONLY', 'MS_NOSUID', 'MS_NODEV', 'MS_NOEXEC', 'MS_SYNCHRONOUS', 'MS_REMOUNT', 'MS_MANDLOCK', 'MS_DIRSYNC',
    'MS_NOSYMFOLLOW', '', 'MS_NOATIME', 'MS_NODIRATIME', 'MS_BIND', 'MS_MOVE', 'MS_REC', 'MS_SILENT', 'MS_POSIXACL',
    'MS_UNBINDABLE', 'MS_PRIVATE', 'MS_SLAVE', 'MS_SHARED', 'MS_RELATIME', 'MS_KERNMOUNT', 'MS_I_VERSION',
    'MS_STRICTATIME', 'MS_LAZYTIME', 'MS_SUBMOUNT', 'MS_NOREMOTELOCK', 'MS_NOSEC', 'MS_BORN', 'MS_ACTIVE', 'MS_NOUSER']
    .map((name, bit) => [name, 2 ** bit] as const)
    .filter(([name]) => name),
));
export const MS_MGC_VAL = 0xc0ed0000n;
export const UMOUNT_FLAGS = xlat({ MNT_FORCE: 1, MNT_DETACH: 2, MNT_EXPIRE: 4, UMOUNT_NOFOLLOW: 8 });

export const INOTIFY_INIT = xlat({ IN_NONBLOCK: 0o4000, IN_CLOEXEC: 0o2000000 });
export const INOTIFY_MASK = xlat({
  IN_ACCESS: 0x1, IN_MODIFY: 0x2, IN_ATTRIB: 0x4, IN_CLOSE_WRITE: 0x8, IN_CLOSE_NOWRITE: 0x10, IN_OPEN: 0x20,
  IN_MOVED_FROM: 0x40, IN_MOVED_TO: 0x80, IN_CREATE: 0x100, IN_DELETE: 0x200, IN_DELETE_SELF: 0x400,
  IN_MOVE_SELF: 0x800, IN_UNMOUNT: 0x2000, IN_Q_OVERFLOW: 0x4000, IN_IGNORED: 0x8000, IN_ONLYDIR: 0x1000000,
  IN_DONT_FOLLOW: 0x2000000, IN_EXCL_UNLINK: 0x4000000, IN_MASK_CREATE: 0x10000000, IN_MASK_ADD: 0x20000000,
  IN_ISDIR: 0x40000000, IN_ONESHOT: 0x80000000,
});
export const EFD_FLAGS = xlat({ EFD_SEMAPHORE: 1, EFD_CLOEXEC: 0o2000000, EFD_NONBLOCK: 0o4000 });
export const SFD_FLAGS = xlat({ SFD_CLOEXEC: 0o2000000, SFD_NONBLOCK: 0o4000 });
export const EPOLL_FLAGS = xlat({ EPOLL_CLOEXEC: 0o2000000 });
export const EPOLL_CTLS = xlat({ EPOLL_CTL_ADD: 1, EPOLL_CTL_DEL: 2, EPOLL_CTL_MOD: 3 });
export const EPOLL_EVENTS = xlat({
  EPOLLIN: 0x1, EPOLLPRI: 0x2, EPOLLOUT: 0x4, EPOLLERR: 0x8, EPOLLHUP: 0x10, EPOLLNVAL: 0x20, EPOLLRDNORM: 0x40,
  EPOLLRDBAND: 0x80, EPOLLWRNORM: 0x100, EPOLLWRBAND: 0x200, EPOLLMSG: 0x400, EPOLLRDHUP: 0x2000,
  EPOLLEXCLUSIVE: 0x10000000, EPOLLWAKEUP: 0x20000000, EPOLLONESHOT: 0x40000000, EPOLLET: 0x80000000,
});
export const TFD_CREATE_FLAGS = xlat({ TFD_CLOEXEC: 0o2000000, TFD_NONBLOCK: 0o4000 });
export const TFD_SETTIME_FLAGS = xlat({ TFD_TIMER_ABSTIME: 1, TFD_TIMER_CANCEL_ON_SET: 2 });
export const POLL_EVENTS = xlat({
  POLLIN: 0x1, POLLPRI: 0x2, POLLOUT: 0x4, POLLERR: 0x8, POLLHUP: 0x10, POLLNVAL: 0x20, POLLRDNORM: 0x40,
  POLLRDBAND: 0x80, POLLWRNORM: 0x100, POLLWRBAND: 0x200, POLLMSG: 0x400, POLLREMOVE: 0x1000, POLLRDHUP: 0x2000,
});
