import { describe, expect, it } from 'vitest';
import { stealPoint } from './pool';

describe('stealPoint', () => {
  const order = Array.from({ length: 10 }, (_, i) => i);

  it('splits the longest run of pending slices in the middle', () => {
    expect(stealPoint(order, new Set([2, 3, 4, 5, 6, 7, 8, 9]))).toBe(6);
    expect(stealPoint(order, new Set([1, 2, 5, 6, 7, 8]))).toBe(7);
  });

  it('takes a lone pending slice, and nothing when none is left', () => {
    expect(stealPoint(order, new Set([4]))).toBe(4);
    expect(stealPoint(order, new Set())).toBeUndefined();
  });

  it('treats gaps in the slice numbers as the end of a run', () => {
    expect(stealPoint([0, 1, 2, 10, 11, 12, 13], new Set([1, 2, 10, 11, 12, 13]))).toBe(12);
  });
});
