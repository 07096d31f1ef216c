// The memory watch dimension (docs/design.md 5): every write to a guest
// physical range, at the instruction that made it: tick, pc (named with
// System.map in the kernel), privilege, the running task, the bytes written
// and the range before and after. The machine's write watch reports each
// store, AMO and device DMA touching the range (HookNeeds.watch, with the
// replay stopped just after each), so a store of the value already there is
// seen too (marked `same`), and so is a change undone a few instructions later.
import { WATCH_DIMENSION, type AnalysisEvent, type MachineView, type WatchedWrite, type WatchResult } from '../../shared/analysis.ts';
import { bytesEqual } from '../../shared/sha256.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { integerParams, type AnalysisEnv, type Dimension } from '../dimension.ts';
import { readTask, runningTask, whereOf } from '../linux/kernel.ts';
import { parseSystemMap, placeName } from '../symbols/system-map.ts';

export type { WatchedWrite, WatchResult };

export interface WatchParams {
  /** The range's first physical address. */
  addr: number;
  length: number;
  [key: string]: number;
}

export interface WatchPartial {
  writes: WatchedWrite[];
}

function observe(params: WatchParams, env: AnalysisEnv) {
  const writes: WatchedWrite[] = [];
  const paddr = BigInt(params.addr);
  return {
    event(e: AnalysisEvent, view: MachineView) {
      if (e.kind !== 'write' || e.paddr !== paddr || e.old.length !== params.length) return;
      const task = runningTask(view);
      const who = env.layout && task !== 0n ? readTask(view, env.layout, task, view.csr(CSR_NUMBERS.satp) ?? 0n) ?? null : null;
      writes.push({
        tick: e.tick, pc: e.pc, where: whereOf(view.priv()), task, who,
        offset: Number(e.at - paddr), size: e.size, source: e.source, same: bytesEqual(e.old, e.new), old: e.old, new: e.new,
      });
    },
    finish: (): WatchPartial => ({ writes }),
  };
}

export const watchDimension: Dimension<WatchParams, WatchPartial, WatchResult> = {
  name: WATCH_DIMENSION,
  version: 3,
  summary: 'every write to a physical memory range (same-value stores marked), with tick, pc, task, old and new bytes',
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
