import { describe, expect, it } from 'vitest';
import { diffTraces } from '../../../analysis/diff/diff';
import type { TracedCall } from '../../../analysis/dimensions/index';
import { alignedRows } from './aligned-rows';

let tick = 1000n;
/** A call of process 10 (sh) as the syscalls analysis gives it. */
function call(name: string, args: string[], ret = '0'): TracedCall {
  tick += 100n;
  return { tick, endTick: tick + 50n, pc: 0x10_000n, task: 0xffff_ffd8_0000_0000n, who: { pid: 10, tid: 10, ppid: 1, comm: 'sh' }, record: { nr: 0, name, args, ret, retval: BigInt(ret), errno: null, raw: [], noReturn: false, unfinished: false } };
}

describe('aligned rows of one process', () => {
  it('puts matching calls on one row and pairs a divergence row by row, with gaps on the shorter side', () => {
    const a = [call('read', ['0', '"x"', '1'], '1'), call('write', ['1', '"a"', '1'], '1'), call('close', ['3']), call('exit_group', ['0'])];
    const b = [call('read', ['0', '"x"', '1'], '1'), call('write', ['1', '"b"', '1'], '1'), call('openat', ['AT_FDCWD', '"/tmp/b"', 'O_RDONLY'], '3'), call('close', ['3']), call('exit_group', ['0'])];
    const diff = diffTraces(a, b);
    expect(diff.divergences).toHaveLength(1);
    const key = diff.divergences[0]!.key;
    expect(alignedRows(diff, key)).toEqual([
      { a: 0, b: 0 },
      { a: 1, b: 1, divergence: 0 },
      { a: undefined, b: 2, divergence: 0 },
      { a: 2, b: 3 },
      { a: 3, b: 4 },
    ]);
  });

  it('lists a process only one side has as one divergence facing gaps', () => {
    const a = [call('getpid', [], '10')];
    const diff = diffTraces(a, []);
    expect(alignedRows(diff, diff.divergences[0]!.key)).toEqual([{ a: 0, b: undefined, divergence: 0 }]);
  });

  it('gives equivalent traces one matching row per call', () => {
    const a = [call('getpid', [], '10'), call('exit_group', ['0'])];
    const diff = diffTraces(a, a);
    expect(diff.equivalent).toBe(true);
    expect(alignedRows(diff, [...diff.a.keys()][0]!)).toEqual([{ a: 0, b: 0 }, { a: 1, b: 1 }]);
  });
});
