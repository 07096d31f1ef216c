// One slice, replayed for several analyses at once (docs/design.md 4, 5):
// the hooks every requested dimension needs are turned on, the replay stops
// at each syscall entry and return, at each write to a watched range (the
// machine's write watch, HOOK_WRITE) and at each sampling tick, so the
// analyses see the machine exactly there; every event goes to the
// dimensions that asked for its kind, and the slice is still verified
// against the next snapshot's state root. A dimension may choose its
// watched ranges as the replay goes (HookNeeds.dynamicWatches: a virtual
// watch follows its page's mapping): it is asked at the slice's start and
// after every run, and a change is watched from the next instruction on.
// Runtime-neutral: it runs in a replay worker (replay-worker.ts) or on the
// engine's own thread.
import { combineNeeds, type AnalysisEvent, type AnalysisInputs, type AnalysisRuntime, type DimensionRequest, type HookNeeds, type SliceObserver, type WatchRange } from '../../shared/analysis';
import { concatBytes } from '../../shared/bytes';
import type { OutputChunk } from '../../shared/recording/format';
import { bytesEqual } from '../../shared/sha256';
import { PrnrError } from '../../shared/errors';
import { HOOK_SATP, HOOK_STOP, HOOK_STOP_SATP, HOOK_SYSCALL, HOOK_SYSRET, HOOK_WRITE } from '../../shared/machine-constants';
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
  return (needs.syscalls ? HOOK_SYSCALL | HOOK_SYSRET | HOOK_STOP : 0) | (needs.satp ? HOOK_SATP : 0) | (needs.satpStop ? HOOK_SATP | HOOK_STOP_SATP : 0) |
    (needs.watch?.length || needs.dynamicWatches ? HOOK_WRITE | HOOK_STOP : 0);
}

interface Fed {
  observer: SliceObserver;
  needs: HookNeeds;
  /** The ranges it chose (HookNeeds.dynamicWatches), last asked. */
  chosen: readonly WatchRange[];
}

const sameRange = (a: WatchRange, b: WatchRange) => a.paddr === b.paddr && a.length === b.length;

function wants(f: Fed, e: AnalysisEvent): boolean {
  const { needs } = f;
  switch (e.kind) {
    case 'syscall':
    case 'sysret':
      return needs.syscalls === true;
    case 'satp':
      return needs.satp === true || needs.satpStop === true;
    case 'sample':
      return needs.sampleEveryTicks !== undefined && e.tick % needs.sampleEveryTicks === 0n;
    case 'write': {
      const range = { paddr: e.paddr, length: e.old.length };
      return needs.watch?.some((w) => sameRange(w, range)) === true || f.chosen.some((w) => sameRange(w, range));
    }
  }
}

/** The ranges to watch: every dimension's fixed ones and those chosen now, each once. */
function unionOf(fixed: readonly WatchRange[], fed: readonly Fed[]): WatchRange[] {
  const out = [...fixed];
  for (const f of fed) for (const w of f.chosen) if (!out.some((x) => sameRange(x, w))) out.push(w);
  return out;
}

/** The next multiple of `every` after `tick`. */
const nextMultiple = (tick: bigint, every: bigint) => (tick / every + 1n) * every;

/** Replays slice `index` on `rm` feeding every request's dimension; the machine's hooks are off again afterwards. */
export function analyzeSlice(rm: ReplayMachine, index: number, requests: readonly DimensionRequest[], runtime: AnalysisRuntime, inputs: AnalysisInputs): SliceAnalysis {
  const slice = rm.rec.slices[index];
  if (!slice) throw new PrnrError('RECORDING_RANGE', `no slice ${index} (the recording has ${rm.rec.slices.length})`);
  const span = { index, startTick: slice.startTick, endTick: slice.endTick };
  const fed: Fed[] = requests.map((r) => ({ needs: runtime.describe(r).needs, observer: runtime.startSlice(r, span, inputs), chosen: [] }));
  const needs = combineNeeds(fed.map((f) => f.needs));
  const machine = rm.machine;
  const view = new ReplayView(machine);
  const every = needs.sampleEveryTicks;
  const fixed = needs.watch ?? [];
  const choosing = fed.filter((f) => f.needs.dynamicWatches && f.observer.watches);
  let events = 0;
  let runs = 0;
  let sampled = -1n;
  const deliver = (e: AnalysisEvent, live: boolean) => {
    view.at(live);
    for (const f of fed) if (wants(f, e)) f.observer.event(e, view);
    events++;
  };
  let watched: WatchedRanges | undefined;
  /** Asks the choosing dimensions for their ranges (the machine at a stop) and watches the union when it changed. */
  const choose = () => {
    let changed = false;
    for (const f of choosing) {
      const now = f.observer.watches!(view.at(true));
      if (now !== f.chosen && (now.length !== f.chosen.length || now.some((w, i) => !sameRange(w, f.chosen[i])))) changed = true;
      f.chosen = now;
    }
    if (!changed && watched) return;
    const ranges = unionOf(fixed, fed);
    watched = new WatchedRanges(ranges, machine); // PHYS_RANGE for a range outside RAM
    machine.setWatches(ranges); // HOOK_WATCH beyond the machine's ranges
  };
  if (fixed.length > 0 || choosing.length > 0) {
    let restored = true;
    try {
      rm.restore(index);
    } catch {
      restored = false; // a damaged snapshot: replaySlice reports it as the slice's result
    }
    if (restored) choose();
  }
  const stop = rm.observe((m) => {
    runs++;
    const drained = m.drainHooks();
    for (let k = 0; k < drained.length; k++) {
      const e = drained[k];
      // HOOK_STOP ends the run right after a syscall entry or return, or a watched write (HOOK_STOP_SATP: a satp write): the last event of a run is where the machine is.
      if (e.kind !== 'write') {
        deliver(e, k === drained.length - 1 && (e.kind === 'syscall' || e.kind === 'sysret' || (e.kind === 'satp' && needs.satpStop === true)));
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
    if (choosing.length > 0 && watched) choose();
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

