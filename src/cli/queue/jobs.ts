// A slice job on the queue (docs/design.md 6, scale-out): what `prnr replay
// --queue` and `prnr analyze --queue` put on BullMQ and `prnr worker` runs.
// The job is the local pool's per-slice job (ReplayWorkerApi.replaySlice or
// analyzeSlice on a replay worker thread), named so that any worker can run
// it: the recording by digest (with a path and/or URL to find it), the slice,
// the analyses' requests, and the code its result depends on (the machine's
// build, each dimension's version and code, the image's analysis files).
// Its id is a hash of exactly that, so the same job asked twice is one job:
// BullMQ keeps a finished job's result and adds nothing for a known id.
import { readFileSync } from 'node:fs';
import type { JobsOptions } from 'bullmq';
import type { SliceAnalysis } from '../../engine/analyze/slice-analysis';
import { sha256Hex } from '../../engine/node/images';
import { defaultMachineWasmPath } from '../../engine/node/machine-module';
import type { SliceResult } from '../../engine/replay/replay-machine';
import { PrnrError } from '../../shared/errors';
import { canonicalParams, decodeAnalysisJson, encodeAnalysisJson, type AnalysisInputs, type AnalysisRuntime, type DimensionRequest } from '../../shared/analysis';

/** Where a worker finds the recording: its digest always, and a path (same machine or shared disk) and/or a URL. */
export interface RecordingRef {
  /** The recording's digest (hex): what the worker checks the file it opens against. */
  digest: string;
  path?: string;
  url?: string;
  /** A `.partial` file, read in recovery mode. */
  recovery: boolean;
}

/** The code a job's result depends on; a worker running other code refuses the job. */
export interface JobCode {
  /** sha256 of the machine (machine.wasm), first 16 hex digits. */
  machine: string;
  /** Each request's dimension version and code fingerprint, in request order. */
  dimensions: Array<{ dimension: string; version: number; code: string }>;
  /** sha256 of the image's analysis files (profile, System.map), first 16 hex digits; '' for a plain replay. */
  inputs: string;
}

export type SliceJobKind = 'replay' | 'analyze';

export interface SliceJobData {
  kind: SliceJobKind;
  recording: RecordingRef;
  slice: number;
  /** The analyses (described: every parameter explicit); none for a replay. */
  requests: DimensionRequest[];
  code: JobCode;
}

/** What a job returns: the worker that ran it and the slice's result. */
export interface SliceJobResult<T> {
  worker: string;
  result: T;
}

export type SliceOutcome = SliceResult | SliceAnalysis;

/** Retries of a job that throws (a worker that cannot open the recording, Redis hiccups), with backoff; a divergence is a result, not a failure. */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  // Kept a week so that the same job asked again returns its result instead of running again.
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** How long a running job's lock lasts unless renewed (a worker renews it every half of that while the job runs). */
export const LOCK_MS = 10_000;
/** How often workers look for jobs whose lock has lapsed (a dead worker's) and put them back. */
export const STALLED_CHECK_MS = 5_000;

const short = (hex: string) => hex.slice(0, 16);

let machine: string | undefined;
/** This build's machine fingerprint. */
export function machineCode(): string {
  machine ??= short(sha256Hex(readFileSync(defaultMachineWasmPath)));
  return machine;
}

/** A fingerprint of the image's analysis files, so a worker with other ones does not answer for them. */
export function inputsCode(inputs: AnalysisInputs): string {
  return short(sha256Hex(new TextEncoder().encode(JSON.stringify([inputs.profile ?? null, inputs.systemMap ?? null]))));
}

/** The code `requests` run on this host. */
export function jobCode(runtime: AnalysisRuntime | undefined, requests: readonly DimensionRequest[], inputs: AnalysisInputs | undefined): JobCode {
  return {
    machine: machineCode(),
    dimensions: requests.map((r) => {
      if (!runtime) throw new PrnrError('ANALYSIS_UNAVAILABLE', 'queued analyses need the analysis runtime');
      const d = runtime.describe(r);
      return { dimension: d.dimension, version: d.version, code: d.code };
    }),
    inputs: inputs ? inputsCode(inputs) : '',
  };
}

/** The job's id: a hash of what its result depends on (not where the recording is found). */
export function sliceJobId(data: SliceJobData): string {
  const content = JSON.stringify([data.kind, data.recording.digest, data.slice, data.requests.map((r) => [r.dimension, canonicalParams(r.params)]), data.code]);
  // A BullMQ id must not be a bare integer nor hold ':'.
  return `${data.kind}-${sha256Hex(new TextEncoder().encode(content))}`;
}

export function encodeJobResult<T extends SliceOutcome>(value: SliceJobResult<T>): string {
  return encodeAnalysisJson(value);
}

export function decodeJobResult<T extends SliceOutcome>(text: unknown): SliceJobResult<T> {
  if (typeof text !== 'string') throw new Error(`a slice job returned ${typeof text}, not its encoded result`);
  return decodeAnalysisJson(text) as SliceJobResult<T>;
}

/** The slice's verification, whatever the job's kind. */
export function verificationOf(outcome: SliceOutcome): SliceResult {
  return 'partials' in outcome ? outcome.slice : outcome;
}
