// A recording's notes through TanStack Query: listed from this browser's
// store, asked again whenever any tab changes them; adding and deleting as
// mutations. The author's name is remembered in this browser.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { NewNote } from '../../../shared/server-api';
import type { TimelineTrack } from '../timeline/tracks';
import { byTick, type LocalNote } from './note-model';
import { notesTrack } from './notes-track';
import { addNote, deleteNote, listNotes, onNotesChanged } from './note-store';

export const notesKey = (id: string) => ['notes', id] as const;

/** The notes on recording `id`, by tick; follows changes made in any tab. */
export function useNotes(id: string) {
  const client = useQueryClient();
  useEffect(() => onNotesChanged((recording) => recording === id && void client.invalidateQueries({ queryKey: notesKey(id) })), [client, id]);
  return useQuery({ queryKey: notesKey(id), queryFn: async (): Promise<LocalNote[]> => (await listNotes(id)).sort(byTick), staleTime: Infinity, retry: false });
}

export function useAddNote(id: string) {
  return useMutation({ mutationFn: (note: NewNote) => addNote(id, note) });
}

export function useDeleteNote(id: string) {
  return useMutation({ mutationFn: (noteId: number) => deleteNote(id, noteId) });
}

const AUTHOR_KEY = 'prnr.note-author';

/** The name notes are signed with, as typed, remembered in this browser for the next note and the next visit. */
export function useAuthor(): [string, (name: string) => void] {
  const [author, setAuthor] = useState(() => globalThis.localStorage?.getItem(AUTHOR_KEY) ?? '');
  const change = (name: string) => {
    setAuthor(name);
    globalThis.localStorage?.setItem(AUTHOR_KEY, name);
  };
  return [author, change];
}

/** The timeline's notes track for recording `id` (the same object while its notes do not change). */
export function useNotesTrack(id: string): TimelineTrack {
  const notes = useNotes(id);
  return useMemo(() => notesTrack(notes.data ?? []), [notes.data]);
}
