import { describe, expect, it } from 'vitest';
import { NOTE_LIMITS } from '../../../shared/server-api';
import { byTick, checkedNote, type LocalNote } from './note-model';
import { notesTrack } from './notes-track';

const note = (id: number, tick: string, text = 'x'): LocalNote => ({ id, tick, text, author: 'ada', created: '2026-12-01T12:00:00.000Z', recording: 'r1' });

describe('notes', () => {
  it('are trimmed and checked against the limits prnr serve keeps', () => {
    expect(checkedNote({ author: '  ada ', text: ' the fork \n', tick: '42' })).toEqual({ author: 'ada', text: 'the fork', tick: '42' });
    expect(() => checkedNote({ author: ' ', text: 'x', tick: '1' })).toThrow(/needs an author/);
    expect(() => checkedNote({ author: 'ada', text: '\n', tick: '1' })).toThrow(/needs some text/);
    expect(() => checkedNote({ author: 'ada', text: 'x'.repeat(NOTE_LIMITS.text + 1), tick: '1' })).toThrow(`at most ${NOTE_LIMITS.text} characters`);
    expect(() => checkedNote({ author: 'ada', text: 'x', tick: '-3' })).toThrow(/a tick is a decimal integer/);
  });

  it('sort by tick as numbers, then in the order written', () => {
    const sorted = [note(3, '100'), note(1, '9'), note(2, '100'), note(4, '18446744073709551615')].sort(byTick);
    expect(sorted.map((n) => n.id)).toEqual([1, 2, 3, 4]);
  });

  it('are marks on the timeline at their ticks, with author and text on hover', () => {
    const track = notesTrack([note(1, '9', 'boot done'), note(2, '100', 'y'.repeat(500))]);
    expect(track.marks.map((m) => [m.tick, m.kind, m.testId])).toEqual([
      [9n, 'note', 'note-mark'],
      [100n, 'note', 'note-mark'],
    ]);
    expect(track.marks[0]!.title).toBe('ada at tick 9: boot done');
    expect(track.marks[1]!.title!.length).toBeLessThan(200);
  });
});
