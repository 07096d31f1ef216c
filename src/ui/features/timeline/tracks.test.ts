import { describe, expect, it } from 'vitest';
import { markTitle, marksIn, nearestMark, spanAt, type TimelineTrack } from './tracks';

const track: TimelineTrack = {
  id: 't',
  label: 'calls',
  marks: [10n, 20n, 21n, 50n].map((tick) => ({ tick, kind: 'file' })),
  spans: [
    { from: 0n, to: 15n, label: 'a' },
    { from: 30n, to: 40n, label: 'b', title: 'b runs' },
  ],
  titleOf: (i) => `call ${i}`,
};

describe('timeline tracks', () => {
  it('counts the marks in a window, or gives up past the limit', () => {
    expect(marksIn(track.marks, 15n, 51n, 10)).toEqual([1, 4]);
    expect(marksIn(track.marks, 15n, 51n, 2)).toBeUndefined();
    expect(marksIn(track.marks, 60n, 70n, 2)).toEqual([4, 4]);
  });

  it('finds the mark nearest the pointer within the slack, and the span under it', () => {
    expect(nearestMark(track.marks, 22n, 2n)).toBe(2);
    expect(nearestMark(track.marks, 35n, 5n)).toBe(-1);
    expect(spanAt(track.spans!, 14n)).toBe(0);
    expect(spanAt(track.spans!, 15n)).toBe(-1);
    expect(spanAt(track.spans!, 30n)).toBe(1);
  });

  it('titles a mark by its own title, else the track titleOf', () => {
    expect(markTitle(track, 3)).toBe('call 3');
    expect(markTitle({ ...track, marks: [{ tick: 1n, kind: 'note', title: 'here' }] }, 0)).toBe('here');
  });
});
