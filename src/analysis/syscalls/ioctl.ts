// ioctl requests: the names of the common ones (asm-generic/ioctls.h and a
// few driver families BusyBox uses), unknown ones as _IOC(dir, type, nr,
// size), and the terminal ones' arguments (termios, winsize, ints) decoded as
// strace's term.c does.
import { flags, lookup, xlat, xval } from './xlat.ts';
import { hex, int, ptr, uint } from './format.ts';
import type { Mem } from './memory.ts';

export const IOCTL_NAMES = xlat({
  TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404, TCGETA: 0x5405, TCSETA: 0x5406,
  TCSETAW: 0x5407, TCSETAF: 0x5408, TCSBRK: 0x5409, TCXONC: 0x540a, TCFLSH: 0x540b, TIOCEXCL: 0x540c,
  TIOCNXCL: 0x540d, TIOCSCTTY: 0x540e, TIOCGPGRP: 0x540f, TIOCSPGRP: 0x5410, TIOCOUTQ: 0x5411, TIOCSTI: 0x5412,
  TIOCGWINSZ: 0x5413, TIOCSWINSZ: 0x5414, TIOCMGET: 0x5415, TIOCMBIS: 0x5416, TIOCMBIC: 0x5417,
  TIOCMSET: 0x5418, TIOCGSOFTCAR: 0x5419, TIOCSSOFTCAR: 0x541a, FIONREAD: 0x541b, TIOCLINUX: 0x541c,
  TIOCCONS: 0x541d, TIOCGSERIAL: 0x541e, TIOCSSERIAL: 0x541f, TIOCPKT: 0x5420, FIONBIO: 0x5421,
  TIOCNOTTY: 0x5422, TIOCSETD: 0x5423, TIOCGETD: 0x5424, TCSBRKP: 0x5425, TIOCSBRK: 0x5427, TIOCCBRK: 0x5428,
  TIOCGSID: 0x5429, TCGETS2: 0x802c542a, TCSETS2: 0x402c542b, TCSETSW2: 0x402c542c, TCSETSF2: 0x402c542d,
  TIOCGRS485: 0x542e, TIOCSRS485: 0x542f, TIOCGPTN: 0x80045430, TIOCSPTLCK: 0x40045431, TIOCGDEV: 0x80045432,
  TCGETX: 0x5432, TCSETX: 0x5433, TCSETXF: 0x5434, TCSETXW: 0x5435, TIOCSIG: 0x40045436, TIOCVHANGUP: 0x5437,
  TIOCGPKT: 0x80045438, TIOCGPTLCK: 0x80045439, TIOCGEXCL: 0x80045440, TIOCGPTPEER: 0x5441,
  FIONCLEX: 0x5450, FIOCLEX: 0x5451, FIOASYNC: 0x5452, TIOCSERCONFIG: 0x5453, TIOCSERGWILD: 0x5454,
  TIOCSERSWILD: 0x5455, TIOCGLCKTRMIOS: 0x5456, TIOCSLCKTRMIOS: 0x5457, TIOCSERGSTRUCT: 0x5458,
  TIOCSERGETLSR: 0x5459, TIOCSERGETMULTI: 0x545a, TIOCSERSETMULTI: 0x545b, TIOCMIWAIT: 0x545c,
  TIOCGICOUNT: 0x545d, FIOQSIZE: 0x5460,
  // Virtual terminals and the keyboard (linux/vt.h, linux/kd.h: BusyBox cttyhack, openvt, chvt, loadkmap).
  VT_OPENQRY: 0x5600, VT_GETMODE: 0x5601, VT_SETMODE: 0x5602, VT_GETSTATE: 0x5603, VT_SENDSIG: 0x5604,
  VT_RELDISP: 0x5605, VT_ACTIVATE: 0x5606, VT_WAITACTIVE: 0x5607, VT_DISALLOCATE: 0x5608,
  KDGKBTYPE: 0x4b33, KDSETMODE: 0x4b3a, KDGETMODE: 0x4b3b, KDGKBMODE: 0x4b44, KDSKBMODE: 0x4b45, KDSKBENT: 0x4b47,
  // Block devices and loop (linux/fs.h, linux/loop.h: mount, losetup, blockdev, fdisk).
  BLKROSET: 0x125d, BLKROGET: 0x125e, BLKRRPART: 0x125f, BLKGETSIZE: 0x1260, BLKFLSBUF: 0x1261,
  BLKSSZGET: 0x1268, BLKBSZGET: 0x80081270, BLKGETSIZE64: 0x80081272,
  LOOP_SET_FD: 0x4c00, LOOP_CLR_FD: 0x4c01, LOOP_SET_STATUS: 0x4c02, LOOP_GET_STATUS: 0x4c03,
  LOOP_SET_STATUS64: 0x4c04, LOOP_GET_STATUS64: 0x4c05, LOOP_CHANGE_FD: 0x4c06, LOOP_SET_CAPACITY: 0x4c07,
  LOOP_CTL_ADD: 0x4c80, LOOP_CTL_REMOVE: 0x4c81, LOOP_CTL_GET_FREE: 0x4c82,
  // RTC (linux/rtc.h: hwclock) and network interfaces (linux/sockios.h: ifconfig, ip).
  RTC_RD_TIME: 0x80247009, RTC_SET_TIME: 0x4024700a,
  SIOCGIFNAME: 0x8910, SIOCGIFCONF: 0x8912, SIOCGIFFLAGS: 0x8913, SIOCSIFFLAGS: 0x8914, SIOCGIFADDR: 0x8915,
  SIOCSIFADDR: 0x8916, SIOCGIFNETMASK: 0x891b, SIOCSIFNETMASK: 0x891c, SIOCGIFMTU: 0x8921, SIOCSIFMTU: 0x8922,
  SIOCGIFHWADDR: 0x8927, SIOCGIFINDEX: 0x8933,
});

