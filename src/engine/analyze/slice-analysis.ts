// One slice, replayed for several analyses at once (docs/design.md 4, 5):
// the hooks every requested dimension needs are turned on, the replay stops
// at each syscall entry and return (and at each sampling tick) so the
// analyses see the machine exactly there, every event goes to the
// dimensions that asked for its kind, and the slice is still verified
// against the next snapshot's state root. Runtime-neutral: it runs in a
// replay worker (replay-worker.ts) or on the engine's own thread.
import { combineNeeds, type AnalysisEvent, type AnalysisInputs, type AnalysisRuntime, type DimensionRequest, type HookNeeds, type SliceObserver } from '../../shared/analysis';
import { PrnrError } from '../../shared/errors';
import { HOOK_SATP, HOOK_STOP, HOOK_SYSCALL, HOOK_SYSRET } from '../../shared/machine-constants';
import type { ReplayMachine, SliceResult } from '../replay/replay-machine';
import { ReplayView } from './machine-view';

export interface SliceAnalysis {
  /** The slice's verification, replayed with the hooks on. */
  slice: SliceResult;
  /** One partial per request, in the order asked; undefined where the slice did not verify. */
  partials: unknown[];
  /** Hook events delivered, and runs the replay took (each stop is one). */
  events: number;
  runs: number;
}

/** The machine's hook mask for `needs`. */
export function hookMask(needs: HookNeeds): number {
  return (needs.syscalls ? HOOK_SYSCALL | HOOK_SYSRET | HOOK_STOP : 0) | (needs.satp ? HOOK_SATP : 0);
}

interface Fed {
  observer: SliceObserver;
  needs: HookNeeds;
}

function wants(needs: HookNeeds, e: AnalysisEvent): boolean {
  switch (e.kind) {
    case 'syscall':
    case 'sysret':
      return needs.syscalls === true;
    case 'satp':
      return needs.satp === true;
    case 'sample':
      return needs.sampleEveryTicks !== undefined && e.tick % needs.sampleEveryTicks === 0n;
  }
}

/** Replays slice `index` on `rm` feeding every request's dimension; the machine's hooks are off again afterwards. */
export function analyzeSlice(rm: ReplayMachine, index: number, requests: readonly DimensionRequest[], runtime: AnalysisRuntime, inputs: AnalysisInputs): SliceAnalysis {
  const slice = rm.rec.slices[index];
  if (!slice) throw new PrnrError('RECORDING_RANGE', `no slice ${index} (the recording has ${rm.rec.slices.length})`);
  const span = { index, startTick: slice.startTick, endTick: slice.endTick };
  const fed: Fed[] = requests.map((r) => ({ needs: runtime.describe(r).needs, observer: runtime.startSlice(r, span, inputs) }));
  const needs = combineNeeds(fed.map((f) => f.needs));
  const view = new ReplayView(rm.machine);
  let events = 0;
  let runs = 0;
  let sampled = -1n;
  const deliver = (e: AnalysisEvent, live: boolean) => {
    view.at(live);
    for (const f of fed) if (wants(f.needs, e)) f.observer.event(e, view);
    events++;
  };
  const stop = rm.observe((machine) => {
    runs++;
    const drained = machine.drainHooks();
    for (let k = 0; k < drained.length; k++) {
      const e = drained[k];
      // HOOK_STOP ends the run right after a syscall entry or return: the last event of a run is where the machine is.
      deliver(e, k === drained.length - 1 && (e.kind === 'syscall' || e.kind === 'sysret'));
    }
    const every = needs.sampleEveryTicks;
    const tick = machine.tick;
    if (every !== undefined && tick % every === 0n && tick > slice.startTick && tick !== sampled) {
      sampled = tick;
      deliver({ kind: 'sample', tick }, true);
    }
  });
  rm.machine.setHooks(hookMask(needs));
  rm.stopEvery = needs.sampleEveryTicks ?? 0n;
  let result: SliceResult;
  try {
    result = rm.replaySlice(index);
  } finally {
    stop();
    rm.machine.setHooks(0);
    rm.machine.drainHooks();
    rm.stopEvery = 0n;
  }
  for (const chunk of rm.output) for (const f of fed) f.observer.output(chunk.tick, chunk.data);
  return { slice: result, partials: fed.map((f) => (result.ok ? f.observer.finish() : undefined)), events, runs };
}
