import { describe, expect, it } from 'vitest';
import { diffPath, parseDiffLocation } from './diff-location';

describe('the diff view link', () => {
  it('round-trips the pair, both playheads and the selected divergence', () => {
    const location = { a: 'a'.repeat(64), b: 'b'.repeat(64), ta: 40079990n, tb: 42468763n, d: 3 };
    const path = diffPath(location);
    expect(path).toBe(`/diff?a=${'a'.repeat(64)}&b=${'b'.repeat(64)}&ta=40079990&tb=42468763&d=3`);
    expect(parseDiffLocation(path.slice(path.indexOf('?')))).toEqual({ ok: true, location });
  });

  it('leaves what is not chosen yet out', () => {
    expect(diffPath({ a: 'x1' })).toBe('/diff?a=x1');
    expect(diffPath({})).toBe('/diff');
    expect(parseDiffLocation('?a=x1')).toEqual({ ok: true, location: { a: 'x1' } });
  });

  it('says what is wrong with a bad link', () => {
    expect(parseDiffLocation('?a=../etc')).toEqual({ ok: false, error: expect.stringContaining('a: "../etc" is not a recording id') });
    expect(parseDiffLocation('?a=x&tb=-5')).toEqual({ ok: false, error: expect.stringContaining('tb: a tick is a decimal integer') });
    expect(parseDiffLocation('?d=first')).toEqual({ ok: false, error: expect.stringContaining('d: a divergence is chosen by its number') });
  });
});