const IOC_DIRS = xlat({ _IOC_NONE: 0, _IOC_READ: 2, _IOC_WRITE: 1 });

/** The request as strace names it, else _IOC(dir, type, nr, size). */
export function ioctlRequest(req: bigint): string {
  const code = Number(BigInt.asUintN(32, req));
  const name = lookup(IOCTL_NAMES, code);
  if (name) return name;
  const dir = code >>> 30;
  return `_IOC(${flags(IOC_DIRS, dir, '_IOC_???')}, ${hex((code >>> 8) & 0xff)}, ${hex(code & 0xff)}, ${hex((code >>> 16) & 0x3fff)})`;
}

const I = xlat({
  IGNBRK: 0o1, BRKINT: 0o2, IGNPAR: 0o4, PARMRK: 0o10, INPCK: 0o20, ISTRIP: 0o40, INLCR: 0o100, IGNCR: 0o200,
  ICRNL: 0o400, IUCLC: 0o1000, IXON: 0o2000, IXANY: 0o4000, IXOFF: 0o10000, IMAXBEL: 0o20000, IUTF8: 0o40000,
});
const O = xlat({ OPOST: 0o1, OLCUC: 0o2, ONLCR: 0o4, OCRNL: 0o10, ONOCR: 0o20, ONLRET: 0o40, OFILL: 0o100, OFDEL: 0o200 });
const O_DELAYS: readonly (readonly [number, ReturnType<typeof xlat>, string])[] = [
  [0o400, xlat({ NL0: 0, NL1: 0o400 }), 'NL?'],
  [0o3000, xlat({ CR0: 0, CR1: 0o1000, CR2: 0o2000, CR3: 0o3000 }), 'CR?'],
  [0o14000, xlat({ XTABS: 0o14000, TAB0: 0, TAB1: 0o4000, TAB2: 0o10000 }), 'TAB?'],
  [0o20000, xlat({ BS1: 0o20000, BS0: 0 }), 'BS?'],
  [0o40000, xlat({ VT0: 0, VT1: 0o40000 }), 'VT?'],
  [0o100000, xlat({ FF0: 0, FF1: 0o100000 }), 'FF?'],
];
const C = xlat({
  CSTOPB: 0o100, CREAD: 0o200, PARENB: 0o400, PARODD: 0o1000, HUPCL: 0o2000, CLOCAL: 0o4000,
  CMSPAR: 0o10000000000, CRTSCTS: 0o20000000000,
});
const CSIZE = xlat({ CS5: 0, CS6: 0o20, CS7: 0o40, CS8: 0o60 });
const BAUDS = xlat({
  B0: 0, B50: 1, B75: 2, B110: 3, B134: 4, B150: 5, B200: 6, B300: 7, B600: 0o10, B1200: 0o11, B1800: 0o12,
  B2400: 0o13, B4800: 0o14, B9600: 0o15, B19200: 0o16, B38400: 0o17, B57600: 0o10001, B115200: 0o10002,
  B230400: 0o10003, B460800: 0o10004, B500000: 0o10005, B576000: 0o10006, B921600: 0o10007, B1000000: 0o10010,
  B1152000: 0o10011, B1500000: 0o10012, B2000000: 0o10013, B2500000: 0o10014, B3000000: 0o10015,
  B3500000: 0o10016, B4000000: 0o10017, BOTHER: 0o10000,
});
const L = xlat({
  ISIG: 0o1, ICANON: 0o2, XCASE: 0o4, ECHO: 0o10, ECHOE: 0o20, ECHOK: 0o40, ECHONL: 0o100, NOFLSH: 0o200,
  IEXTEN: 0o100000, ECHOCTL: 0o1000, ECHOPRT: 0o2000, ECHOKE: 0o4000, FLUSHO: 0o10000, PENDIN: 0o40000,
  TOSTOP: 0o400, EXTPROC: 0o200000,
});
const CBAUD = 0o10017;
const CIBAUD = 0o2003600000;

