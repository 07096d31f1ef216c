// The analyses of one recording as the page knows them (issue 12), a
// framework-free store (subscribe/getSnapshot, bound by ./useAnalyses.ts):
// what each asked dimension has done, slice by slice, with the partials of
// the slices done so a view fills in before the end, then the merged result,
// kept in this browser (./saved-analyses.ts) so the recording opens analysed
// next time. One engine call runs every asked dimension at once (each its
// own slice jobs on the engine's analysis Web Workers). Where the page's
// prnr server keeps the recording, the engine shares partials through it
// (every new one sent, every one it has read instead of replayed), and the
// analyses the server holds for every slice are loaded when the recording
// opens, so a colleague's link opens analysed; ones it holds in part are
// offered.
import type { AnalysisProgress, AnalysisResults } from '../../../engine/engine-api';
import { canonicalParams, type DimensionDescription, type DimensionRequest } from '../../../shared/analysis';
import { errorMessage } from '../../../shared/errors';
import type { SharedAnalysis } from '../../../shared/server-api';
import { answers, type SavedAnalysis } from './kept-analysis';

export type DimensionState = 'running' | 'done' | 'failed';

export interface DimensionRun {
  description: DimensionDescription;
  state: DimensionState;
  /** Slices in the request, and which are done (read from the cache or replayed). */
  total: number;
  done: boolean[];
  doneCount: number;
  /** Of the done slices, those read (from the engine's cache or the server) rather than replayed. */
  cachedCount: number;
  /** Each done slice's partial, by slice index, while the result is not in. */
  partials: unknown[];
  result?: unknown;
  /** What ./slice-summaries.ts keeps per slice for the timeline once the result is in. */
  slices?: unknown[];
  /** From the browser's store, not computed in this page. */
  saved: boolean;
  /** Loaded because the page's server holds it (its partials read from there) when the recording opened. */
  fromServer: boolean;
  /** In the browser's store (read from it, or written once computed). */
  kept: boolean;
  elapsedMs?: number;
  error?: string;
}

export interface AnalysesSnapshot {
  /** By request label, in the order asked. */
  runs: readonly DimensionRun[];
  running: boolean;
  /** Whether the kept results have been read. */
  loaded: boolean;
  /** Slices the last run replayed (the engine's verified slices; 0 when every partial was read). */
  replayed?: number;
  /** Analyses the page's server holds for some slices of the recording, not loaded (loading replays the rest). */
  offered: readonly OfferedAnalysis[];
  /** What the user should hear that is not an error (the server could not be used). */
  note?: string;
  error?: string;
}

/** An analysis the server holds partials of: its request and how many slices it has. */
export interface OfferedAnalysis {
  description: DimensionDescription;
  /** Slices the server has, of the recording's `total`. */
  slices: number;
  total: number;
}

/** The engine's analyze, as the store calls it (a Comlink proxy wraps the listener). */
export type Analyze = (requests: DimensionRequest[], jobs: number | undefined, onProgress: (p: AnalysisProgress) => void, server: string | undefined) => Promise<AnalysisResults>;

/** The page's prnr server (./server-analyses.ts): its origin, and what it holds of a recording (undefined when it does not keep it). */
export interface AnalysisServer {
  origin: string;
  list(recording: string): Promise<SharedAnalysis[] | undefined>;
}

export interface AnalysisRunDeps {
  recording: string;
  sliceCount: number;
  analyze: Analyze;
  /** Fills in defaults (the analysis runtime's describe). */
  describe(request: DimensionRequest): DimensionDescription;
  /** What to keep per slice of a finished dimension, for the timeline. */
  summarize(run: DimensionRun): unknown[] | undefined;
  /** Where finished results are kept (the browser's: ./saved-analyses.ts). */
  store: { list(recording: string): Promise<SavedAnalysis[]>; save(entry: SavedAnalysis): Promise<void> };
  /** The page's prnr server, if the page has one. */
  server?: AnalysisServer;
  now?(): number;
}

export class AnalysisRun {
  private snapshot: AnalysesSnapshot = { runs: [], running: false, loaded: false, offered: [] };
  private readonly listeners = new Set<() => void>();
  private readonly store: AnalysisRunDeps['store'];
  private readonly now: () => number;

  constructor(private readonly deps: AnalysisRunDeps) {
    this.store = deps.store;
    this.now = deps.now ?? (() => performance.now());
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): AnalysesSnapshot => this.snapshot;

