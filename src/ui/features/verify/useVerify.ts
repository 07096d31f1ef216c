// The verification of one recording, kept per recording for the page's life.
import * as Comlink from 'comlink';
import { useSyncExternalStore } from 'react';
import type { VerifyListener } from '../../../engine/engine-api';
import { getEngine } from '../engine/engine';
import { VerifyRun, type VerifyState } from './verify-run';

const runs = new Map<string, VerifyRun>();

export function verifyRunFor(id: string, sliceCount: number): VerifyRun {
  let run = runs.get(id);
  if (!run || run.sliceCount !== sliceCount) runs.set(id, (run = new VerifyRun(sliceCount)));
  return run;
}

/** As many replay workers as the browser has cores. */
export function verifyJobs(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

export function startVerify(id: string, run: VerifyRun, jobs = verifyJobs()): Promise<void> {
  return run.start(jobs, (jobs, onProgress) => getEngine().api.verifySlices(id, { jobs }, Comlink.proxy<VerifyListener>({ onProgress })));
}

export function useVerify(id: string, sliceCount: number): { run: VerifyRun; state: VerifyState } {
  const run = verifyRunFor(id, sliceCount);
  const state = useSyncExternalStore(run.subscribe, run.getSnapshot);
  return { run, state };
}