function oflag(v: number): string {
  const parts: string[] = [];
  for (const [mask, table, dflt] of O_DELAYS) {
    parts.push(xval(table, v & mask, dflt));
    v &= ~mask;
  }
  return `${parts.join('|')}|${flags(O, v >>> 0)}`;
}

function cflag(v: number): string {
  let s = `${xval(BAUDS, v & CBAUD, 'B???')}|`;
  if (v & CIBAUD) s += `${xval(BAUDS, (v & CIBAUD) >>> 16, 'B???')}<<IBSHIFT|`;
  s += `${xval(CSIZE, v & 0o60, 'CS?')}|`;
  return s + flags(C, (v & ~(CBAUD | CIBAUD | 0o60)) >>> 0);
}

/** struct termios (36 bytes, asm-generic/termbits.h), abbreviated as strace prints it by default. */
export function termios(mem: Mem, addr: bigint): string {
  const v = mem.view(addr, 36);
  if (!v) return ptr(addr);
  const f = (o: number) => v.getUint32(o, true);
  return `{c_iflag=${flags(I, f(0))}, c_oflag=${oflag(f(4))}, c_cflag=${cflag(f(8))}, c_lflag=${flags(L, f(12))}, ...}`;
}

export function winsize(mem: Mem, addr: bigint): string {
  const v = mem.view(addr, 8);
  if (!v) return ptr(addr);
  const f = (o: number) => v.getUint16(o, true);
  return `{ws_row=${f(0)}, ws_col=${f(2)}, ws_xpixel=${f(4)}, ws_ypixel=${f(6)}}`;
}

function intAt(mem: Mem, addr: bigint): string {
  const n = mem.i32(addr);
  return n === undefined ? ptr(addr) : `[${n}]`;
}

type Phase = 'enter' | 'exit';
/** How a request's argument prints: when (entry or return) and how; absent = hex at entry. */
const ARGS: Record<string, { at: Phase; print: (mem: Mem, arg: bigint) => string } | 'none'> = {};
const at = (phase: Phase, print: (mem: Mem, arg: bigint) => string, names: string[]) => {
  for (const n of names) ARGS[n] = { at: phase, print };
};
at('exit', termios, ['TCGETS', 'TIOCGLCKTRMIOS']);
at('enter', termios, ['TCSETS', 'TCSETSW', 'TCSETSF', 'TIOCSLCKTRMIOS']);
at('exit', winsize, ['TIOCGWINSZ']);
at('enter', winsize, ['TIOCSWINSZ']);
at('exit', intAt, ['TIOCGPGRP', 'TIOCGSID', 'TIOCGETD', 'TIOCGSOFTCAR', 'TIOCGPTN', 'FIONREAD', 'TIOCOUTQ', 'TIOCGEXCL', 'TIOCGDEV']);
at('enter', intAt, ['TIOCSPGRP', 'TIOCSETD', 'FIONBIO', 'FIOASYNC', 'TIOCPKT', 'TIOCSSOFTCAR', 'TIOCSPTLCK']);
at('enter', (_m, a) => int(a), ['TCSBRK', 'TCSBRKP', 'TIOCSCTTY']);
at('enter', (_m, a) => xval(xlat({ TCOOFF: 0, TCOON: 1, TCIOFF: 2, TCION: 3 }), a, 'TC???'), ['TCXONC']);
at('enter', (_m, a) => xval(xlat({ TCIFLUSH: 0, TCOFLUSH: 1, TCIOFLUSH: 2 }), a, 'TC???'), ['TCFLSH']);
at('enter', (_m, a) => uint(a), ['VT_ACTIVATE', 'VT_WAITACTIVE', 'VT_DISALLOCATE']);
for (const n of ['TIOCSBRK', 'TIOCCBRK', 'TIOCCONS', 'TIOCNOTTY', 'TIOCEXCL', 'TIOCNXCL', 'FIOCLEX', 'FIONCLEX', 'TIOCVHANGUP']) ARGS[n] = 'none';

/**
 * The third argument of ioctl(fd, req, arg): the text at `phase`, null when
 * it prints at the other phase, undefined when strace omits it.
 */
export function ioctlArg(mem: Mem, req: bigint, arg: bigint, phase: Phase, failed: boolean): string | null | undefined {
  const name = lookup(IOCTL_NAMES, BigInt.asUintN(32, req));
  const how = name === undefined ? undefined : ARGS[name];
  if (how === 'none') return undefined;
  if (!how) return phase === 'enter' ? hex(arg) : null;
  if (how.at !== phase) return null;
  return phase === 'exit' && failed ? ptr(arg) : how.print(mem, arg);
}
