import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../analysis/dimensions';
import { exitText, processTree } from './tree';

const p = (pid: number, ppid: number | null, exit: ProcessInfo['exit'] = null): ProcessInfo => ({ pid, ppid, comms: [`c${pid}`], threads: [pid], firstTick: BigInt(pid), lastTick: BigInt(pid + 1), forkTick: null, execs: [], exit });

describe('the process tree', () => {
  it('puts each process under its parent, children in pid order; an unseen parent makes a root', () => {
    const rows = processTree([p(31, 30), p(1, 0), p(30, 1), p(33, 31), p(32, 31), p(50, 49)]);
    expect(rows.map((r) => [r.process.pid, r.depth])).toEqual([
      [1, 0],
      [30, 1],
      [31, 2],
      [32, 3],
      [33, 3],
      [50, 0],
    ]);
  });

  it('says how a process ended', () => {
    expect(exitText(p(1, 0))).toBe('running');
    expect(exitText(p(2, 1, { tick: 5n, code: 7, status: null, how: 'exit_group' }))).toBe('exit 7');
    expect(exitText(p(2, 1, { tick: 5n, code: null, status: 0x100, how: 'reaped' }))).toBe('reaped (status 0x100)');
  });
});
