// The recordings kept in this browser (docs/design.md 6): files in OPFS
// (./opfs.ts) with an IndexedDB entry each (./recording-index.ts). Every file
// is opened with the engine's own reader before it is listed, so a corrupt
// or foreign file is refused with the reader's message, and a recording's id
// is its digest, as the engine names it: opening the same file twice gives
// one recording. A `.partial` file (a live recording cut off by a closed tab)
// opens in recovery mode: every slice up to its last snapshot. Runs in the
// page (and in workers, which have the same storage APIs).
import { errorCode, PrnrError } from '../../shared/errors';
import { PARTIAL_SUFFIX, type RecordingHeader } from '../../shared/recording/format';
import { openRecording } from '../../shared/recording/reader';
import { bytesSource } from '../../shared/recording/source';
import { sha256, toHex } from '../../shared/sha256';
import { listRecordingFiles, readRecordingFile, removeRecordingFile, writeRecordingFile } from './opfs';
import { recordingIndex, sessionIndex, type RecordingSession, type StoredRecording, type StoredSource } from './recording-index';
import { recordingLockName } from './snapshot-messages';

export type { RecordingSession, StoredRecording, StoredSource } from './recording-index';

/** What the reader says about a recording's bytes. */
export interface RecordingSummary {
  id: string;
  complete: boolean;
  bytes: number;
  ticks: string;
  slices: number;
  header: RecordingHeader;
}

/**
 * Opens `bytes` with the reader (the engine's checks: magic, version, frames,
 * chain, END, roots) and reads every blob, and sums it up; throws its PrnrError (RECORDING_CORRUPT,
 * RECORDING_VERSION, RECORDING_TRUNCATED, RECORDING_TAMPERED) otherwise.
 * With `recovery`, a file without a valid END keeps its slices up to its last snapshot.
 */
export function summarizeRecording(bytes: Uint8Array, options: { name?: string; recovery?: boolean } = {}): RecordingSummary {
  const source = bytesSource(bytes, options.name);
  let rec;
  try {
    rec = openRecording(source, { sha256 });
  } catch (err) {
    if (!options.recovery) throw err;
    rec = openRecording(source, { sha256, recovery: true });
  }
  // Every blob too (frame, encoding, size, hash), as prnr verify does: a damaged page is refused now, not when a seek reaches it.
  rec.verifyBlobs();
  const last = rec.snapshots[rec.snapshots.length - 1];
  return { id: toHex(rec.digest), complete: rec.complete, bytes: bytes.length, ticks: last.tick.toString(), slices: rec.slices.length, header: rec.header };
}

/** The file a recording is stored in: by id, so one recording is one file. */
export function storedFileName(id: string, complete: boolean): string {
  return `${id}.prnr${complete ? '' : PARTIAL_SUFFIX}`;
}

const stem = (name: string) => name.replace(/\.partial$/, '').replace(/\.prnr$/, '');

export async function listStoredRecordings(): Promise<StoredRecording[]> {
  return (await recordingIndex.list()).sort((a, b) => b.created - a.created);
}

export async function getStoredRecording(id: string): Promise<StoredRecording | undefined> {
  return recordingIndex.get(id);
}

/** A stored recording's bytes, and whether it opens in recovery mode. */
export async function readStoredRecording(id: string): Promise<{ entry: StoredRecording; bytes: Uint8Array; recovery: boolean }> {
  const entry = await recordingIndex.get(id);
  if (!entry) throw new PrnrError('RECORDING_NOT_FOUND', `no recording ${id.slice(0, 16)}… in this browser`);
  return { entry, bytes: await readRecordingFile(entry.file), recovery: !entry.complete };
}

/**
 * Adds a file the user opened: checked by the reader, stored under its id.
 * The same recording opened again is the entry it already has (`added` false).
 */
export async function importRecording(bytes: Uint8Array, fileName: string): Promise<{ entry: StoredRecording; added: boolean }> {
  const summary = summarizeRecording(bytes, { name: fileName, recovery: fileName.endsWith(PARTIAL_SUFFIX) });
  const existing = await recordingIndex.get(summary.id);
  if (existing) return { entry: existing, added: false };
  const file = storedFileName(summary.id, summary.complete);
  await writeRecordingFile(file, bytes);
  const entry = entryFor(summary, { file, title: stem(fileName) || 'Opened recording', source: 'opened file', created: Date.now() });
  await recordingIndex.put(entry);
  return { entry, added: true };
}

