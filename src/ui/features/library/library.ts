// The library's recordings, from every place they come from (docs/design.md
// 8): the demos that ship with the app, the recordings kept in this browser
// (made here, opened files, recovered after a closed tab), one item per
// recording id, and those of the prnr server the page came from (listed a
// page at a time, ./queries.ts useServerRecordings). recordingSource(id) is how a view of one recording (the
// recording page, /r/<id>) gets its bytes to open in the engine.
import type { RecordingFrom } from '../../../engine/engine-api';
import { getStoredRecording, listStoredRecordings, readStoredRecording, recoverInterrupted, type RecoveryProblem, type StoredRecording } from '../../../engine/web/recording-store';
import type { DemoEntry } from '../../../shared/demo-manifest';
import { errorMessage, PrnrError } from '../../../shared/errors';
import type { SharedRecording } from '../../../shared/server-api';
import { sharedFileUrl } from '../share/server';
import { fetchDemoBytes, fetchDemos } from './demos';

export type RecordingSourceKind = 'demo' | StoredRecording['source'] | 'server';

/** One recording as the library shows it. */
export interface LibraryItem {
  id: string;
  title: string;
  source: RecordingSourceKind;
  /** Two lines on what to look at (demos). */
  about?: string[];
  /** The recording's size, and what the browser downloads for it (demos are gzipped). */
  bytes: number;
  downloadBytes?: number;
  /** The tick of its last snapshot. */
  ticks: bigint;
  slices: number;
  complete: boolean;
  /** When it was made or added in this browser. */
  created?: number;
  demo?: DemoEntry;
  stored?: StoredRecording;
  /** The page's server keeps it (opened from there by ranges). */
  shared?: SharedRecording;
}

export interface Library {
  demos: LibraryItem[];
  /** Why the demos are not listed, if they are not. */
  demosError?: string;
  /** Made in this browser or recovered, newest first. */
  made: LibraryItem[];
  opened: LibraryItem[];
  /** Interrupted recordings that could not be recovered. */
  problems: RecoveryProblem[];
  /** Why this browser keeps no recordings, if it does not (no OPFS or IndexedDB). */
  storageError?: string;
}

function demoItem(demo: DemoEntry): LibraryItem {
  return { id: demo.id, title: demo.title, source: 'demo', about: demo.about, bytes: demo.bytes, downloadBytes: demo.fileBytes, ticks: BigInt(demo.ticks), slices: demo.slices, complete: true, demo };
}

function storedItem(stored: StoredRecording): LibraryItem {
  return { id: stored.id, title: stored.title, source: stored.source, bytes: stored.bytes, ticks: BigInt(stored.ticks), slices: stored.slices, complete: stored.complete, created: stored.created, stored };
}

/** A recording the page's server keeps, as a card (created is the server's upload time). */
export function serverItem(shared: SharedRecording): LibraryItem {
  return { id: shared.id, title: shared.title, source: 'server', bytes: shared.bytes, ticks: BigInt(shared.ticks), slices: shared.slices, complete: true, created: Date.parse(shared.created), shared };
}

let demoList: Promise<DemoEntry[]> | undefined;

/** The demo manifest, fetched once per page (it changes only with the app). */
function demos(): Promise<DemoEntry[]> {
  demoList ??= fetchDemos().catch((err: unknown) => {
    demoList = undefined;
    throw err;
  });
  return demoList;
}

/** Everything the library lists; first indexes recordings cut off by a closed tab. */
export async function loadLibrary(): Promise<Library> {
  const library: Library = { demos: [], made: [], opened: [], problems: [] };
  const [demoResult, storedResult] = await Promise.allSettled([
    demos(),
    (async () => {
      const { problems } = await recoverInterrupted();
      return { problems, stored: await listStoredRecordings() };
    })(),
  ]);
  if (demoResult.status === 'fulfilled') library.demos = demoResult.value.map(demoItem);
  else library.demosError = errorMessage(demoResult.reason);
  if (storedResult.status === 'fulfilled') {
    const demoIds = new Set(library.demos.map((d) => d.id));
    library.problems = storedResult.value.problems;
    // A demo opened as a file is still the demo: one card per recording.
    for (const stored of storedResult.value.stored.filter((s) => !demoIds.has(s.id))) (stored.source === 'opened file' ? library.opened : library.made).push(storedItem(stored));
  } else {
    library.storageError = errorMessage(storedResult.reason);
  }
  return library;
}

/** The recording `id` as the engine opens it (EngineApi.openRecording), with the library's item for it. */
export async function recordingSource(id: string): Promise<{ item: LibraryItem; from: RecordingFrom }> {
  const demo = (await demos().catch(() => [])).find((d) => d.id === id);
  if (demo) return { item: demoItem(demo), from: { bytes: await fetchDemoBytes(demo) } };
  const entry = await getStoredRecording(id);
  if (!entry) throw new PrnrError('RECORDING_NOT_FOUND', `no recording ${id.slice(0, 16)}… in this browser: open its file from the library first`);
  // The engine reads its OPFS file by parts (docs/design.md 6): the first frame does not wait for the whole file.
  return { item: storedItem(entry), from: { path: entry.file, recovery: !entry.complete } };
}

/** The bytes of a listed recording, for Export. */
export async function recordingBytes(item: LibraryItem): Promise<Uint8Array> {
  if (item.demo) return fetchDemoBytes(item.demo);
  if (item.shared) {
    const response = await fetch(sharedFileUrl(item.id)).catch((err: unknown) => {
      throw new PrnrError('SERVER_UNREACHABLE', `cannot fetch ${item.title} from this server: ${errorMessage(err)}`);
    });
    if (!response.ok) throw new PrnrError('RECORDING_NOT_FOUND', `the server answered ${response.status} for ${item.title}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  return (await readStoredRecording(item.id)).bytes;
}

/** A file name for an exported recording: its title, and .partial for one without END (as prnr names it). */
export function exportFileName(item: LibraryItem): string {
  const base = item.title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'recording';
  return `${base}-${item.id.slice(0, 8)}.prnr${item.complete ? '' : '.partial'}`;
}
