import { describe, expect, it } from 'vitest';
import { parseAddress, windowStart } from './address';

describe('memory address box', () => {
  it('reads hex with or without 0x and underscores, 64 bits at most', () => {
    expect(parseAddress('0x8020_0000')).toBe(0x80200000n);
    expect(parseAddress(' ffffffff80000000 ')).toBe(0xffffffff80000000n);
    expect(parseAddress('0x12345678901234567')).toBeUndefined();
    expect(parseAddress('zz')).toBeUndefined();
    expect(parseAddress('')).toBeUndefined();
  });

  it('aligns the window to a row', () => {
    expect(windowStart(0x8020000fn)).toBe(0x80200000n);
  });
});
