import { describe, expect, it } from 'vitest';
import type { TracedCall } from '../../../analysis/dimensions';
import { callLine } from '../../../analysis/trace';
import { categoryOf } from './categories';
import { filterChunk, startFilter, type FilterProgress } from './filter';

function call(tick: bigint, pid: number, name: string, args: string[], ret: string, errno: string | null = null): TracedCall {
  return { tick, endTick: tick + 10n, pc: 0n, task: 0n, who: { tid: pid, pid, comm: `p${pid}`, ppid: 1 }, record: { nr: 0, name, args, ret, errno, retval: 0n, raw: [], noReturn: false, unfinished: false } as TracedCall['record'] };
}

const calls = [
  call(10n, 5, 'openat', ['AT_FDCWD', '"/etc/passwd"', 'O_RDONLY'], '3'),
  call(20n, 5, 'read', ['3', '"root"', '4'], '4'),
  call(30n, 6, 'openat', ['AT_FDCWD', '"/nope"', 'O_RDONLY'], '-1 ENOENT (No such file or directory)', 'ENOENT'),
  call(40n, 6, 'clone', ['SIGCHLD'], '7'),
  call(50n, 7, 'nanosleep', ['{tv_sec=1, tv_nsec=0}', 'NULL'], '0'),
];

describe('the syscalls filter', () => {
  it('keeps calls by process, name, category, failure and free text in the line', () => {
    const ticks = (f: Parameters<typeof filterChunk>[1]) => filterChunk(calls, f).map((c) => c.tick);
    expect(ticks({ pid: 5 })).toEqual([10n, 20n]);
    expect(ticks({ call: 'openat' })).toEqual([10n, 30n]);
    expect(ticks({ cat: 'process' })).toEqual([40n]);
    expect(ticks({ cat: 'time' })).toEqual([50n]);
    expect(ticks({ failed: true })).toEqual([30n]);
    expect(ticks({ q: 'PASSWD' })).toEqual([10n]);
    expect(ticks({ q: '[30] 6 p6' })).toEqual([30n]);
    expect(ticks({ pid: 6, call: 'openat', failed: true })).toEqual([30n]);
    expect(callLine(calls[0]!)).toBe('[10] 5 p5  openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3');
    expect([categoryOf('openat'), categoryOf('mmap'), categoryOf('socket'), categoryOf('kill'), categoryOf('bpf')]).toEqual(['file', 'memory', 'network', 'signal', 'other']);
  });

  it('filters a long list in bursts, yielding between them, and can be cancelled', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => calls[i % calls.length]!);
    const queued: (() => void)[] = [];
    const seen: FilterProgress[] = [];
    startFilter(many, { call: 'openat' }, (p) => seen.push({ ...p }), (fn) => queued.push(fn));
    while (queued.length) queued.shift()!();
    expect(seen.at(-1)).toMatchObject({ count: 8000, scanned: 20_000, done: true });
    const cancelled: FilterProgress[] = [];
    const job = startFilter(many.concat(many, many, many, many, many, many, many, many, many), { q: 'nope' }, (p) => cancelled.push(p), (fn) => queued.push(fn));
    job.cancel();
    while (queued.length) queued.shift()!();
    expect(cancelled.every((p) => !p.done)).toBe(true);
  });

  it('hands the list over unfiltered when nothing is asked', () => {
    const seen: FilterProgress[] = [];
    startFilter(calls, {}, (p) => seen.push(p));
    expect(seen).toEqual([{ rows: calls, count: 5, scanned: 5, done: true }]);
  });
});
