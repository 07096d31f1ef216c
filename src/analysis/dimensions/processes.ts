// The processes dimension (docs/design.md 5): which task ran when, and the
// life of every process: forks (with their parent), execs (with the new
// comm), exits and the parent's wait that reaped them.
//
// Which task ran when comes from the hook events: each syscall entry and each
// return to U-mode names its task, so consecutive events of one task make a
// run; a satp write between two tasks' events is where the switch happened.
// Forks, execs, renames and reaps are syscalls (clone, clone3; execve,
// execveat; prctl PR_SET_NAME; wait4), matched with their returns as the syscalls dimension does
// (linux/calls.ts), and stitched across slices the same way.
import type { AnalysisEvent, MachineView } from '../../shared/analysis.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { integerParams, type AnalysisEnv, type Dimension } from '../dimension.ts';
import { CallTracker, OpenCalls, outcome, type Entered } from '../linux/calls.ts';
import { currentUserTask, landing, readTask, type Landing, type TaskIdentity } from '../linux/kernel.ts';
import { enterSyscall, syscallName } from '../syscalls/index.ts';
import { decoderFingerprint } from './syscalls.ts';

/** A stretch of time one task was the one running in U-mode (with the kernel work on its behalf). */
export interface TaskRun {
  task: bigint;
  who: TaskIdentity | null;
  start: bigint;
  end: bigint;
}

export interface ForkEvent {
  /** The clone's entry and return ticks in the parent. */
  tick: bigint;
  endTick: bigint;
  parent: TaskIdentity | null;
  parentTask: bigint;
  /** The new task's id (the clone's result). */
  child: number;
  /** CLONE_THREAD: a thread of the parent's process, not a new process. */
  thread: boolean;
}

export interface ExecEvent {
  tick: bigint;
  endTick: bigint;
  task: bigint;
  /** The task after the exec: its comm is the new program's. */
  who: TaskIdentity | null;
  /** comm before the exec. */
  before: string | null;
  /** The path and argv as strace prints them. */
  path: string;
  argv: string;
}

export interface ExitEvent {
  tick: bigint;
  task: bigint;
  who: TaskIdentity | null;
  /** exit_group ends the process; exit one thread. */
  group: boolean;
  code: number;
}

/** prctl(PR_SET_NAME): a task renaming itself (busybox's applets do, after exec'ing /proc/self/exe). */
export interface RenameEvent {
  tick: bigint;
  task: bigint;
  /** The task with its new comm. */
  who: TaskIdentity | null;
}

/** A parent's wait4 that returned a child. */
export interface ReapEvent {
  tick: bigint;
  who: TaskIdentity | null;
  child: number;
  /** The wait status as the kernel wrote it, or null if it was not asked for or not readable. */
  status: number | null;
}

/** A task's first step in U-mode that no call of the recording opened: a new task (the child side of a fork). */
export interface StartEvent {
  tick: bigint;
  task: bigint;
  who: TaskIdentity | null;
}

interface Tracked {
  name: string;
  who: TaskIdentity | null;
  /** execve's path and argv, as strace prints them. */
  path?: string;
  argv?: string;
  /** A clone that makes a thread (CLONE_THREAD). */
  thread?: boolean;
}

/** A tracked call entered in a slice that had not returned by the slice's end. */
type OpenCall = Entered<Tracked>;

interface OrphanReturn {
  task: bigint;
  tick: bigint;
  /** The call it returns from (a7 as restored). */
  nr: number;
  land: Landing;
  frame: { nr: bigint; origA0: bigint } | null;
  who: TaskIdentity | null;
  /** For a wait4's return: the status it wrote. */
  status: number | null;
}

/** What the events say happened, in tick order: the partials' and the result's. */
export interface ProcessEvents {
  runs: TaskRun[];
  forks: ForkEvent[];
  execs: ExecEvent[];
  renames: RenameEvent[];
  exits: ExitEvent[];
  reaps: ReapEvent[];
}

