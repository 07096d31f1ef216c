import { describe, expect, it } from 'vitest';
import { errorCode } from './errors';
import { MAX_TICK, formatTick, parseTick } from './tick';

describe('tick codec', () => {
  it('round-trips ticks beyond Number.MAX_SAFE_INTEGER exactly', () => {
    for (const text of ['0', '1', '9007199254740993', MAX_TICK.toString()]) {
      expect(formatTick(parseTick(text))).toBe(text);
    }
    expect(parseTick('9007199254740993')).toBe(9007199254740993n);
  });

  it.each(['', '-1', '+5', '01', '1e6', '1.5', ' 12', '0x10', 'abc', '18446744073709551616'])('rejects %j with BAD_TICK and says why', (text) => {
    let caught: unknown;
    try {
      parseTick(text);
    } catch (err) {
      caught = err;
    }
    expect(errorCode(caught)).toBe('BAD_TICK');
    expect(String(caught)).toMatch(/tick/);
  });

  it('refuses to format negative ticks', () => {
    expect(() => formatTick(-1n)).toThrow(/out of range/);
  });
});
