// The memory watch dimension (docs/design.md 5): every write to a guest
// range, at the instruction that made it: tick, pc (named with System.map in
// the kernel), privilege, the running task, the bytes written and the range
// before and after. The machine's write watch reports each store, AMO, A/D
// update of a page-table entry and device DMA touching the range (with the
// replay stopped just after each), so a store of the value already there is
// seen too (marked `same`), and so is a change undone a few instructions later.
//
// The range is physical, or with `pid` virtual in that process
// (linux/virtual-watch.ts): its writes while the process's address space is
// live, wherever the range maps at the time, each with its virtual and
// physical address, and where the range mapped when (`mappings`).
import { WATCH_DIMENSION, type AnalysisEvent, type MachineView, type WatchedWrite, type WatchMapping, type WatchResult } from '../../shared/analysis.ts';
import { PrnrError } from '../../shared/errors.ts';
import { bytesEqual } from '../../shared/sha256.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { integerParams, type AnalysisEnv, type Dimension, type DimensionObserver } from '../dimension.ts';
import { addressSpaceLayout } from '../linux/address-space.ts';
import { readTask, runningTask, whereOf } from '../linux/kernel.ts';
import { VIRTUAL_WATCH_RANGES, VirtualWatch } from '../linux/virtual-watch.ts';
import { parseSystemMap, placeName } from '../symbols/system-map.ts';

export type { WatchedWrite, WatchResult };

export interface WatchParams {
  /** The range's first address: physical, or virtual in process `pid`. */
  addr: number;
  length: number;
  /** -1: a physical range; else the process whose virtual range it is. */
  pid: number;
  [key: string]: number;
}

export interface WatchPartial {
  writes: WatchedWrite[];
  /** A virtual watch's mappings seen in the slice, the first at its start. */
  mappings?: WatchMapping[];
}

const PAGE_BYTES = 4096;

type WriteEvent = Extract<AnalysisEvent, { kind: 'write' }>;

function writeOf(e: WriteEvent, view: MachineView, env: AnalysisEnv, offset: number): WatchedWrite {
  const task = runningTask(view);
  const who = env.layout && task !== 0n ? readTask(view, env.layout, task, view.csr(CSR_NUMBERS.satp) ?? 0n) ?? null : null;
  return { tick: e.tick, pc: e.pc, where: whereOf(view.priv()), task, who, offset, size: e.size, source: e.source, same: bytesEqual(e.old, e.new), old: e.old, new: e.new };
}

function observePhysical(params: WatchParams, env: AnalysisEnv): DimensionObserver<WatchPartial> {
  const writes: WatchedWrite[] = [];
  const paddr = BigInt(params.addr);
  return {
    event(e: AnalysisEvent, view: MachineView) {
      if (e.kind === 'write' && e.paddr === paddr && e.old.length === params.length) writes.push(writeOf(e, view, env, Number(e.at - paddr)));
    },
    finish: () => ({ writes }),
  };
}

function observeVirtual(params: WatchParams, env: AnalysisEnv): DimensionObserver<WatchPartial> {
  const found = addressSpaceLayout(env.profile);
  if (!('layout' in found)) throw new PrnrError('ANALYSIS_PARAMS', `a virtual watch (pid ${params.pid}) cannot run: ${found.note}`);
  const watch = new VirtualWatch({ pid: params.pid, vaddr: BigInt(params.addr), length: params.length }, found.layout);
  const writes: WatchedWrite[] = [];
  return {
    event(e: AnalysisEvent, view: MachineView) {
      const w = watch.event(e);
      if (w) writes.push({ ...writeOf(w.event, view, env, w.offset), vaddr: w.vaddr, paddr: w.paddr });
    },
    watches: (view) => watch.watches(view),
    finish: () => ({ writes, mappings: watch.mappings }),
  };
}

/** The slices' mappings as one list: each slice starts with the one it found, which is no change when the slice before ended there. */
function mergeMappings(partials: readonly WatchPartial[]): WatchMapping[] {
  const out: WatchMapping[] = [];
  for (const m of partials.flatMap((p) => p.mappings ?? [])) if (out.length === 0 || out[out.length - 1].paddr !== m.paddr) out.push(m);
  return out;
}

export const watchDimension: Dimension<WatchParams, WatchPartial, WatchResult> = {
  name: WATCH_DIMENSION,
  version: 5,
  summary: 'every write to a memory range, physical or virtual in one process (same-value stores marked), with tick, pc, task, old and new bytes',
  params(given) {
    const p = integerParams('watch', given, {
      addr: { min: 0, max: Number.MAX_SAFE_INTEGER, default: -1, help: 'the address watched: physical, or virtual in process pid' },
      length: { min: 1, max: PAGE_BYTES, default: 8, help: 'bytes watched' },
      pid: { min: -1, max: 0x7fff_ffff, default: -1, help: 'the process whose virtual range it is (-1: physical)' },
    });
    if (p.pid >= 0 && (p.addr % PAGE_BYTES) + p.length > PAGE_BYTES) {
      throw new PrnrError('ANALYSIS_PARAMS', `watch: a virtual range must lie in one page: 0x${p.addr.toString(16)}+${p.length} crosses a page boundary`);
    }
    return p;
  },
  label: (params) => `watch-${params.pid >= 0 ? `pid${params.pid}-` : ''}0x${params.addr.toString(16)}-${params.length}`,
  needs: (params) => (params.pid >= 0 ? { satp: true, satpStop: true, dynamicWatches: VIRTUAL_WATCH_RANGES } : { watch: [{ paddr: BigInt(params.addr), length: params.length }] }),
  start: (params, _slice, env) => (params.pid >= 0 ? observeVirtual(params, env) : observePhysical(params, env)),
  merge(params, partials, env) {
    const symbols = env.inputs.systemMap ? parseSystemMap(env.inputs.systemMap) : undefined;
    const writes = partials.flatMap((p) => p.writes).map((w) => ({ ...w, place: w.where === 'kernel' ? placeName(symbols, w.pc) : `0x${w.pc.toString(16)}` }));
    const virtual = params.pid >= 0 ? { pid: params.pid, mappings: mergeMappings(partials) } : {};
    return { addr: BigInt(params.addr), length: params.length, ...virtual, writes, note: env.taskNote };
  },
};
