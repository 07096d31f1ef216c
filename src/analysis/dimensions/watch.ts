// The memory watch dimension (docs/design.md 5): every change to a guest
// physical range, at the instruction that made it: tick, pc (named with
// System.map in the kernel), privilege, the running task, and the range's
// bytes before and after. The engine finds the changes (HookNeeds.watch:
// compared at stops every few thousand ticks, then pinned by stepping
// through the stretch that changed); a store of the value already there
// changes nothing and is not seen.
import type { AnalysisEvent, MachineView } from '../../shared/analysis.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { integerParams, type AnalysisEnv, type Dimension } from '../dimension.ts';
import { readTask, runningTask, whereOf, type TaskIdentity, type Where } from '../linux/kernel.ts';
import { parseSystemMap, placeName } from '../symbols/system-map.ts';

export interface WatchParams {
  /** The range's first physical address. */
  addr: number;
  length: number;
  [key: string]: number;
}

export interface WatchedWrite {
  /** The tick the writing instruction ended at: seeking to tick - 1 shows the machine just before it, at `pc`. */
  tick: bigint;
  pc: bigint;
  where: Where;
  task: bigint;
  who: TaskIdentity | null;
  /** The first byte of the range that changed. */
  offset: number;
  /** The whole range before and after. */
  old: Uint8Array;
  new: Uint8Array;
}

export interface WatchPartial {
  writes: WatchedWrite[];
}

export interface WatchResult {
  addr: bigint;
  length: number;
  writes: (WatchedWrite & { place: string })[];
  note?: string;
}

function observe(params: WatchParams, env: AnalysisEnv) {
  const writes: WatchedWrite[] = [];
  const paddr = BigInt(params.addr);
  return {
    event(e: AnalysisEvent, view: MachineView) {
      if (e.kind !== 'write' || e.paddr !== paddr || e.old.length !== params.length) return;
      const task = runningTask(view);
      const who = env.layout && task !== 0n ? readTask(view, env.layout, task, view.csr(CSR_NUMBERS.satp) ?? 0n) ?? null : null;
      const offset = e.new.findIndex((b, i) => b !== e.old[i]);
      writes.push({ tick: e.tick, pc: e.pc, where: whereOf(view.priv()), task, who, offset, old: e.old, new: e.new });
    },
    finish: (): WatchPartial => ({ writes }),
  };
}

export const watchDimension: Dimension<WatchParams, WatchPartial, WatchResult> = {
  name: 'watch',
  version: 2,
  summary: 'every change to a physical memory range, with tick, pc, task, old and new bytes',
  params: (given) => integerParams('watch', given, {
    addr: { min: 0, max: Number.MAX_SAFE_INTEGER, default: -1, help: 'the physical address watched' },
    length: { min: 1, max: 4096, default: 8, help: 'bytes watched' },
  }),
  label: (params) => `watch-0x${params.addr.toString(16)}-${params.length}`,
  needs: (params) => ({ watch: [{ paddr: BigInt(params.addr), length: params.length }] }),
  start: (params, _slice, env) => observe(params, env),
  merge(params, partials, env) {
    const symbols = env.inputs.systemMap ? parseSystemMap(env.inputs.systemMap) : undefined;
    const writes = partials.flatMap((p) => p.writes).map((w) => ({ ...w, place: w.where === 'kernel' ? placeName(symbols, w.pc) : `0x${w.pc.toString(16)}` }));
    return { addr: BigInt(params.addr), length: params.length, writes, note: env.taskNote };
  },
};
