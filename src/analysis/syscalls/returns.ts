// How a successful call's return value prints (strace's RVAL_* formats and
// the auxiliary "(...)" some calls add). Failures are handled in decode.ts.
import type { Ctx } from './kind.ts';
import { hex, octal } from './format.ts';
import { flags, lookup } from './xlat.ts';
import { signalName } from './signals.ts';
import { FCNTL_CMDS, FD_FLAGS, LOCK_TYPES, SEALS, openFlags } from './flags-fs.ts';
import { SCHED_POLICIES } from './flags-proc.ts';
import { pollReturn, selectReturn } from './kinds-fs.ts';

function fcntlReturn(c: Ctx): string {
  const r = c.ret;
  switch (lookup(FCNTL_CMDS, BigInt.asUintN(32, c.args[1]))) {
    case 'F_GETFL': return `${hex(r)} (flags ${openFlags(r)})`;
    case 'F_GETFD': return r === 0n ? '0' : `${hex(r)} (flags ${flags(FD_FLAGS, r)})`;
    case 'F_GET_SEALS': return r === 0n ? '0' : `${hex(r)} (seals ${flags(SEALS, r)})`;
    case 'F_GETLEASE': {
      const name = lookup(LOCK_TYPES, r);
      return name ? `${hex(r)} (${name})` : hex(r);
    }
    case 'F_GETSIG': return r === 0n ? '0' : `${r} (${signalName(Number(r)) ?? r})`;
    default: return r.toString();
  }
}

export const RETURNS: Record<string, (c: Ctx) => string> = {
  dec: (c) => c.ret.toString(),
  hex: (c) => hex(c.ret),
  octal: (c) => octal(BigInt.asUintN(32, c.ret)),
  fcntl: fcntlReturn,
  ppoll: pollReturn,
  pselect: selectReturn,
  /** rt_sigtimedwait: the signal's number and name. */
  signal: (c) => {
    const name = signalName(Number(c.ret));
    return name ? `${c.ret} (${name})` : c.ret.toString();
  },
  schedpolicy: (c) => {
    const name = lookup(SCHED_POLICIES, c.ret);
    return name ? `${c.ret} (${name})` : c.ret.toString();
  },
  /** Calls that do not return (exit, exit_group): strace prints "?". */
  none: () => '?',
};
