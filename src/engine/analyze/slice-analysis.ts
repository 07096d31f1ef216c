// One slice, replayed for several analyses at once (docs/design.md 4, 5):
// the hooks every requested dimension needs are turned on, the replay stops
// at each syscall entry and return, at each write to a watched range (the
// machine's write watch, HOOK_WRITE) and at each sampling tick, so the
// analyses see the machine exactly there; every event goes to the
// dimensions that asked for its kind, and the slice is still verified
// against the next snapshot's state root. Runtime-neutral: it runs in a
// replay worker (replay-worker.ts) or on the engine's own thread.
import { combineNeeds, type AnalysisEvent, type AnalysisInputs, type AnalysisRuntime, type DimensionRequest, type HookNeeds, type SliceObserver } from '../../shared/analysis';
import { concatBytes } from '../../shared/bytes';
import type { OutputChunk } from '../../shared/recording/format';
import { bytesEqual } from '../../shared/sha256';
import { PrnrError } from '../../shared/errors';
import { HOOK_SATP, HOOK_STOP, HOOK_SYSCALL, HOOK_SYSRET, HOOK_WRITE } from '../../shared/machine-constants';
import type { MachineWrite } from '../machine';
import type { ReplayMachine, SliceResult } from '../replay/replay-machine';
import { ReplayView } from './machine-view';
import { WatchedRanges } from './watch-writes';

export interface SliceAnalysis {
  /** The slice's verification, replayed with the hooks on. */
  slice: SliceResult;
  /** One partial per request, in the order asked; undefined where the slice did not verify. */
  partials: unknown[];
  /** Hook events delivered, and runs the replay took (each stop is one). */
  events: number;
  runs: number;
}

/**
 * The slice's console output, in the recording's chunks: the replay drains
 * the same bytes, but at its own stops, which the dimensions sharing it move;
 * the recorded chunks' ticks do not (the replay's, if the bytes differ).
 */
function outputOf(recorded: readonly OutputChunk[], replayed: readonly OutputChunk[]): readonly OutputChunk[] {
  return bytesEqual(concatBytes(recorded.map((c) => c.data)), concatBytes(replayed.map((c) => c.data))) ? recorded : replayed;
}

/** The machine's hook mask for `needs`. */
export function hookMask(needs: HookNeeds): number {
  return (needs.syscalls ? HOOK_SYSCALL | HOOK_SYSRET | HOOK_STOP : 0) | (needs.satp ? HOOK_SATP : 0) | (needs.watch?.length ? HOOK_WRITE | HOOK_STOP : 0);
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
    case 'write':
      return needs.watch?.some((w) => w.paddr === e.paddr && w.length === e.old.length) === true;
  }
}

/** The next multiple of `every` after `tick`. */
const nextMultiple = (tick: bigint, every: bigint) => (tick / every + 1n) * every;

/** Replays slice `index` on `rm` feeding every request's dimension; the machine's hooks are off again afterwards. */
export function analyzeSlice(rm: ReplayMachine, index: number, requests: readonly DimensionRequest[], runtime: AnalysisRuntime, inputs: AnalysisInputs): SliceAnalysis {
  const slice = rm.rec.slices[index];
  if (!slice) throw new PrnrError('RECORDING_RANGE', `no slice ${index} (the recording has ${rm.rec.slices.length})`);
  const span = { index, startTick: slice.startTick, endTick: slice.endTick };
  const fed: Fed[] = requests.map((r) => ({ needs: runtime.describe(r).needs, observer: runtime.startSlice(r, span, inputs) }));
  const needs = combineNeeds(fed.map((f) => f.needs));
  const machine = rm.machine;
  const view = new ReplayView(machine);
  const every = needs.sampleEveryTicks;
  const watches = needs.watch ?? [];
  let events = 0;
  let runs = 0;
  let sampled = -1n;
  const deliver = (e: AnalysisEvent, live: boolean) => {
    view.at(live);
    for (const f of fed) if (wants(f.needs, e)) f.observer.event(e, view);
    events++;
  };
  let watched: WatchedRanges | undefined;
  if (watches.length > 0) {
    let restored = true;
    try {
      rm.restore(index);
    } catch {
      restored = false; // a damaged snapshot: replaySlice reports it as the slice's result
    }
    if (restored) {
      watched = new WatchedRanges(watches, machine); // PHYS_RANGE for a range outside RAM
      machine.setWatches(watches);
    }
  }
  const stop = rm.observe((m) => {
    runs++;
    const drained = m.drainHooks();
    for (let k = 0; k < drained.length; k++) {
      const e = drained[k];
      // HOOK_STOP ends the run right after a syscall entry or return, or a watched write: the last event of a run is where the machine is.
      if (e.kind !== 'write') {
        deliver(e, k === drained.length - 1 && (e.kind === 'syscall' || e.kind === 'sysret'));
        continue;
      }
      let j = k;
      while (j + 1 < drained.length && drained[j + 1].kind === 'write') j++;
      const writes = watched?.events(drained.slice(k, j + 1) as MachineWrite[]) ?? [];
      for (const w of writes) deliver(w, j === drained.length - 1 && w.tick === m.tick);
      k = j;
    }
    const tick = m.tick;
    if (every !== undefined && tick % every === 0n && tick > slice.startTick && tick !== sampled) {
      sampled = tick;
      deliver({ kind: 'sample', tick }, true);
    }
  });
  machine.setHooks(hookMask(needs));
  rm.nextStop = every === undefined ? undefined : (tick) => nextMultiple(tick, every);
  let result: SliceResult;
  try {
    result = rm.replaySlice(index);
  } finally {
    stop();
    machine.setHooks(0);
    machine.setWatches([]);
    machine.drainHooks();
    rm.nextStop = undefined;
  }
  for (const chunk of outputOf(slice.output, rm.output)) for (const f of fed) f.observer.output(chunk.tick, chunk.data);
  return { slice: result, partials: fed.map((f) => (result.ok ? f.observer.finish() : undefined)), events, runs };
}

