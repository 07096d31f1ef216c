// The syscalls and processes dimensions over a scripted guest (fake-guest.ts):
// calls matched with their returns per task, a call that blocks across a
// slice boundary stitched whole, a syscall a signal handler interrupts, a
// fork's child starting, an exec renaming, exits; and the same answer for
// every way of cutting the events into slices.
import { describe, expect, it } from 'vitest';
import type { ProcessesResult, SyscallsResult } from '../../src/analysis/dimensions/index.ts';
import { createAnalysisRuntime } from '../../src/analysis/runtime.ts';
import { callLine } from '../../src/analysis/trace.ts';
import { FakeGuest } from './fake-guest.ts';

const runtime = createAnalysisRuntime();
const SYSCALLS = { dimension: 'syscalls', params: {} };
const PROCESSES = { dimension: 'processes', params: {} };
const PATH = 0x20_000n;
const BUF = 0x3f_fff0_0000n;
const STATUS = 0x3f_fff0_1000n;
const HANDLER = 0x4a874n;
const SIGCHLD = 17n;
const CLONE_FLAGS = 0x1200011n; // CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD

/** init waits for sh's child; sh opens and reads a file, forks; the child execs and exits. */
function session(): { guest: FakeGuest; readEntry: bigint; readReturn: bigint } {
  const g = new FakeGuest();
  const init = g.task(1, 1, 'init');
  const sh = g.task(30, 30, 'sh', init);
  g.memory.put(PATH, '/etc/passwd\0').zero(BUF, 64).zero(STATUS, 4).put(0x21_000n, '/demo/x\0').u64(0x22_000n, 0x21_000n).u64(0x22_008n, 0n);
  g.call(sh, 56, [0xffff_ff9cn, PATH, 0n], 3n);
  g.enter(sh, 63, [3n, BUF, 64n], 0x10_100n);
  const readEntry = g.tick;
  g.enter(init, 260, [0xffff_ffff_ffff_ffffn, STATUS, 0n, 0n], 0x4b000n);
  g.memory.put(BUF, 'root:x:0:0');
  g.leave(sh, 10n, { pc: 0x10_104n, nr: 63, origA0: 3n, args: [BUF, 64n] });
  const readReturn = g.tick;
  g.call(sh, 220, [CLONE_FLAGS, 0n, 0n, 0n, 0n], 31n, 0x10_200n);
  const child = g.task(31, 31, 'sh', sh);
  // The child's first return to U-mode: from the parent's clone, with a0 = 0.
  g.leave(child, 0n, { pc: 0x10_204n, nr: 220, origA0: CLONE_FLAGS });
  g.enter(child, 221, [0x21_000n, 0x22_000n, 0n], 0x10_300n);
  g.rename(child, 'x');
  g.leave(child, 0n, { pc: 0x40_000n, nr: 221, origA0: 0x21_000n });
  g.enter(child, 94, [0n]);
  // init's wait4 returns 31, then SIGCHLD's handler runs: pt_regs cause -1, the saved context in the frame.
  g.memory.u32(STATUS, 0);
  const sp = 0x3f_fff8_0000n;
  const uc = sp + 128n;
  g.memory.zero(uc, 512).u64(uc + 176n, 0x4b004n).u64(uc + 176n + 80n, 31n).u64(uc + 176n + 88n, STATUS);
  g.leave(init, SIGCHLD, { pc: HANDLER, cause: 0xffff_ffff_ffff_ffffn, nr: 260, origA0: 0xffff_ffff_ffff_ffffn, sp, a2: uc });
  g.enter(init, 139, [0n], 0x4a900n, sp);
  g.leave(init, 31n, { pc: 0x4b004n, cause: 0xffff_ffff_ffff_ffffn, nr: 260, origA0: 0xffff_ffff_ffff_ffffn, args: [STATUS] });
  g.call(sh, 258, [1n], -38n);
  return { guest: g, readEntry, readReturn };
}

const lines = (r: unknown) => (r as SyscallsResult).calls.map(callLine);

