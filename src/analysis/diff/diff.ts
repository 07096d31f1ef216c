// The diff of two executions (docs/design.md 5): their syscall traces split
// per process, processes paired by their place in the fork tree (the n-th
// child a paired parent forked, so pids may differ), each pair's calls
// normalised (normalize.ts) and aligned (align.ts); every stretch that
// differs is a divergence, with the ticks of both sides so a viewer can seek
// to either. Two recordings are equivalent when no process has one.
import type { TracedCall } from '../dimensions/syscalls.ts';
import { alignSequences } from './align.ts';
import { normalizedCall } from './normalize.ts';

/** One process's calls in one recording. */
export interface ProcessTrace {
  /** Its place in the fork tree: a first process's name ("init"), then "/n" per generation (the parent's n-th child). */
  key: string;
  pid: number;
  comm: string;
  calls: TracedCall[];
  texts: string[];
}

export interface Divergence {
  key: string;
  /** The process on each side, named as it was there (null: it exists on one side only). */
  a: { pid: number; comm: string } | null;
  b: { pid: number; comm: string } | null;
  /** The differing calls: a.calls[aStart, aEnd) where b has b.calls[bStart, bEnd) (indices into each process's calls). */
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
  /** Where it starts on each side: the first differing call's entry tick, or, where that side has none, the tick of the call that follows (the last call's when none follows). */
  aTick: bigint | null;
  bTick: bigint | null;
}

export interface TraceDiff {
  equivalent: boolean;
  /** Every divergence, earliest first (by A's tick, then B's). */
  divergences: Divergence[];
  processes: { a: number; b: number; paired: number; differing: number; onlyA: number; onlyB: number };
  calls: { a: number; b: number };
  /** The per-process traces, by key, for showing context. */
  a: Map<string, ProcessTrace>;
  b: Map<string, ProcessTrace>;
}

const FORKS = new Set(['clone', 'clone3']);
const CLONE_THREAD = 'CLONE_THREAD';
const UNKNOWN = { pid: -1, ppid: 0, comm: 'unknown task', tid: -1 };

/** The calls of a trace, per process, keyed by place in the fork tree. */
export function processTraces(calls: readonly TracedCall[]): Map<string, ProcessTrace> {
  const byPid = new Map<number, { pid: number; ppid: number; comm: string; calls: TracedCall[] }>();
  const children = new Map<number, number[]>();
  for (const c of calls) {
    // Without an OS profile every call is one unknown task's: the traces are compared whole.
    const who = c.who ?? UNKNOWN;
    let p = byPid.get(who.pid);
    if (!p) byPid.set(who.pid, (p = { pid: who.pid, ppid: who.ppid, comm: who.comm, calls: [] }));
    p.calls.push(c);
    // A fork's child, in the order the parent made them (threads belong to their process).
    if (FORKS.has(c.record.name) && c.record.retval !== null && c.record.retval > 0n && !c.record.args.some((a) => a.includes(CLONE_THREAD))) {
      const list = children.get(who.pid) ?? [];
      list.push(Number(c.record.retval));
      children.set(who.pid, list);
    }
  }
  const keys = new Map<number, string>();
  const roots = new Map<string, number>();
  const keyOf = (pid: number, seen = new Set<number>()): string => {
    const known = keys.get(pid);
    if (known) return known;
    const p = byPid.get(pid)!;
    const parent = byPid.get(p.ppid);
    const n = parent ? (children.get(parent.pid) ?? []).indexOf(pid) : -1;
    let key: string;
    if (parent && n >= 0 && !seen.has(pid)) {
      key = `${keyOf(parent.pid, seen.add(pid))}/${n}`;
    } else {
      // A process whose fork the trace does not show (init, the kernel's helpers): its first name, and which of that name.
      const k = roots.get(p.comm) ?? 0;
      roots.set(p.comm, k + 1);
      key = k === 0 ? p.comm : `${p.comm}#${k}`;
    }
    keys.set(pid, key);
    return key;
  };
  // Ids as places in the tree: a process by its key, another thread of it by its key and its rank among them.
  const names = new Map<number, string>();
  for (const p of byPid.values()) {
    names.set(p.pid, `<${keyOf(p.pid)}>`);
    const tids = [...new Set(p.calls.map((c) => c.who?.tid ?? p.pid))].filter((t) => t !== p.pid);
    tids.forEach((t, i) => names.set(t, `<${keyOf(p.pid)}.${i + 1}>`));
  }
  const pidName = (pid: number) => names.get(pid);
  const out = new Map<string, ProcessTrace>();
  for (const p of byPid.values()) out.set(keyOf(p.pid), { key: keyOf(p.pid), pid: p.pid, comm: p.comm, calls: p.calls, texts: p.calls.map((c) => normalizedCall(c, pidName)) });
  return out;
}

/** What differs in a divergence, in words: "2 calls in A where B has 3 calls", "a process only B has (5 calls)". */
export function divergenceText(d: Divergence): string {
  const count = (n: number) => `${n} call${n === 1 ? '' : 's'}`;
  return !d.a ? `a process only B has (${count(d.bEnd)})` : !d.b ? `a process only A has (${count(d.aEnd)})` : `${count(d.aEnd - d.aStart)} in A where B has ${count(d.bEnd - d.bStart)}`;
}

/** The tick where a stretch [start, end) of `calls` begins, or where it would be when empty. */
function tickAt(calls: readonly TracedCall[], start: number): bigint | null {
  return (calls[start] ?? calls[calls.length - 1])?.tick ?? null;
}

function earliest(a: Divergence, b: Divergence): number {
  const ta = a.aTick ?? a.bTick ?? 0n;
  const tb = b.aTick ?? b.bTick ?? 0n;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ua = a.bTick ?? 0n;
  const ub = b.bTick ?? 0n;
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

export function diffTraces(callsA: readonly TracedCall[], callsB: readonly TracedCall[]): TraceDiff {
  const a = processTraces(callsA);
  const b = processTraces(callsB);
  const divergences: Divergence[] = [];
  let paired = 0;
  let differing = 0;
  let onlyA = 0;
  let onlyB = 0;
  /** The process as it was named where the stretch starts (an exec or a rename may have changed it since its first call). */
  const id = (p: ProcessTrace, at = 0) => ({ pid: p.pid, comm: (p.calls[at] ?? p.calls[p.calls.length - 1])?.who?.comm ?? p.comm });
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const pa = a.get(key);
    const pb = b.get(key);
    if (!pa || !pb) {
      const p = (pa ?? pb)!;
      if (pa) onlyA++;
      else onlyB++;
      divergences.push({ key, a: pa ? id(pa) : null, b: pb ? id(pb) : null, aStart: 0, aEnd: pa?.calls.length ?? 0, bStart: 0, bEnd: pb?.calls.length ?? 0, aTick: pa ? p.calls[0].tick : null, bTick: pb ? p.calls[0].tick : null });
      continue;
    }
    paired++;
    const hunks = alignSequences(pa.texts, pb.texts);
    if (hunks.length > 0) differing++;
    for (const h of hunks) divergences.push({ key, a: id(pa, h.aStart), b: id(pb, h.bStart), ...h, aTick: tickAt(pa.calls, h.aStart), bTick: tickAt(pb.calls, h.bStart) });
  }
  divergences.sort(earliest);
  return {
    equivalent: divergences.length === 0,
    divergences,
    processes: { a: a.size, b: b.size, paired, differing, onlyA, onlyB },
    calls: { a: callsA.length, b: callsB.length },
    a,
    b,
  };
}
