import { describe, expect, it } from 'vitest';
import { selectedBytes, selectedIn, selectionAt, valueText } from './selection';

describe('a memory selection', () => {
  it('is aligned to its size and holds the byte clicked', () => {
    expect(selectionAt(0x8020_1237n, 4)).toEqual({ addr: 0x8020_1234n, size: 4 });
    expect(selectionAt(0x8020_1237n, 8)).toEqual({ addr: 0x8020_1230n, size: 8 });
    expect(selectionAt(0x8020_1237n, 1)).toEqual({ addr: 0x8020_1237n, size: 1 });
    const word = selectionAt(0x1003n, 4);
    // Within the 16 bytes of a row at each address: the indexes it covers there.
    expect([0xff0n, 0xff8n, 0x1000n, 0x1002n, 0x1004n].map((row) => selectedIn(word, row, 16))).toEqual([[16, 16], [8, 12], [0, 4], [0, 2], [0, 0]]);
    expect(selectedIn(undefined, 0n, 16)).toEqual([0, 0]);
  });

  it('reads little-endian, as the hart does', () => {
    expect(valueText(new Uint8Array([0x78, 0x56, 0x34, 0x12]))).toBe('0x12345678');
    expect(valueText(new Uint8Array([0x01, 0x00]))).toBe('0x0001');
  });

  it('takes its bytes out of the window shown, or none when the window does not hold them', () => {
    const bytes = new Uint8Array(32).map((_, i) => i);
    expect([...selectedBytes({ addr: 0x1004n, size: 4 }, 0x1000n, bytes)!]).toEqual([4, 5, 6, 7]);
    expect(selectedBytes({ addr: 0x101en, size: 4 }, 0x1000n, bytes)).toBeUndefined();
    expect(selectedBytes({ addr: 0xffen, size: 4 }, 0x1000n, bytes)).toBeUndefined();
  });
});