describe('the syscalls dimension', () => {
  const { guest, readEntry, readReturn } = session();
  const whole = lines(guest.analyze(runtime, SYSCALLS, []));

  it('decodes every call, whole, with the calling task', () => {
    expect(whole.map((l) => l.replace(/^\[\d+\] /, ''))).toEqual([
      '30 sh  openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3',
      '30 sh  read(3, "root:x:0:0", 64) = 10',
      '1 init  wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 31 <SIGCHLD arrived as it returned: its handler ran first>',
      '30 sh  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=NULL) = 31',
      '31 sh  execve("/demo/x", ["/demo/x"], NULL) = 0',
      '31 x  exit_group(0) = ?',
      '1 init  rt_sigreturn({mask=[]}) = 31',
      '30 sh  syscall_0x102(0x1, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)',
    ]);
  });

  it('gives the same calls however the replay is cut into slices: a call that spans slices appears once, whole', () => {
    const ticks = guest.moments.map((m) => m.event.tick);
    for (const cut of ticks) expect(lines(guest.analyze(runtime, SYSCALLS, [cut])), `cut at ${cut}`).toEqual(whole);
    expect(lines(guest.analyze(runtime, SYSCALLS, ticks.slice(1)))).toEqual(whole); // every event in a slice of its own
    const straddling = lines(guest.analyze(runtime, SYSCALLS, [readEntry + 1n, readReturn]));
    expect(straddling.filter((l) => l.includes(' read('))).toEqual([`[${readEntry}] 30 sh  read(3, "root:x:0:0", 64) = 10`]);
  });

  it('names no task without an OS profile, and says why', () => {
    const r = guest.analyze(runtime, SYSCALLS, [], {}) as SyscallsResult;
    expect(r.note).toMatch(/no OS profile/);
    expect(callLine(r.calls[0])).toMatch(/^\[\d+\] unknown task {2}openat\(AT_FDCWD, "\/etc\/passwd", O_RDONLY\) = 3$/);
    expect(r.calls.map((c) => c.record.name)).toEqual((guest.analyze(runtime, SYSCALLS, []) as SyscallsResult).calls.map((c) => c.record.name));
  });

  it('rejects parameters it does not have', () => {
    expect(() => runtime.describe({ dimension: 'syscalls', params: { strsize: -1 } })).toThrow(/strsize/);
    expect(() => runtime.describe({ dimension: 'syscalls', params: { nope: 1 } })).toThrow(/no parameter "nope"/);
    expect(() => runtime.describe({ dimension: 'nope', params: {} })).toThrow(/no analysis "nope"/);
  });
});

describe('the processes dimension', () => {
  const { guest } = session();

  it('sees the fork, the exec with its new comm, the exit and the reap, with parent links, however cut', () => {
    const whole = guest.analyze(runtime, PROCESSES, []) as ProcessesResult;
    const child = whole.processes.find((p) => p.pid === 31)!;
    expect(child).toMatchObject({ ppid: 30, comms: ['sh', 'x'], threads: [31] });
    expect(child.exit).toMatchObject({ how: 'exit_group', code: 0, status: 0 });
    expect(whole.forks.map((f) => [f.parent?.pid, f.child, f.thread])).toEqual([[30, 31, false]]);
    expect(whole.execs.map((x) => [x.who?.pid, x.before, x.who?.comm, x.path])).toEqual([[31, 'sh', 'x', '"/demo/x"']]);
    expect(whole.starts.map((s) => s.who?.pid)).toEqual([31]);
    expect(whole.reaps.map((r) => [r.who?.pid, r.child, r.status])).toEqual([[1, 31, 0]]);
    expect(whole.runs.map((r) => r.who?.pid)).toEqual([30, 1, 30, 31, 1, 30]);
    for (const m of guest.moments) {
      const cut = guest.analyze(runtime, PROCESSES, [m.event.tick]) as ProcessesResult;
      expect({ ...cut, runs: cut.runs.map((r) => [r.who?.pid, r.start, r.end]) }, `cut at ${m.event.tick}`).toEqual({ ...whole, runs: whole.runs.map((r) => [r.who?.pid, r.start, r.end]) });
    }
  });
});
