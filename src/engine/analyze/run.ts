// Analysing a recording (docs/design.md 4, 5): every slice replayed on the
// pool with the hooks on, several dimensions at once, each slice verified
// against its state root; partials cached by (recording, slice, dimension,
// version, parameters), so a second run replays nothing; then each
// dimension's partials merged in slice order. Runtime-neutral: the host
// gives the pool, the cache and the analyses.
import { combineNeeds, type AnalysisInputs, type AnalysisParam, type AnalysisRuntime, type DimensionDescription, type DimensionRequest, type Provenance } from '../../shared/analysis';
import { PrnrError } from '../../shared/errors';
import type { Recording } from '../../shared/recording/reader';
import { toHex } from '../../shared/sha256';
import type { PoolEvent } from '../replay/pool';
import type { SliceResult } from '../replay/replay-machine';
import type { SliceAnalysis } from './slice-analysis';

/** Where one slice's partial for one dimension is kept. */
export interface PartialKey {
  recording: string;
  dimension: string;
  version: number;
  code: string;
  params: Record<string, AnalysisParam>;
  slice: number;
}

/** Partials by key, kept for good (they never change). */
export interface AnalysisCache {
  get(key: PartialKey): Promise<unknown> | unknown;
  put(key: PartialKey, partial: unknown): Promise<void> | void;
}

/** What runs slices: a ReplayPool, or anything that analyses slices as it does. */
export interface SliceAnalyzer {
  analyze(slices: readonly number[], requests: DimensionRequest[], inputs: AnalysisInputs, onEvent?: (event: PoolEvent, analysis?: SliceAnalysis) => void): Promise<SliceAnalysis[]>;
}

export interface AnalysisProgress {
  dimension: string;
  /** Which request, when several of one dimension run (DimensionDescription.label). */
  label: string;
  slice: number;
  /** Slices of this dimension done (cached ones included), of `total`. */
  done: number;
  total: number;
  /** Read from the cache, not replayed. */
  cached: boolean;
  /** The worker that replayed it (undefined when cached). */
  worker?: number;
  /** The slice's partial, for a client that shows results as they come. */
  partial: unknown;
}

export interface AnalyzeOptions {
  rec: Recording;
  requests: readonly DimensionRequest[];
  runtime: AnalysisRuntime;
  inputs: AnalysisInputs;
  /** Slices to analyse (default: all); consecutive, since calls that span slices are stitched in order. */
  slices?: readonly number[];
  /** One pass per dimension instead of one replay per slice feeding every dimension (for measuring: it is slower). */
  separate?: boolean;
  cache?: AnalysisCache;
  /** Starts what replays slices; called only if some partial is not cached. */
  analyzer(): Promise<SliceAnalyzer>;
  onProgress?(progress: AnalysisProgress): void;
}

export interface DimensionOutcome {
  description: DimensionDescription;
  provenance: Provenance;
  result: unknown;
  /** Slices read from the cache. */
  cached: number;
}

export interface AnalysisOutcome {
  dimensions: DimensionOutcome[];
  /** The verification of every slice replayed (none when all came from the cache). */
  verified: SliceResult[];
  /** Replays run: slices, times passes. */
  replays: number;
}

export async function analyzeRecording(o: AnalyzeOptions): Promise<AnalysisOutcome> {
  const slices = [...(o.slices ?? o.rec.slices.map((s) => s.index))].sort((a, b) => a - b);
  for (const [k, i] of slices.entries()) {
    if (!o.rec.slices[i]) throw new PrnrError('RECORDING_RANGE', `no slice ${i} (the recording has ${o.rec.slices.length})`);
    if (k > 0 && i !== slices[k - 1] + 1) throw new PrnrError('ANALYSIS_SLICES', `analysed slices must be consecutive (${slices[k - 1]} then ${i}): calls that span slices are stitched in order`);
  }
  const recording = toHex(o.rec.digest);
  const descriptions = o.requests.map((r) => o.runtime.describe(r));
  const names = new Set<string>();
  for (const d of descriptions) {
    const key = `${d.dimension} ${JSON.stringify(d.params)}`;
    if (names.has(key)) throw new PrnrError('ANALYSIS_PARAMS', `${d.dimension} is asked for twice with the same parameters`);
    names.add(key);
  }
  const keyOf = (d: DimensionDescription, slice: number): PartialKey => ({ recording, dimension: d.dimension, version: d.version, code: d.code, params: d.params, slice });
  const partials = descriptions.map(() => new Map<number, unknown>());
  const done = descriptions.map(() => 0);
  const report = (k: number, slice: number, partial: unknown, cached: boolean, worker?: number) => {
    partials[k].set(slice, partial);
    done[k]++;
    o.onProgress?.({ dimension: descriptions[k].dimension, label: descriptions[k].label, slice, done: done[k], total: slices.length, cached, worker, partial });
  };
  for (const [k, d] of descriptions.entries()) {
    for (const slice of slices) {
      const hit = o.cache ? await o.cache.get(keyOf(d, slice)) : undefined;
      if (hit !== undefined) report(k, slice, hit, true);
    }
  }
  const cachedCounts = partials.map((p) => p.size);
  const verified: SliceResult[] = [];
  let replays = 0;
  const missing = (k: number) => slices.filter((i) => !partials[k].has(i));
  const passes: number[][] = o.separate ? descriptions.map((_, k) => [k]) : [descriptions.map((_, k) => k)];
  for (const pass of passes) combineNeeds(pass.map((k) => descriptions[k].needs)); // what a replay needs must fit the machine (watched ranges): said before any replay
  let analyzer: SliceAnalyzer | undefined;
  for (const pass of passes) {
    const todo = [...new Set(pass.flatMap((k) => missing(k)))].sort((a, b) => a - b);
    if (todo.length === 0) continue;
    const wanted = pass.filter((k) => missing(k).length > 0);
    const fresh = wanted.map((k) => new Set(missing(k)));
    analyzer ??= await o.analyzer();
    const results = await analyzer.analyze(todo, wanted.map((k) => ({ dimension: descriptions[k].dimension, params: descriptions[k].params })), o.inputs, (event, analysis) => {
      if (event.state !== 'done' || !analysis || !analysis.slice.ok) return;
      for (const [j, k] of wanted.entries()) if (!partials[k].has(event.slice)) report(k, event.slice, analysis.partials[j], false, event.worker);
    });
    replays += results.length;
    const failed = results.find((r) => !r.slice.ok);
    verified.push(...results.map((r) => r.slice));
    if (failed) throw new PrnrError('ANALYSIS_DIVERGED', `slice ${failed.slice.index} did not replay to its recorded state (${failed.slice.divergence ?? 'the state root differs'}), so its analysis cannot be trusted`);
    if (o.cache) {
      for (const r of results) for (const [j, k] of wanted.entries()) if (fresh[j].has(r.slice.index)) await o.cache.put(keyOf(descriptions[k], r.slice.index), r.partials[j]);
    }
  }
  return {
    dimensions: descriptions.map((d, k) => ({
      description: d,
      provenance: { recording, analysis: d.dimension, version: d.version, code: d.code, params: d.params, slices },
      result: o.runtime.merge({ dimension: d.dimension, params: d.params }, slices.map((i) => partials[k].get(i)), o.inputs),
      cached: cachedCounts[k],
    })),
    verified,
    replays,
  };
}
