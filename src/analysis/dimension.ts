// What one analysis is (docs/design.md 5): a dimension with a name and a
// version, parameters with defaults, the hooks it needs, an observer per
// slice that turns that slice's events into a partial, and a merge of the
// partials in slice order. The runtime (runtime.ts) serves every dimension
// in dimensions/index.ts to the engine through src/shared/analysis.ts.
import type { AnalysisInputs, AnalysisParam, HookNeeds, MachineView, AnalysisEvent, SliceSpan, WatchRange } from '../shared/analysis.ts';
import { PrnrError } from '../shared/errors.ts';
import type { KernelLayout } from './linux/kernel.ts';
import type { OsProfile } from './os-profile.ts';

/** What the dimensions know of the image besides the replay (built once per set of inputs). */
export interface AnalysisEnv {
  profile: OsProfile | undefined;
  /** The task_struct offsets the profile gives, when it gives them. */
  layout: KernelLayout | undefined;
  /** Why tasks cannot be named, when they cannot ("unknown task"). */
  taskNote: string | undefined;
  inputs: AnalysisInputs;
}

export interface DimensionObserver<Partial> {
  event(event: AnalysisEvent, view: MachineView): void;
  output?(tick: bigint, data: Uint8Array): void;
  /** SliceObserver.watches (src/shared/analysis.ts), for a dimension whose needs have dynamicWatches. */
  watches?(view: MachineView): readonly WatchRange[];
  finish(): Partial;
}

export type Params = Record<string, AnalysisParam>;

export interface Dimension<P extends Params, Partial, Result> {
  name: string;
  /** Bumped whenever a partial or result would come out different: cached partials of another version are not used. */
  version: number;
  summary: string;
  /** Checks `given` and fills in defaults; throws PrnrError ANALYSIS_PARAMS. */
  params(given: Params): P;
  needs(params: P): HookNeeds;
  /** A name for one request's result among others of this dimension (default: the dimension's name). */
  label?(params: P): string;
  /** A fingerprint of code outside the dimension its results depend on (DimensionDescription.code). */
  code?(): string;
  start(params: P, slice: SliceSpan, env: AnalysisEnv): DimensionObserver<Partial>;
  merge(params: P, partials: readonly Partial[], env: AnalysisEnv): Result;
}

/** Any dimension, as the runtime holds them in one table. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDimension = Dimension<any, any, any>;

/** One parameter of a dimension: an integer in a range, with a default. */
export interface IntegerParam {
  min: number;
  max: number;
  default: number;
  help: string;
}

/** Checks `given` against `spec` (unknown names, non-integers, out of range) and fills in defaults. */
export function integerParams<K extends string>(dimension: string, given: Params, spec: Record<K, IntegerParam>): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const name of Object.keys(given)) {
    if (!(name in spec)) throw new PrnrError('ANALYSIS_PARAMS', `${dimension} has no parameter "${name}"${Object.keys(spec).length ? ` (it has ${Object.keys(spec).join(', ')})` : ''}`);
  }
  for (const name of Object.keys(spec) as K[]) {
    const s = spec[name];
    const value = given[name] ?? s.default;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < s.min || value > s.max) {
      throw new PrnrError('ANALYSIS_PARAMS', `${dimension}: ${name} (${s.help}) must be a whole number from ${s.min} to ${s.max}, got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out;
}
