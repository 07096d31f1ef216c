import { describe, expect, it } from 'vitest';
import { listingWindow } from './window';

describe('the listing window', () => {
  it('is the same for every pc of a 256-byte block, with 64 bytes either side', () => {
    const first = listingWindow(0x8020_1100n);
    expect(first).toEqual({ base: 0x8020_10c0n, length: 384 });
    expect(listingWindow(0x8020_11fen)).toEqual(first);
    expect(listingWindow(0x8020_1200n)).toEqual({ base: 0x8020_11c0n, length: 384 });
  });

  it('stays within the page of pc', () => {
    expect(listingWindow(0x8020_1004n)).toEqual({ base: 0x8020_1000n, length: 320 });
    expect(listingWindow(0x8020_1ffen)).toEqual({ base: 0x8020_1ec0n, length: 320 });
  });
});