  private set(change: Partial<AnalysesSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const l of this.listeners) l();
  }

  private update(label: string, change: (run: DimensionRun) => DimensionRun): void {
    this.set({ runs: this.snapshot.runs.map((r) => (r.description.label === label ? change(r) : r)) });
  }

  /** Reads the results kept in this browser for the recording (once). */
  async load(): Promise<void> {
    if (this.snapshot.loaded) return;
    try {
      const kept = await this.store.list(this.deps.recording);
      const runs = kept.flatMap((k): DimensionRun[] => {
        let current: DimensionDescription;
        try {
          current = this.deps.describe({ dimension: k.description.dimension, params: k.description.params });
        } catch {
          return [];
        }
        if (!answers(k.description, current) || this.snapshot.runs.some((r) => r.description.label === k.label)) return [];
        const total = this.deps.sliceCount;
        return [{ description: current, state: 'done', total, done: Array<boolean>(total).fill(true), doneCount: total, cachedCount: total, partials: [], result: k.result, slices: k.slices, saved: true, fromServer: false, kept: true, elapsedMs: k.elapsedMs }];
      });
      this.set({ runs: [...this.snapshot.runs, ...runs], loaded: true });
    } catch (err) {
      this.set({ loaded: true, error: `kept analyses could not be read: ${errorMessage(err)}` });
    }
    await this.loadShared();
  }

  /** The analyses the page's server holds (this code's, not shown yet): every slice's are loaded (read, not replayed), the others offered. */
  private async loadShared(): Promise<void> {
    let shared: SharedAnalysis[] | undefined;
    try {
      shared = await this.deps.server?.list(this.deps.recording);
    } catch (err) {
      this.set({ note: `the analyses on ${this.deps.server?.origin} could not be read: ${errorMessage(err)}` });
      return;
    }
    const offered = (shared ?? []).flatMap((a): OfferedAnalysis[] => {
      let current: DimensionDescription;
      try {
        current = this.deps.describe({ dimension: a.dimension, params: a.params });
      } catch {
        return [];
      }
      // Made by other code, or asked with other parameters than its defaults fill in: not this page's to read.
      if (current.version !== a.version || current.code !== a.code || canonicalParams(current.params) !== canonicalParams(a.params)) return [];
      if (a.slices.length === 0 || this.snapshot.runs.some((r) => r.description.label === current.label)) return [];
      return [{ description: current, slices: a.slices.length, total: this.deps.sliceCount }];
    });
    const complete = offered.filter((o) => o.slices >= this.deps.sliceCount);
    this.set({ offered: offered.filter((o) => o.slices < this.deps.sliceCount) });
    if (complete.length > 0) await this.run(complete.map((o) => ({ dimension: o.description.dimension, params: o.description.params })), undefined, true);
  }

  /** Runs `requests` at once (each replaces a kept result of the same label); resolves when all are done or one failed. `fromServer`: loading what the page's server holds. */
  async run(requests: readonly DimensionRequest[], jobs?: number, fromServer = false): Promise<void> {
    if (this.snapshot.running) return;
    let descriptions: DimensionDescription[];
    try {
      descriptions = requests.map((r) => this.deps.describe(r));
    } catch (err) {
      this.set({ error: errorMessage(err) });
      return;
    }
    const total = this.deps.sliceCount;
    const fresh = descriptions.map((description): DimensionRun => ({ description, state: 'running', total, done: Array<boolean>(total).fill(false), doneCount: 0, cachedCount: 0, partials: [], saved: false, fromServer, kept: false }));
    const labels = new Set(descriptions.map((d) => d.label));
    this.set({ runs: [...this.snapshot.runs.filter((r) => !labels.has(r.description.label)), ...fresh], offered: this.snapshot.offered.filter((o) => !labels.has(o.description.label)), running: true, replayed: undefined, note: undefined, error: undefined });
    const started = this.now();
    try {
      const out = await this.deps.analyze(descriptions.map((d) => ({ dimension: d.dimension, params: d.params })), jobs, (p) => this.progress(p), this.deps.server ? await this.sharingServer() : undefined);
      const elapsedMs = this.now() - started;
      this.set(out.notes.length > 0 ? { replayed: out.verified.length, note: out.notes.join('; ') } : { replayed: out.verified.length });
      for (const outcome of out.dimensions) {
        const label = outcome.description.label;
        this.update(label, (r) => {
          // The engine's count, not the progress seen: the listener's messages come on a port of their own, so the last may arrive after the result.
          const finished: DimensionRun = { ...r, state: 'done', result: outcome.result, done: Array<boolean>(r.total).fill(true), doneCount: r.total, cachedCount: outcome.cached, elapsedMs };
          return { ...finished, slices: this.deps.summarize(finished), partials: [] };
        });
      }
      this.set({ running: false });
      await Promise.all(
        this.snapshot.runs
          .filter((r) => labels.has(r.description.label) && r.state === 'done')
          .map(async (r) => {
            await this.store.save({ recording: this.deps.recording, label: r.description.label, description: r.description, result: r.result, slices: r.slices, elapsedMs, saved: Date.now() });
            this.update(r.description.label, (x) => ({ ...x, kept: true }));
          }),
      ).catch((err: unknown) => this.set({ error: `the results could not be kept in this browser: ${errorMessage(err)}` }));
    } catch (err) {
      const message = errorMessage(err);
      this.set({ runs: this.snapshot.runs.map((r) => (labels.has(r.description.label) && r.state === 'running' ? { ...r, state: 'failed', error: message } : r)), running: false, error: message });
    }
  }

  private progress(p: AnalysisProgress): void {
    this.update(p.label, (r) => {
      if (r.state !== 'running') return r;
      // Slices are numbered in the recording; the request covers all of them.
      const done = r.done.slice();
      const partials = r.partials.slice();
      done[p.slice] = true;
      partials[p.slice] = p.partial;
      return { ...r, done, partials, doneCount: p.done, cachedCount: r.cachedCount + (p.cached ? 1 : 0), total: p.total };
    });
  }

  /** The page's server if it keeps the recording (asked before each run: it may have been shared since the page opened), else undefined. */
  private async sharingServer(): Promise<string | undefined> {
    const server = this.deps.server;
    if (!server) return undefined;
    try {
      return (await server.list(this.deps.recording)) ? server.origin : undefined;
    } catch (err) {
      this.set({ note: `analyses are not shared through ${server.origin}: ${errorMessage(err)}` });
      return undefined;
    }
  }
}
