// A syscall trace as people read it: strace's lines with the tick and the
// task in front, one JSON object per call for tools, filters by name and
// process, and strace -c's summary per syscall with ticks instead of seconds.
import type { TracedCall } from './dimensions/syscalls.ts';
import { SYSCALLS } from './syscalls/index.ts';

/** "1234 sh", or "unknown task" when the image gave no way to name it. */
export function taskLabel(c: TracedCall): string {
  return c.who ? `${c.who.pid} ${c.who.comm}` : 'unknown task';
}

/** The call as strace prints it, after "[tick] pid comm  ". */
export function callText(c: TracedCall): string {
  return `${c.record.name}(${c.record.args.join(', ')}) = ${c.record.ret}${c.note ? ` <${c.note}>` : ''}`;
}

/** `[tick] pid comm  openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3` */
export function callLine(c: TracedCall): string {
  return `[${c.tick}] ${taskLabel(c)}  ${callText(c)}`;
}

/** One call as plain JSON: ticks, numbers and addresses as decimal or hex strings. */
export interface CallJson {
  tick: string;
  endTick: string | null;
  pid: number | null;
  tid: number | null;
  comm: string | null;
  ppid: number | null;
  name: string;
  nr: number;
  args: string[];
  ret: string;
  errno: string | null;
  /** The raw result (a0, signed), decimal; null when the call did not return. */
  retval: string | null;
  pc: string;
  task: string;
  note: string | null;
}

export function callJson(c: TracedCall): CallJson {
  return {
    tick: c.tick.toString(),
    endTick: c.endTick === null ? null : c.endTick.toString(),
    pid: c.who?.pid ?? null,
    tid: c.who?.tid ?? null,
    comm: c.who?.comm ?? null,
    ppid: c.who?.ppid ?? null,
    name: c.record.name,
    nr: c.record.nr,
    args: c.record.args,
    ret: c.record.ret,
    errno: c.record.errno,
    retval: c.record.retval === null ? null : c.record.retval.toString(),
    pc: `0x${c.pc.toString(16)}`,
    task: `0x${c.task.toString(16)}`,
    note: c.note ?? null,
  };
}

export interface TraceFilter {
  /** Syscall names to keep (strace -e trace=...); all when absent. */
  names?: ReadonlySet<string>;
  /** Process or thread ids to keep (strace -p); all when absent. */
  pids?: ReadonlySet<number>;
}

export function filterCalls(calls: readonly TracedCall[], f: TraceFilter): TracedCall[] {
  return calls.filter((c) => (!f.names || f.names.has(c.record.name)) && (!f.pids || (c.who !== null && (f.pids.has(c.who.pid) || f.pids.has(c.who.tid)))));
}

/** Every syscall name of the table, for checking -e trace=... */
export const SYSCALL_NAMES: readonly string[] = [...new Set([...SYSCALLS.values()].map((s) => s.name))].sort();

export interface SummaryRow {
  name: string;
  calls: number;
  errors: number;
  /** Ticks from entry to return, summed over the calls that returned. */
  ticks: bigint;
}

/** strace -c: per syscall, most ticks first (then most calls, then by name). */
export function summarize(calls: readonly TracedCall[]): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const c of calls) {
    const row = rows.get(c.record.name) ?? { name: c.record.name, calls: 0, errors: 0, ticks: 0n };
    row.calls++;
    if (c.record.errno !== null) row.errors++;
    if (c.endTick !== null) row.ticks += c.endTick - c.tick;
    rows.set(c.record.name, row);
  }
  return [...rows.values()].sort((a, b) => (a.ticks === b.ticks ? b.calls - a.calls || (a.name < b.name ? -1 : 1) : a.ticks > b.ticks ? -1 : 1));
}

/** The summary as strace -c lays it out, with ticks for seconds. */
export function summaryTable(rows: readonly SummaryRow[]): string[] {
  const total = rows.reduce((t, r) => ({ calls: t.calls + r.calls, errors: t.errors + r.errors, ticks: t.ticks + r.ticks }), { calls: 0, errors: 0, ticks: 0n });
  const pct = (t: bigint) => (total.ticks === 0n ? '0.00' : (Number((t * 10000n) / total.ticks) / 100).toFixed(2));
  const line = (p: string, ticks: bigint, calls: number, errors: number, name: string) =>
    `${p.padStart(6)} ${ticks.toString().padStart(12)} ${(calls === 0 ? 0n : ticks / BigInt(calls)).toString().padStart(11)} ${String(calls).padStart(9)} ${(errors ? String(errors) : '').padStart(9)} ${name}`;
  const rule = '------ ------------ ----------- --------- --------- ----------------';
  return [
    '% ticks        ticks  ticks/call     calls    errors syscall',
    rule,
    ...rows.map((r) => line(pct(r.ticks), r.ticks, r.calls, r.errors, r.name)),
    rule,
    line('100.00', total.ticks, total.calls, total.errors, 'total'),
  ];
}
