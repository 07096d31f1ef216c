import { describe, expect, it } from 'vitest';
import { formatBytes, formatTicks, guestSeconds, TICKS_PER_SECOND } from './format';

describe('library formats', () => {
  it('counts 100 M ticks per guest second (10 MHz mtime, 10 ticks each)', () => {
    expect(TICKS_PER_SECOND).toBe(100_000_000n);
    expect(guestSeconds(66_741_933n)).toBe('0.67 s');
    expect(guestSeconds(1_234_000_000n)).toBe('12.3 s');
  });

  it('writes sizes and ticks for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(9_263_083)).toBe('9.26 MB');
    expect(formatBytes(18_210_000)).toBe('18.2 MB');
    expect(formatTicks(66_741_933n)).toBe('66,741,933');
  });
});
