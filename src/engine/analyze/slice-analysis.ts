// One slice, replayed for several analyses at once (docs/design.md 4, 5):
// the hooks every requested dimension needs are turned on, the replay stops
// at each syscall entry and return (and at each sampling tick) so the
// analyses see the machine exactly there, every event goes to the
// dimensions that asked for its kind, and the slice is still verified
// against the next snapshot's state root. Watched physical ranges are
// compared at stops every WATCH_WINDOW_TICKS; where one changed, the slice
// is replayed again through that stretch a tick at a time, which pins each
// change to its instruction (the machine has no write-watch hook yet, 2).
// Runtime-neutral: it runs in a replay worker (replay-worker.ts) or on the
// engine's own thread.
import { combineNeeds, type AnalysisEvent, type AnalysisInputs, type AnalysisRuntime, type DimensionRequest, type HookNeeds, type SliceObserver, type WatchRange } from '../../shared/analysis';
import { concatBytes } from '../../shared/bytes';
import type { OutputChunk } from '../../shared/recording/format';
import { bytesEqual } from '../../shared/sha256';
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
    case 'write':
      return needs.watch?.some((w) => w.paddr === e.paddr && w.length === e.old.length) === true;
  }
}

/**
 * Ticks between the replay's stops while a range is watched: a change seen
 * between two stops is then pinned to its instruction by stepping through
 * that stretch again, one tick at a time.
 */
export const WATCH_WINDOW_TICKS = 4096n;

/** The next multiple of `every` after `tick`. */
const nextMultiple = (tick: bigint, every: bigint) => (tick / every + 1n) * every;

interface Stretch {
  from: bigint;
  to: bigint;
}

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
  const watched = () => watches.map((w) => machine.readPhys(Number(w.paddr), w.length));
  let seen: Uint8Array[] = [];
  if (watches.length > 0) {
    let restored = true;
    try {
      rm.restore(index);
    } catch {
      restored = false; // a damaged snapshot: replaySlice reports it as the slice's result
    }
    if (restored) seen = watched();
  }
  const stretches: Stretch[] = [];
  let lastStop = slice.startTick;
  const stop = rm.observe((m) => {
    runs++;
    const drained = m.drainHooks();
    for (let k = 0; k < drained.length; k++) {
      const e = drained[k];
      if (e.kind === 'write') continue; // HOOK_WRITE is not asked for yet
      // HOOK_STOP ends the run right after a syscall entry or return: the last event of a run is where the machine is.
      deliver(e, k === drained.length - 1 && (e.kind === 'syscall' || e.kind === 'sysret'));
    }
    const tick = m.tick;
    if (every !== undefined && tick % every === 0n && tick > slice.startTick && tick !== sampled) {
      sampled = tick;
      deliver({ kind: 'sample', tick }, true);
    }
    // Compared at the window's multiples only (and the slice's end), whatever else stopped the run:
    // what a watch finds must not depend on the other dimensions sharing the replay.
    if (seen.length > 0 && (tick % WATCH_WINDOW_TICKS === 0n || tick === slice.endTick)) {
      const now = watched();
      if (now.some((bytes, i) => !bytesEqual(bytes, seen[i]))) {
        const last = stretches[stretches.length - 1];
        if (last && last.to === lastStop) last.to = tick;
        else stretches.push({ from: lastStop, to: tick });
        seen = now;
      }
      lastStop = tick;
    }
  });
  machine.setHooks(hookMask(needs));
  rm.nextStop = every === undefined && watches.length === 0 ? undefined : (tick) => {
    const a = every === undefined ? slice.endTick : nextMultiple(tick, every);
    const b = watches.length === 0 ? slice.endTick : nextMultiple(tick, WATCH_WINDOW_TICKS);
    return a < b ? a : b;
  };
  let result: SliceResult;
  try {
    result = rm.replaySlice(index);
  } finally {
    stop();
    machine.setHooks(0);
    machine.drainHooks();
    rm.nextStop = undefined;
  }
  for (const chunk of outputOf(slice.output, rm.output)) for (const f of fed) f.observer.output(chunk.tick, chunk.data);
  if (result.ok && stretches.length > 0) events += pinWrites(rm, index, stretches, watches, (e) => deliver(e, true));
  return { slice: result, partials: fed.map((f) => (result.ok ? f.observer.finish() : undefined)), events, runs };
}

/**
 * Replays slice `index` again (hooks off) and steps one tick at a time
 * through each stretch where a watched range changed, handing each change to
 * `write` at the instruction that made it (the pc before the step; a step
 * that takes an interrupt first runs its handler's first instruction; a
 * device's DMA shows at the instruction running when it landed). A change
 * undone within one window between stops is not seen. Returns the writes found.
 */
function pinWrites(rm: ReplayMachine, index: number, stretches: readonly Stretch[], watches: readonly WatchRange[], write: (e: Extract<AnalysisEvent, { kind: 'write' }>) => void): number {
  const machine = rm.machine;
  rm.restore(index);
  let found = 0;
  for (const { from, to } of stretches) {
    rm.runTo(from);
    const before = watches.map((w) => machine.readPhys(Number(w.paddr), w.length));
    while (machine.tick < to) {
      const pc = machine.registers().pc;
      rm.runTo(machine.tick + 1n);
      for (const [i, w] of watches.entries()) {
        const now = machine.readPhys(Number(w.paddr), w.length);
        if (bytesEqual(now, before[i])) continue;
        write({ kind: 'write', tick: machine.tick, pc, paddr: w.paddr, old: before[i], new: now });
        before[i] = now;
        found++;
      }
    }
  }
  return found;
}
