// TanStack Query for the library: the list (demos, this browser's recordings,
// after recovering interrupted ones), and the actions that change it.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { deleteStoredRecording, importRecording, type StoredRecording } from '../../../engine/web/recording-store';
import { errorMessage } from '../../../shared/errors';
import { isAnalysisFile, type ImportedAnalysis } from './import-analyses';
import { importAnalysisHere } from './open-analyses';
import { serverRecordings } from '../share/server';
import { exportFileName, loadLibrary, recordingBytes, serverItem, type LibraryItem } from './library';

export const libraryQueryKey = ['library'] as const;

export function useLibrary() {
  return useQuery({ queryKey: libraryQueryKey, queryFn: loadLibrary });
}

/** Server recordings listed at a time (the section asks for more as the user does). */
export const SERVER_PAGE = 24;

/** The page's server's recordings, a page at a time; a page is undefined where the page's server has no API (vite, static hosting). */
export function useServerRecordings() {
  return useInfiniteQuery({
    queryKey: ['library', 'server'],
    initialPageParam: 0,
    queryFn: async ({ pageParam }) => {
      const page = await serverRecordings(SERVER_PAGE, pageParam);
      return page && { items: page.recordings.map(serverItem), total: page.total, next: pageParam + page.recordings.length };
    },
    getNextPageParam: (last) => (last && last.next < last.total && last.items.length > 0 ? last.next : undefined),
    retry: false,
  });
}

/** What opening one file did: added a recording, found it listed already, or failed with the reader's message. */
export type OpenedFile = { name: string; entry: StoredRecording; added: boolean } | { name: string; analysis: ImportedAnalysis } | { name: string; error: string };

export function useOpenRecordingFiles() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (files: File[]): Promise<OpenedFile[]> => {
      const results: OpenedFile[] = [];
      // Recordings first, so the results of one opened with it find it (./import-analyses.ts).
      for (const file of files.filter((f) => !isAnalysisFile(f.name))) {
        try {
          const { entry, added } = await importRecording(new Uint8Array(await file.arrayBuffer()), file.name);
          results.push({ name: file.name, entry, added });
        } catch (err) {
          results.push({ name: file.name, error: errorMessage(err) });
        }
      }
      const analyses = files.filter((f) => isAnalysisFile(f.name));
      if (analyses.length > 0) {
        const library = await loadLibrary();
        const items = new Map([...library.demos, ...library.made, ...library.opened].map((i) => [i.id, i]));
        for (const file of analyses) {
          try {
            results.push({ name: file.name, analysis: await importAnalysisHere(file.name, await file.text(), (id) => items.get(id)) });
          } catch (err) {
            results.push({ name: file.name, error: errorMessage(err) });
          }
        }
      }
      return results;
    },
    onSettled: () => client.invalidateQueries({ queryKey: libraryQueryKey }),
  });
}

export function useDeleteRecording() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteStoredRecording(id),
    onSettled: () => client.invalidateQueries({ queryKey: libraryQueryKey }),
  });
}

/** Export: downloads the recording as a .prnr file (prnr info, replay and verify take it). */
export function useExportRecording() {
  return useMutation({
    mutationFn: async (item: LibraryItem) => {
      const bytes = await recordingBytes(item);
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      try {
        const link = document.createElement('a');
        link.href = url;
        link.download = exportFileName(item);
        document.body.append(link);
        link.click();
        link.remove();
      } finally {
        // The download has its own reference once started.
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    },
  });
}