/** Registers a live recording about to start, so that it is recovered under its title if the tab closes. */
export async function beginRecordingSession(session: RecordingSession): Promise<void> {
  await sessionIndex.put(session);
}

/** Indexes a live recording the snapshot worker finished (`file` in OPFS), after reading it back. */
export async function indexFinishedRecording(file: string): Promise<StoredRecording> {
  const sessions = await sessionIndex.list();
  const session = sessions.find((s) => s.file === file);
  const entry = await indexFile(file, session, 'made here');
  if (session) await sessionIndex.delete(session.file);
  return entry;
}

async function indexFile(file: string, session: RecordingSession | undefined, source: StoredSource): Promise<StoredRecording> {
  const bytes = await readRecordingFile(file);
  const summary = summarizeRecording(bytes, { name: file, recovery: file.endsWith(PARTIAL_SUFFIX) });
  if (summary.slices === 0) throw new PrnrError('RECORDING_TRUNCATED', `${file} was cut off before its first slice ended`);
  const existing = await recordingIndex.get(summary.id);
  if (existing && existing.file !== file) {
    // The same recording is stored already (e.g. opened as a file before): keep one copy.
    await removeRecordingFile(file);
    return existing;
  }
  const entry = entryFor(summary, {
    file,
    title: session?.title ?? (summary.complete ? 'Recorded in this browser' : 'Interrupted recording'),
    source: summary.complete ? source : 'recovered',
    created: session?.created ?? Date.now(),
  });
  await recordingIndex.put(entry);
  return entry;
}

export interface RecoveryProblem {
  file: string;
  message: string;
}

/**
 * Indexes every file in OPFS that no entry names and no recorder holds (a
 * live recording cut off by a closed tab, or finished just before the tab
 * closed): opened in recovery mode if it has no END. One that kept no slice
 * (closed during the boot) is deleted; one that does not open is reported
 * and left alone.
 */
export async function recoverInterrupted(): Promise<{ recovered: StoredRecording[]; problems: RecoveryProblem[] }> {
  const [files, entries, sessions, held] = await Promise.all([listRecordingFiles(), recordingIndex.list(), sessionIndex.list(), heldLocks()]);
  const named = new Set(entries.map((e) => e.file));
  const recovered: StoredRecording[] = [];
  const problems: RecoveryProblem[] = [];
  for (const file of files) {
    if (named.has(file)) continue;
    const recording = file.endsWith(PARTIAL_SUFFIX) ? file.slice(0, -PARTIAL_SUFFIX.length) : file;
    if (held.has(recordingLockName(recording))) continue; // being written, here or in another tab
    const session = sessions.find((s) => s.file === recording);
    try {
      const entry = await indexFile(file, session, 'made here');
      if (!recovered.includes(entry)) recovered.push(entry);
      if (session) await sessionIndex.delete(session.file);
    } catch (err) {
      const message = (err as Error).message;
      // Cut off before it kept a slice (the tab closed during the boot): nothing to recover.
      if (errorCode(err) === 'RECORDING_TRUNCATED') {
        await removeRecordingFile(file);
        if (session) await sessionIndex.delete(session.file);
      } else {
        problems.push({ file, message });
      }
    }
  }
  return { recovered, problems };
}

/** Deletes a stored recording: its file and its entry. */
export async function deleteStoredRecording(id: string): Promise<void> {
  const entry = await recordingIndex.get(id);
  if (!entry) return;
  await removeRecordingFile(entry.file);
  await recordingIndex.delete(id);
}

/** A fresh file name for a live recording. */
export function liveRecordingFileName(now = Date.now()): string {
  const random = new Uint32Array(1);
  crypto.getRandomValues(random);
  return `live-${new Date(now).toISOString().replace(/[:.]/g, '-')}-${random[0].toString(16).padStart(8, '0')}.prnr`;
}

async function heldLocks(): Promise<Set<string>> {
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
  if (!locks) return new Set();
  const { held = [], pending = [] } = await locks.query();
  return new Set([...held, ...pending].map((l) => l.name ?? ''));
}

function entryFor(summary: RecordingSummary, rest: Pick<StoredRecording, 'file' | 'title' | 'source' | 'created'>): StoredRecording {
  return { id: summary.id, bytes: summary.bytes, ticks: summary.ticks, slices: summary.slices, complete: summary.complete, ...rest };
}
