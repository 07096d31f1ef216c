// Argument kinds for sockets and SysV IPC.
import { type ArgKind, type Ctx, flagsOf, value, xvalOf } from './kind.ts';
import { hex, int, octal, ptr, quote } from './format.ts';
import { flags, xval } from './xlat.ts';
import * as N from './flags-net.ts';

function ipv6(b: Uint8Array): string {
  const g = Array.from({ length: 8 }, (_, k) => (b[2 * k] << 8) | b[2 * k + 1]);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${b.slice(12).join('.')}`;
  let best = -1;
  let bestLen = 1;
  for (let k = 0; k < 8;) {
    let e = k;
    while (e < 8 && g[e] === 0) e++;
    if (e - k > bestLen) [best, bestLen] = [k, e - k];
    k = e > k ? e : k + 1;
  }
  const hexes = g.map((x) => x.toString(16));
  if (best < 0) return hexes.join(':');
  return `${hexes.slice(0, best).join(':')}::${hexes.slice(best + bestLen).join(':')}`;
}

/** struct sockaddr of `len` bytes as strace prints it (the common families; sa_data for the rest). */
export function sockaddr(c: Ctx, addr: bigint, len: number): string {
  if (addr === 0n) return 'NULL';
  if (len < 2) return ptr(addr);
  const b = c.mem.bytes(addr, Math.min(len, 128));
  if (!b) return ptr(addr);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const family = v.getUint16(0, true);
  const head = `{sa_family=${xval(N.ADDRESS_FAMILIES, family, 'AF_???', (x) => x.toString())}`;
  if (family === N.AF_UNIX) {
    const p = b.subarray(2);
    if (p.length === 0) return `${head}}`;
    if (p[0] === 0) return `${head}, sun_path=@${quote(p.subarray(1))}}`;
    const nul = p.indexOf(0);
    return `${head}, sun_path=${quote(nul < 0 ? p : p.subarray(0, nul))}}`;
  }
  if (family === N.AF_INET && b.length >= 8) {
    return `${head}, sin_port=htons(${v.getUint16(2, false)}), sin_addr=inet_addr("${b.slice(4, 8).join('.')}")}`;
  }
  if (family === N.AF_INET6 && b.length >= 24) {
    const scope = b.length >= 28 ? `, sin6_scope_id=${v.getUint32(24, true)}` : '';
    return `${head}, sin6_port=htons(${v.getUint16(2, false)}), sin6_flowinfo=htonl(${v.getUint32(4, false)}), inet_pton(AF_INET6, "${ipv6(b.subarray(8, 24))}", &sin6_addr)${scope}}`;
  }
  if (family === 16 && b.length >= 12) {
    return `${head}, nl_pid=${v.getInt32(4, true)}, nl_groups=${v.getUint32(8, true).toString(16).padStart(8, '0')}}`;
  }
  return `${head}, sa_data=${quote(b.subarray(2))}}`;
}

function sockType(v: bigint): string {
  const t = v & 0xffffffffn;
  const type = xval(N.SOCK_TYPES, t & 0xfn, 'SOCK_???');
  const rest = t & ~0xfn;
  return rest ? `${type}|${flags(N.SOCK_TYPE_FLAGS, rest, 'SOCK_???')}` : type;
}

function sockProtocol(c: Ctx, v: bigint): string {
  const family = Number(c.args[0] & 0xffffn);
  if (family === N.AF_INET || family === N.AF_INET6) return xval(N.IP_PROTOCOLS, BigInt.asUintN(32, v), 'IPPROTO_???');
  if (family === 16) return xval(N.NETLINK_PROTOCOLS, BigInt.asUintN(32, v), 'NETLINK_???');
  return int(v);
}

function ipcFlags(v: bigint): string {
  const f = v & 0xffffffffn;
  const named = f & ~0o777n;
  const mode = octal(f & 0o777n);
  return named ? `${flags(N.IPC_FLAGS, named, 'IPC_???')}|${mode}` : mode;
}

export const NET_KINDS: Record<string, ArgKind> = {
  af: value((v) => xval(N.ADDRESS_FAMILIES, BigInt.asUintN(32, v), 'AF_???', (x) => x.toString())),
  socktype: value(sockType),
  sockproto: value((v, c) => sockProtocol(c, v)),
  sockflags: flagsOf(N.SOCK_TYPE_FLAGS, 'SOCK_???'),
  msgflags: flagsOf(N.MSG_FLAGS, 'MSG_???'),
  shuthow: xvalOf(N.SHUTDOWN_HOW, 'SHUT_???'),
  sol: xvalOf(N.SOCKET_LEVELS, 'SOL_??'),
  sockopt: value((v, c) => (BigInt.asUintN(32, c.args[1]) === 1n ? xval(N.SOL_SOCKET_OPTIONS, BigInt.asUintN(32, v), 'SO_???') : int(v))),
  /** A sockaddr whose length is argument @N. */
  sockaddr: value((v, c, _i, p) => sockaddr(c, v, typeof p === 'number' ? Number(BigInt.asUintN(32, c.args[p])) : 0)),
  /** A sockaddr the kernel fills, its length in the socklen_t at argument @N (read at return). */
  sockaddrout: {
    exit: (c, i, p) => {
      const at = c.args[i];
      if (c.failed || at === 0n || typeof p !== 'number') return ptr(at);
      const len = c.mem.u32(c.args[p]);
      return len === undefined ? ptr(at) : sockaddr(c, at, len);
    },
  },
  /** socklen_t *, in and out: "[110]" at entry, "[110 => 16]" at return. */
  socklenp: {
    enter: (c, i) => {
      const n = c.args[i] === 0n ? undefined : c.mem.u32(c.args[i]);
      return c.args[i] === 0n ? 'NULL' : n === undefined ? ptr(c.args[i]) : `[${n}]`;
    },
    exit: (c, i, _p, entered) => {
      if (c.failed || c.args[i] === 0n || !entered?.startsWith('[')) return entered;
      const n = c.mem.u32(c.args[i]);
      return n === undefined || `[${n}]` === entered ? entered : `${entered.slice(0, -1)} => ${n}]`;
    },
  },
  fdpair: value((v, c) => {
    const b = c.mem.view(v, 8);
    return b ? `[${b.getInt32(0, true)}, ${b.getInt32(4, true)}]` : ptr(v);
  }),
  ipckey: value((v) => (BigInt.asUintN(32, v) === 0n ? 'IPC_PRIVATE' : hex(BigInt.asUintN(32, v)))),
  ipcflags: value(ipcFlags),
  ipccmd: xvalOf(N.IPC_CMDS, 'IPC_???'),
  shmflags: flagsOf(N.SHMAT_FLAGS, 'SHM_???'),
};
