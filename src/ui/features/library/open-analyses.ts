// Opening `prnr analyze`'s results in this browser (./import-analyses.ts
// checks them): kept in the analysis store, and read out of a dropped
// FILE.analysis/ folder.
import { createAnalysisRuntime } from '../../../analysis/runtime';
import { saveAnalysis } from '../analysis/saved-analyses';
import { forgetAnalysisRun } from '../analysis/useAnalyses';
import { importAnalysis, isAnalysisFile, type AnalysisImportDeps, type ImportedAnalysis } from './import-analyses';

let runtime: ReturnType<typeof createAnalysisRuntime> | undefined;

/** importAnalysis with this browser's store and the app's analyses. */
export function importAnalysisHere(name: string, text: string, recording: AnalysisImportDeps['recording']): Promise<ImportedAnalysis> {
  runtime ??= createAnalysisRuntime();
  const describe = runtime.describe.bind(runtime);
  const save: AnalysisImportDeps['save'] = async (entry) => {
    await saveAnalysis(entry);
    // A recording shown before in this page reads its kept results again when shown next.
    forgetAnalysisRun(entry.recording);
  };
  return importAnalysis(name, text, { recording, describe, save, now: Date.now });
}

/**
 * The files of a drop: files as they are, and from a dropped folder (FILE.analysis/)
 * the results at its top (not its cache/ of partials). Entries must be taken
 * while the drop event runs; reading them may take longer.
 */
export function filesOfDrop(transfer: DataTransfer): Promise<File[]> {
  const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry?.() ?? null);
  const plain = Array.from(transfer.files);
  if (entries.every((e) => e === null || e.isFile)) return Promise.resolve(plain);
  const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));
  const listed = async (dir: FileSystemDirectoryEntry): Promise<File[]> => {
    const reader = dir.createReader();
    const all: FileSystemEntry[] = [];
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      all.push(...batch);
    }
    return Promise.all(all.filter((e): e is FileSystemFileEntry => e.isFile && isAnalysisFile(e.name)).map(fileOf));
  };
  return Promise.all(entries.map((e, i) => (e?.isDirectory ? listed(e as FileSystemDirectoryEntry) : e ? fileOf(e as FileSystemFileEntry) : Promise.resolve(plain[i] ? [plain[i]] : [])))).then((lists) => lists.flat());
}
