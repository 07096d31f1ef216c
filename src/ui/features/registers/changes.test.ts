import { describe, expect, it } from 'vitest';
import { changedRegisters } from './changes';
import type { HartAt } from './hart';

const hart = (tick: bigint, pc: bigint, a0: bigint, satp: bigint): HartAt => ({
  tick,
  snapshot: 0,
  snapshotTick: 0n,
  pc,
  priv: 1,
  x: Array.from({ length: 32 }, (_, i) => (i === 10 ? a0 : BigInt(i))),
  f: Array.from({ length: 32 }, () => 0n),
  csrs: [{ num: 0x180, name: 'satp', value: satp }],
});

describe('changed registers', () => {
  it('names what differs since the previous position, nothing at the first', () => {
    const a = hart(10n, 0x1000n, 1n, 5n);
    expect(changedRegisters(undefined, a)).toEqual(new Set());
    expect(changedRegisters(a, hart(11n, 0x1004n, 2n, 5n))).toEqual(new Set(['pc', 'a0']));
    expect(changedRegisters(a, hart(12n, 0x1000n, 1n, 6n))).toEqual(new Set(['satp']));
    expect(changedRegisters(a, { ...a })).toEqual(new Set());
  });
});
