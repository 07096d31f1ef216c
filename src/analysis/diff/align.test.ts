import { describe, expect, it } from 'vitest';
import { alignSequences, type Hunk } from './align';

function lcs(a: string[], b: string[]): number {
  const d = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = a[i - 1] === b[j - 1] ? d[i - 1][j - 1] + 1 : Math.max(d[i - 1][j], d[i][j - 1]);
  return d[a.length][b.length];
}

/** Checks that the hunks turn a into b: what lies between them is equal on both sides, in order. */
function check(a: string[], b: string[], hunks: Hunk[]): void {
  let i = 0;
  let j = 0;
  for (const h of hunks) {
    expect(h.aStart - i).toBe(h.bStart - j);
    expect(a.slice(i, h.aStart)).toEqual(b.slice(j, h.bStart));
    expect(h.aEnd > h.aStart || h.bEnd > h.bStart).toBe(true);
    i = h.aEnd;
    j = h.bEnd;
  }
  expect(a.slice(i)).toEqual(b.slice(j));
  const edits = hunks.reduce((n, h) => n + (h.aEnd - h.aStart) + (h.bEnd - h.bStart), 0);
  expect(edits).toBe(a.length + b.length - 2 * lcs(a, b));
}

describe('alignSequences', () => {
  it('finds nothing between equal sequences and one hunk for a change', () => {
    expect(alignSequences(['a', 'b'], ['a', 'b'])).toEqual([]);
    expect(alignSequences(['a', 'x', 'c'], ['a', 'y', 'c'])).toEqual([{ aStart: 1, aEnd: 2, bStart: 1, bEnd: 2 }]);
    expect(alignSequences(['a', 'c'], ['a', 'b', 'c'])).toEqual([{ aStart: 1, aEnd: 1, bStart: 1, bEnd: 2 }]);
    expect(alignSequences([], ['a'])).toEqual([{ aStart: 0, aEnd: 0, bStart: 0, bEnd: 1 }]);
  });

  it('gives a shortest edit script, as an LCS says, on random sequences', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 400; round++) {
      const a = Array.from({ length: rand(30) }, () => 'abcd'[rand(4)]);
      const b = rand(3) === 0 ? a.map((c) => (rand(5) === 0 ? 'abcde'[rand(5)] : c)) : Array.from({ length: rand(30) }, () => 'abcd'[rand(4)]);
      check(a, b, alignSequences(a, b));
    }
  });
});