export interface ProcessesPartial extends ProcessEvents {
  open: OpenCall[];
  orphans: OrphanReturn[];
}

/** One process (a thread group), as the whole recording shows it. */
export interface ProcessInfo {
  pid: number;
  ppid: number | null;
  /** The names it ran under: its first, then each exec's and each rename's (prctl PR_SET_NAME). */
  comms: string[];
  /** Its threads' ids (the first is the process's own). */
  threads: number[];
  /** Where it was first seen (its fork's return in the parent, or its first event). */
  firstTick: bigint;
  lastTick: bigint;
  forkTick: bigint | null;
  execs: ExecEvent[];
  exit: { tick: bigint; code: number | null; status: number | null; how: 'exit_group' | 'exit' | 'reaped' } | null;
}

export interface ProcessesResult extends ProcessEvents {
  processes: ProcessInfo[];
  starts: StartEvent[];
  note?: string;
}

const FORKS = new Set(['clone', 'clone3']);
const EXECS = new Set(['execve', 'execveat']);
const EXITS = new Set(['exit', 'exit_group']);
const CLONE_THREAD = 0x10000n;
const PR_SET_NAME = 15n;
const landsElsewhere = (nr: number) => EXECS.has(syscallName(nr)) || syscallName(nr) === 'rt_sigreturn';

function readU32(view: MachineView, addr: bigint, satp: bigint): number | null {
  if (addr === 0n) return null;
  const b = view.readVirt(addr, 4, satp);
  return b ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) : null;
}

/** clone's flags are its first argument; clone3's are the first u64 of its struct clone_args (read at entry). */
function cloneIsThread(name: string, args: readonly bigint[], view: MachineView, satp: bigint): boolean {
  if (name === 'clone') return (args[0] & CLONE_THREAD) !== 0n;
  const b = view.readVirt(args[0], 8, satp);
  return b ? (new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) & CLONE_THREAD) !== 0n : false;
}

/**
 * What a tracked call's end says of processes: a fork's child, an exec's new
 * program, a wait's reaped child. `who` is the task at the return, `status`
 * what a wait4 wrote.
 */
function ended(part: Pick<ProcessesPartial, 'forks' | 'execs' | 'reaps' | 'renames'>, call: OpenCall, endTick: bigint, land: Landing, who: TaskIdentity | null, status: () => number | null): void {
  const how = outcome(call, land, landsElsewhere);
  if (how.kind !== 'returned') return;
  const ret = BigInt.asIntN(64, how.ret);
  const name = call.data.name;
  if (FORKS.has(name) && ret > 0n) part.forks.push({ tick: call.tick, endTick, parent: call.data.who, parentTask: call.task, child: Number(ret), thread: call.data.thread ?? false });
  if (EXECS.has(name) && ret === 0n) part.execs.push({ tick: call.tick, endTick, task: call.task, who, before: call.data.who?.comm ?? null, path: call.data.path ?? '?', argv: call.data.argv ?? '?' });
  if (name === 'wait4' && ret > 0n) part.reaps.push({ tick: endTick, who, child: Number(ret), status: status() });
  if (name === 'prctl' && call.args[0] === PR_SET_NAME && ret === 0n) part.renames.push({ tick: endTick, task: call.task, who });
}

