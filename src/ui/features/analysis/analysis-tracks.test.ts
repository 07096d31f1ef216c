import { describe, expect, it } from 'vitest';
import { consoleDimension } from '../../../analysis/dimensions/console';
import { consoleText, consoleTrack } from './analysis-tracks';
import { ANALYSIS_CHOICES } from './choices';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('the console choice of the Analyze panel', () => {
  it('runs the console dimension', () => {
    const choice = ANALYSIS_CHOICES.find((c) => c.id === 'console');
    expect(choice?.request({ watchAddr: '', watchLength: '8', watchSpace: 'physical', watchPid: '' })).toEqual({ dimension: 'console', params: {} });
    expect(choice?.dimension).toBe(consoleDimension.name);
  });

  it('draws a mark per replayed write at its tick, its text quoted on hover', () => {
    const result = { chunks: [{ tick: 10n, data: bytes('prnr# ') }, { tick: 25n, data: bytes('ok\r\n\x1b[0m') }], bytes: 14 };
    const track = consoleTrack(result);
    expect(track.marks.map((m) => m.tick)).toEqual([10n, 25n]);
    expect(track.marks.map((m) => m.title)).toEqual(['tick 10: "prnr# "', 'tick 25: "ok\\r\\n\\33[0m"']);
    expect(track.labelTitle).toBe('2 writes, 14 bytes, as the verified replay printed them');
  });

  it('cuts a long write after 64 bytes', () => {
    expect(consoleText(bytes('x'.repeat(100)))).toBe(`"${'x'.repeat(64)}"...`);
  });
});
