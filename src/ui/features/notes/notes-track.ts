// The timeline's notes track (src/ui/features/timeline/tracks.ts): a mark per
// note at its tick, its author and text on hover.
import type { TimelineTrack } from '../timeline/tracks';
import type { LocalNote } from './note-model';

/** Longest hover text of a mark; the notes list shows the whole note. */
const TITLE_CHARS = 160;

export function notesTrack(notes: readonly LocalNote[]): TimelineTrack {
  return {
    id: 'notes',
    label: 'notes',
    labelTitle: 'Notes pinned to ticks in this browser',
    marks: notes.map((n) => {
      const text = n.text.length > TITLE_CHARS ? `${n.text.slice(0, TITLE_CHARS)}…` : n.text;
      return { tick: BigInt(n.tick), kind: 'note', title: `${n.author} at tick ${n.tick}: ${text}`, testId: 'note-mark' };
    }),
  };
}