function observe(env: AnalysisEnv) {
  const tracker = new CallTracker<Tracked>(env.layout, landsElsewhere);
  const part: ProcessesPartial = { runs: [], forks: [], execs: [], renames: [], exits: [], reaps: [], open: [], orphans: [] };
  let run: TaskRun | undefined;
  let switches: bigint[] = [];
  const who = (view: MachineView, task: bigint, satp: bigint) => (env.layout ? readTask(view, env.layout, task, satp) ?? null : null);

  const saw = (task: bigint, tick: bigint, identity: TaskIdentity | null) => {
    if (run && run.task === task) {
      run.end = tick;
    } else {
      if (run && switches.length > 0) run.end = switches[0];
      run = { task, who: identity, start: switches.length > 0 ? switches[switches.length - 1] : tick, end: tick };
      part.runs.push(run);
    }
    switches = [];
  };

  return {
    event(e: AnalysisEvent, view: MachineView) {
      if (e.kind === 'satp') {
        if (e.old !== e.new) switches.push(e.tick);
        return;
      }
      if (e.kind === 'syscall') {
        const task = e.sscratch;
        const identity = who(view, task, e.satp);
        saw(task, e.tick, identity);
        const nr = Number(e.nr);
        const name = syscallName(nr);
        const data: Tracked = { name, who: identity };
        if (EXECS.has(name)) {
          const text = enterSyscall({ nr, args: e.args }, (addr, len) => view.readVirt(addr, len, e.satp), { strsize: 64 }).text;
          const at = name === 'execveat' ? 1 : 0;
          data.path = text[at] ?? '?';
          data.argv = text[at + 1] ?? '?';
        }
        if (FORKS.has(name)) data.thread = cloneIsThread(name, e.args, view, e.satp);
        tracker.enter(e, data);
        if (EXITS.has(name)) {
          tracker.drop(task);
          part.exits.push({ tick: e.tick, task, who: identity, group: name === 'exit_group', code: Number(BigInt.asIntN(32, e.args[0])) });
        }
        return;
      }
      if (e.kind !== 'sysret') return;
      const satp = view.csr(CSR_NUMBERS.satp) ?? 0n;
      const r = tracker.exit(e, view, () => undefined);
      if (!view.live) return;
      const task = r.kind === 'return' ? r.call.task : currentUserTask(view);
      const identity = who(view, task, satp);
      saw(task, e.tick, identity);
      if (r.kind === 'return') {
        ended(part, r.call, e.tick, landing(view, r.frame, satp), identity, () => readU32(view, r.call.args[1], satp));
      } else if (r.kind === 'orphan') {
        const nr = r.frame ? Number(r.frame.nr) : Number(view.x(17));
        const land = landing(view, r.frame, satp);
        const status = syscallName(nr) === 'wait4' ? readU32(view, land.args[0], satp) : null;
        part.orphans.push({ task, tick: e.tick, nr, land, frame: r.frame ? { nr: r.frame.nr, origA0: r.frame.origA0 } : null, who: identity, status });
      }
    },
    finish(): ProcessesPartial {
      if (run && switches.length > 0) run.end = switches[0];
      const tracked = (c: { data: Tracked }) => FORKS.has(c.data.name) || EXECS.has(c.data.name) || c.data.name === 'wait4' || c.data.name === 'prctl';
      part.open = tracker.open().filter(tracked);
      return part;
    },
  };
}

