// Syscall categories as the timeline colours them and the syscalls view
// filters them (issue 12): strace's trace classes, roughly (-e trace=%file
// and %desc together as file; %process, %memory, %network, %signal, %clock
// as time), everything else other. One table, by name.

export const CATEGORIES = ['file', 'process', 'memory', 'network', 'signal', 'time', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

const TABLE: Record<Exclude<Category, 'other'>, string> = {
  file: `openat openat2 close close_range read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2 lseek dup dup3 fcntl ioctl
    pipe2 newfstatat fstat statx statfs fstatfs getdents64 faccessat faccessat2 mkdirat mknodat unlinkat renameat2 linkat symlinkat readlinkat
    chdir fchdir getcwd chroot fchmod fchmodat fchown fchownat truncate ftruncate fallocate fsync fdatasync sync syncfs sync_file_range flock
    utimensat sendfile splice tee vmsplice copy_file_range readahead fadvise64 umask mount umount2 pivot_root name_to_handle_at open_by_handle_at
    getxattr lgetxattr fgetxattr setxattr lsetxattr fsetxattr listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr
    epoll_create1 epoll_ctl epoll_pwait epoll_pwait2 ppoll pselect6 eventfd2 inotify_init1 inotify_add_watch inotify_rm_watch memfd_create`,
  process: `clone clone3 execve execveat exit exit_group wait4 waitid getpid getppid gettid getpgid setpgid getsid setsid set_tid_address
    prctl unshare setns kcmp pidfd_open pidfd_getfd ptrace sched_yield sched_getaffinity sched_setaffinity getuid geteuid getgid getegid
    setuid setgid setresuid setresgid getresuid getresgid getgroups setgroups prlimit64 getrlimit setrlimit getrusage getpriority setpriority
    set_robust_list get_robust_list rseq futex futex_waitv uname sysinfo personality capget capset seccomp`,
  memory: `brk mmap munmap mremap mprotect madvise msync mincore mlock mlock2 munlock mlockall munlockall remap_file_pages membarrier
    process_madvise process_vm_readv process_vm_writev mbind get_mempolicy set_mempolicy migrate_pages move_pages memfd_secret
    pkey_alloc pkey_free pkey_mprotect shmat shmdt shmget shmctl riscv_flush_icache`,
  network: `socket socketpair bind listen accept accept4 connect getsockname getpeername sendto recvfrom setsockopt getsockopt shutdown
    sendmsg recvmsg sendmmsg recvmmsg`,
  signal: `kill tkill tgkill rt_sigaction rt_sigprocmask rt_sigpending rt_sigsuspend rt_sigtimedwait rt_sigqueueinfo rt_tgsigqueueinfo
    rt_sigreturn sigaltstack signalfd4 pidfd_send_signal restart_syscall`,
  time: `clock_gettime clock_settime clock_getres clock_nanosleep clock_adjtime nanosleep gettimeofday settimeofday adjtimex times
    getitimer setitimer timer_create timer_delete timer_gettime timer_settime timer_getoverrun timerfd_create timerfd_gettime timerfd_settime`,
};

const BY_NAME = new Map<string, Category>(Object.entries(TABLE).flatMap(([category, names]) => names.split(/\s+/).filter(Boolean).map((n) => [n, category as Category] as const)));

export function categoryOf(name: string): Category {
  return BY_NAME.get(name) ?? 'other';
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
