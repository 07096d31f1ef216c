// The diff of two traces: processes paired by their place in the fork tree,
// calls compared without addresses and times, every divergence with both ticks.
import { describe, expect, it } from 'vitest';
import { diffTraces } from '../../src/analysis/diff/diff.ts';
import { normalizedCall, normalizeText } from '../../src/analysis/diff/normalize.ts';
import type { SyscallsResult } from '../../src/analysis/dimensions/index.ts';
import { createAnalysisRuntime } from '../../src/analysis/runtime.ts';
import { FakeGuest } from './fake-guest.ts';

const runtime = createAnalysisRuntime();

/** sh (pid `shPid`) reads a line, mmaps at `map`, forks a child that opens `path`. */
function run(o: { line: string; map: bigint; path: string; shPid?: number; extra?: boolean }) {
  const g = new FakeGuest();
  const init = g.task(1, 1, 'init');
  const shPid = o.shPid ?? 30;
  const sh = g.task(shPid, shPid, 'sh', init);
  g.memory.put(0x20_000n, `${o.line}\0`).put(0x21_000n, `${o.path}\0`);
  g.call(sh, 63, [0n, 0x20_000n, 1n], 1n);
  g.call(sh, 222, [0n, 8192n, 3n, 0x22n, 0xffff_ffffn, 0n], o.map);
  g.call(sh, 220, [0x1200011n, 0n, 0n, 0n, 0n], BigInt(shPid + 1));
  const child = g.task(shPid + 1, shPid + 1, 'sh', sh);
  g.leave(child, 0n, { pc: 0x10_004n, nr: 220, origA0: 0x1200011n });
  g.call(child, 56, [0xffff_ff9cn, 0x21_000n, 0n], 3n);
  if (o.extra) g.call(child, 57, [3n], 0n);
  g.call(child, 94, [0n], 0n);
  return (g.analyze(runtime, { dimension: 'syscalls', params: {} }, []) as SyscallsResult).calls;
}

describe('diffTraces', () => {
  it('finds two runs that differ only in addresses and pids equivalent', () => {
    const a = run({ line: 'a', map: 0x3f_e000_0000n, path: '/tmp/x' });
    const b = run({ line: 'a', map: 0x3f_d000_0000n, path: '/tmp/x', shPid: 40 });
    const d = diffTraces(a, b);
    expect(d.divergences).toEqual([]);
    expect(d.equivalent).toBe(true);
    expect(d.processes).toEqual({ a: 2, b: 2, paired: 2, differing: 0, onlyA: 0, onlyB: 0 });
  });

  it('reports each stretch that differs, per process, earliest first, with both ticks', () => {
    const a = run({ line: 'a', map: 0x3f_e000_0000n, path: '/tmp/x' });
    const b = run({ line: 'b', map: 0x3f_e000_0000n, path: '/tmp/y', extra: true });
    const d = diffTraces(a, b);
    expect(d.equivalent).toBe(false);
    expect(d.divergences.map((x) => [x.key, x.a?.pid, x.aEnd - x.aStart, x.bEnd - x.bStart])).toEqual([
      ['sh', 30, 1, 1],
      ['sh/0', 31, 1, 2],
    ]);
    const [first, second] = d.divergences;
    expect(a.find((c) => c.tick === first.aTick)?.record.args[1]).toBe('"a"');
    expect(b.find((c) => c.tick === first.bTick)?.record.args[1]).toBe('"b"');
    expect(a.find((c) => c.tick === second.aTick)?.record.name).toBe('openat');
  });

  it('normalises addresses and times, nothing else', () => {
    expect(normalizeText('mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x3fe2e9e000')).toBe('mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x?');
    expect(normalizeText('{tv_sec=1700000000, tv_nsec=12345}')).toBe('{tv_sec=?, tv_nsec=?}');
    expect(normalizeText('fcntl(3, F_SETFD, 0x1)')).toBe('fcntl(3, F_SETFD, 0x1)');
    expect(normalizeText('"0x12345 in a string"')).toBe('"0x? in a string"');
    const [call] = run({ line: 'a', map: 0x3f_e000_0000n, path: '/tmp/x' });
    expect(normalizedCall(call)).toBe('read(0, "a", 1) = 1');
  });
});
