import { describe, expect, it } from 'vitest';
import { concatBytes } from './bytes';

describe('concatBytes', () => {
  it('joins chunks in order into a new array', () => {
    const a = new Uint8Array([1, 2]);
    const out = concatBytes([a, new Uint8Array(0), new Uint8Array([3]), new Uint8Array([4, 5, 6]).subarray(1)]);
    expect([...out]).toEqual([1, 2, 3, 5, 6]);
    out[0] = 9;
    expect(a[0]).toBe(1);
    expect(concatBytes([]).length).toBe(0);
  });
});