/** The process table: one entry per process, from what the events say of it. */
function processTable(r: ProcessEvents): ProcessInfo[] {
  const table = new Map<number, ProcessInfo>();
  const entry = (pid: number, tick: bigint): ProcessInfo => {
    let p = table.get(pid);
    if (!p || (p.exit && tick > p.exit.tick)) {
      p = { pid, ppid: null, comms: [], threads: [], firstTick: tick, lastTick: tick, forkTick: null, execs: [], exit: null };
      table.set(pid, p);
    }
    if (tick < p.firstTick) p.firstTick = tick;
    if (tick > p.lastTick) p.lastTick = tick;
    return p;
  };
  const see = (w: TaskIdentity | null, tick: bigint) => {
    if (!w) return undefined;
    const p = entry(w.pid, tick);
    if (p.ppid === null && w.ppid > 0) p.ppid = w.ppid;
    if (!p.threads.includes(w.tid)) p.threads.push(w.tid);
    if (p.comms.length === 0) p.comms.push(w.comm);
    return p;
  };
  // In time order: forks create, runs show, execs rename, exits and reaps end.
  type Step = { tick: bigint; apply(): void };
  const steps: Step[] = [
    ...r.forks.filter((f) => !f.thread).map((f) => ({ tick: f.endTick, apply: () => {
      const p = entry(f.child, f.endTick);
      p.forkTick ??= f.endTick;
      if (f.parent) p.ppid = f.parent.pid;
      if (f.parent && p.comms.length === 0) p.comms.push(f.parent.comm);
      if (!p.threads.includes(f.child)) p.threads.push(f.child);
    } })),
    ...r.runs.map((run) => ({ tick: run.start, apply: () => {
      see(run.who, run.start);
      see(run.who, run.end);
    } })),
    ...r.execs.map((x) => ({ tick: x.endTick, apply: () => {
      const p = see(x.who, x.endTick);
      if (!p) return;
      p.execs.push(x);
      if (x.who && p.comms[p.comms.length - 1] !== x.who.comm) p.comms.push(x.who.comm);
    } })),
    ...r.renames.map((x) => ({ tick: x.tick, apply: () => {
      const p = see(x.who, x.tick);
      if (p && x.who && p.comms[p.comms.length - 1] !== x.who.comm) p.comms.push(x.who.comm);
    } })),
    ...r.exits.filter((x) => x.group).map((x) => ({ tick: x.tick, apply: () => {
      const p = see(x.who, x.tick);
      if (p) p.exit = { tick: x.tick, code: x.code, status: null, how: 'exit_group' };
    } })),
    ...r.reaps.map((x) => ({ tick: x.tick, apply: () => {
      const p = table.get(x.child);
      if (!p) return;
      if (p.exit) p.exit.status = x.status;
      else p.exit = { tick: x.tick, code: null, status: x.status, how: 'reaped' };
    } })),
  ];
  steps.sort((a, b) => (a.tick < b.tick ? -1 : a.tick > b.tick ? 1 : 0));
  for (const s of steps) s.apply();
  return [...table.values()].sort((a, b) => (a.firstTick < b.firstTick ? -1 : a.firstTick > b.firstTick ? 1 : a.pid - b.pid));
}

export const processesDimension: Dimension<Record<string, never>, ProcessesPartial, ProcessesResult> = {
  name: 'processes',
  version: 2,
  summary: 'which task ran when; forks, execs, exits, with parent links',
  params: (given) => integerParams('processes', given, {}) as Record<string, never>,
  needs: () => ({ syscalls: true, satp: true }),
  // execve's path and argv are the decoder's text.
  code: decoderFingerprint,
  start: (_params, _slice, env) => observe(env),
  merge(_params, partials, env) {
    const out: ProcessEvents & Pick<ProcessesResult, 'starts'> = { runs: [], forks: [], execs: [], renames: [], exits: [], reaps: [], starts: [] };
    const open = new OpenCalls<OpenCall>(landsElsewhere);
    for (const p of partials) {
      for (const o of p.orphans) {
        const call = open.take(o.task, o.frame ?? undefined, () => undefined);
        if (call) ended(out, call, o.tick, o.land, o.who, () => o.status);
        // Not a call this dimension kept: a new task's first return (from the clone that made it, with 0), or an untracked call's.
        else if (FORKS.has(syscallName(o.nr)) && o.land.ret === 0n) out.starts.push({ tick: o.tick, task: o.task, who: o.who });
      }
      const first = p.runs[0];
      const last = out.runs[out.runs.length - 1];
      const runs = p.runs.map((r) => ({ ...r }));
      if (first && last && last.task === first.task) {
        last.end = first.end;
        runs.shift();
      }
      out.runs.push(...runs);
      out.forks.push(...p.forks);
      out.execs.push(...p.execs);
      out.renames.push(...p.renames);
      out.exits.push(...p.exits);
      out.reaps.push(...p.reaps);
      open.add(p.open, () => undefined);
    }
    const byTick = (a: { tick: bigint }, b: { tick: bigint }) => (a.tick < b.tick ? -1 : a.tick > b.tick ? 1 : 0);
    for (const list of [out.forks, out.execs, out.renames, out.exits, out.reaps, out.starts]) list.sort(byTick);
    return { processes: processTable(out), ...out, note: env.taskNote };
  },
};
