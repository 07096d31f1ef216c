// WatchedRanges: the machine's write events as the analyses' (one per
// instruction and range, the whole range before and after), DMA's old bytes
// from the bytes followed since the slice's start.
import { describe, expect, it } from 'vitest';
import type { MachineWrite } from '../machine';
import { WatchedRanges } from './watch-writes';

const RAM = new Uint8Array(0x2000).map((_, i) => i & 0xff);
const machine = { readPhys: (paddr: number, length: number) => RAM.slice(paddr, paddr + length) };
const write = (tick: bigint, paddr: bigint, source: MachineWrite['source'], next: number[], old?: number[]): MachineWrite =>
  ({ kind: 'write', tick, pc: 0x8000_0000n + tick * 4n, priv: 1, paddr, source, new: Uint8Array.from(next), ...(old ? { old: Uint8Array.from(old) } : {}) });
const bytes = (from: number, n: number) => Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('WatchedRanges', () => {
  it('gives a DMA the old bytes it followed, clipped to the range, and chains them', () => {
    const w = new WatchedRanges([{ paddr: 0x1000n, length: 8 }], machine);
    const [dma] = w.events([write(5n, 0xffcn, 'dma', Array(16).fill(0xee))]);
    expect(dma).toMatchObject({ tick: 5n, paddr: 0x1000n, at: 0x1000n, size: 8, source: 'dma', old: Uint8Array.from(bytes(0, 8)), new: Uint8Array.from(Array(8).fill(0xee)) });
    const [store] = w.events([write(9n, 0x1006n, 'store', [1, 2], [0xee, 0xee])]);
    expect(store).toMatchObject({ at: 0x1006n, size: 2, old: Uint8Array.from(Array(8).fill(0xee)), new: Uint8Array.from([0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 1, 2]) });
  });

  it('makes one event of one instruction\'s writes (a store across a page, byte by byte), and none for writes beside the range', () => {
    const w = new WatchedRanges([{ paddr: 0x1000n, length: 4 }], machine);
    const events = w.events([
      write(7n, 0xffen, 'store', [9], [0xfe]),
      write(7n, 0xfffn, 'store', [9], [0xff]),
      write(7n, 0x1000n, 'store', [9], [0x00]),
      write(7n, 0x1001n, 'store', [9], [0x01]),
      write(8n, 0x1004n, 'store', [5], [4]),
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ tick: 7n, at: 0x1000n, size: 2, old: Uint8Array.from([0, 1, 2, 3]), new: Uint8Array.from([9, 9, 2, 3]) });
  });

  it('takes a store\'s own old bytes as the truth, where a change went unreported', () => {
    const w = new WatchedRanges([{ paddr: 0x1000n, length: 4 }], machine);
    const [e] = w.events([write(3n, 0x1000n, 'store', [0xaa, 0xbb, 0xcc, 0xdd], [0x10, 0x11, 0x12, 0x13])]);
    expect(e.old).toEqual(Uint8Array.from([0x10, 0x11, 0x12, 0x13]));
    expect(e.new).toEqual(Uint8Array.from([0xaa, 0xbb, 0xcc, 0xdd]));
  });

  it('gives each range a write touches its own event', () => {
    const w = new WatchedRanges([{ paddr: 0x1000n, length: 8 }, { paddr: 0x1004n, length: 2 }], machine);
    const events = w.events([write(4n, 0x1002n, 'amo', [1, 2, 3, 4], bytes(2, 4))]);
    expect(events.map((e) => [e.paddr, e.at, e.size])).toEqual([[0x1000n, 0x1002n, 4], [0x1004n, 0x1004n, 2]]);
    expect(events[1].new).toEqual(Uint8Array.from([3, 4]));
  });
});
