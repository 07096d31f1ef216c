// "Where did this value come from" (docs/design.md 5): the last write to a
// memory range at or before a tick, and the last change of a register.
//
// A write is found by the watch dimension (src/shared/analysis.ts
// WATCH_DIMENSION, run through the engine's analyses like any other): the
// slice holding the tick first, then the slices before it, newest first, in
// batches that grow (the host's workers, then twice as many, ...) so a write
// far back costs few batches and one close by costs one slice; the search
// stops after the first batch with a write at or before the tick. Each slice
// searched is a whole watch replay, verified against its state root, and
// cached like any analysis, so asking for the write before (at the found
// write's tick - 1) replays nothing it already replayed. A register's last
// change is found by stepping the slice one tick at a time up to the tick,
// in windows that grow backwards from it until a change is seen or the
// slice's start is reached.
import { WATCH_DIMENSION, type WatchedWrite, type WatchResult } from '../../shared/analysis';
import { PrnrError } from '../../shared/errors';
import type { Recording } from '../../shared/recording/reader';
import { ABI_NAMES, FPR_ABI_NAMES } from '../../shared/riscv';
import type { ReplayMachine } from '../replay/replay-machine';
import { seek } from '../replay/seek';
import type { AnalysisListener, AnalysisResults, AnalyzeOptions } from './types';

/** Where to look: a memory range, physical or virtual, as the machine shows it at `tick`. */
export interface LastWriteQuery {
  /** The range's first byte: physical, or virtual under `satp`. */
  addr: bigint;
  /** Bytes, 1 to 4096. */
  length: number;
  /** The write the machine shows at `tick`: the last one that ended at or before it. */
  tick: bigint;
  /**
   * Read `addr` as virtual under this satp (the memory panel's virtual view):
   * it is translated at `tick`, and the physical bytes it maps to there are
   * searched, whoever wrote them through whichever mapping. The range must
   * lie in one page.
   */
  satp?: bigint;
  /**
   * Read `addr` as virtual in this process instead (the watch dimension's
   * virtual watch): the last write to it while the process's address space
   * was live, through whichever physical pages it mapped to then (a COW copy,
   * a remap or a first mapping on the way back is followed). One page at most.
   */
  pid?: number;
  /** Replay workers at once (default: the host's). */
  jobs?: number;
}

/** A write found: the watch dimension's, with the pc named and the slice it is in. */
export interface LastWrite extends WatchedWrite {
  /** The pc as a kernel symbol + offset, or hex in user space. */
  place: string;
  slice: number;
}

export type LastWriteAnswer = {
  length: number;
  /** The slices replayed or read from the cache, newest first. */
  searched: number[];
  /** With a pid: the process and its virtual address searched. */
  pid?: number;
  vaddr?: bigint;
} & (
  | {
      found: true;
      /** The physical address searched (`addr` itself, or its translation; with a pid, where the range was at the write). */
      paddr: bigint;
      write: LastWrite;
      /** Ask again with this tick (write.tick - 1) for the write before this one. */
      before: bigint;
    }
  | {
      found: false;
      /** The physical address searched; with a pid, where the range mapped at the tick (null: nowhere). */
      paddr: bigint | null;
      /** Why nothing was found, for people: never written in this recording up to the tick. */
      message: string;
    }
);

/** Hears a search: each slice as it is done. */
export interface LastWriteListener {
  onProgress(progress: { slice: number; searched: number; total: number }): void;
}

/** What a search needs of an open recording (an inspector gives it). */
export interface LastWriteHost {
  rec: Recording;
  analyze(options: AnalyzeOptions, listener?: AnalysisListener): Promise<AnalysisResults>;
  /** Runs `task` on the recording's replay machine, put at `tick` first. */
  machineAt<T>(tick: bigint, task: (rm: ReplayMachine) => T): Promise<T>;
  /** Replay workers by default. */
  jobs: number;
}

/** The largest range a search watches: the watch dimension's limit. */
export const LAST_WRITE_MAX_BYTES = 4096;

/** The slice whose replay holds an instruction ending at `tick` (> 0): the last that starts before it. */
export function sliceEndingAt(rec: Recording, tick: bigint): number {
  let k = 0;
  while (k + 1 < rec.slices.length && rec.slices[k + 1].startTick < tick) k++;
  return k;
}

function checkTick(rec: Recording, tick: bigint): void {
  const end = rec.snapshots[rec.snapshots.length - 1].tick;
  if (tick < 0n || tick > end) throw new PrnrError('RECORDING_RANGE', `tick ${tick} is ${tick < 0n ? 'before the recording' : `after the end of the recording (tick ${end})`}`);
}

function checkOnePage(q: LastWriteQuery): void {
  const pageEnd = (q.addr | 0xfffn) + 1n;
  if (q.addr + BigInt(q.length) > pageEnd) throw new PrnrError('LAST_WRITE_RANGE', `a virtual range must lie in one page: 0x${q.addr.toString(16)}+${q.length} crosses 0x${pageEnd.toString(16)}`);
}

/** The physical address of the query's range at its tick (without a pid). */
async function physical(host: LastWriteHost, q: LastWriteQuery): Promise<bigint> {
  if (q.satp === undefined) return q.addr;
  checkOnePage(q);
  return host.machineAt(q.tick, (rm) => rm.machine.translate(q.addr, q.satp).paddr);
}

/** The last write to the query's range at or before its tick (docs at the top of this file). */
export async function findLastWrite(host: LastWriteHost, q: LastWriteQuery, listener?: LastWriteListener): Promise<LastWriteAnswer> {
  if (!Number.isInteger(q.length) || q.length < 1 || q.length > LAST_WRITE_MAX_BYTES) throw new PrnrError('LAST_WRITE_RANGE', `a range of 1 to ${LAST_WRITE_MAX_BYTES} bytes, not ${q.length}`);
  const { rec } = host;
  checkTick(rec, q.tick);
  if (q.pid !== undefined) checkOnePage(q);
  const paddr = q.pid === undefined ? await physical(host, q) : undefined;
  const process = q.pid === undefined ? {} : { pid: q.pid, vaddr: q.addr };
  const searched: number[] = [];
  /** With a pid: where the range mapped at the tick, from the newest slice searched. */
  let mappedThere: bigint | null = null;
  const none = (): LastWriteAnswer => ({
    found: false, paddr: paddr ?? mappedThere, length: q.length, searched, ...process,
    message: `${paddr === undefined ? `pid ${q.pid}'s 0x${q.addr.toString(16)}` : `0x${paddr.toString(16)}`}+${q.length} was never written in this recording up to tick ${q.tick}`,
  });
  if (q.tick === 0n) return none();
  const jobs = Math.max(1, q.jobs ?? host.jobs);
  const params: Record<string, number> = paddr === undefined ? { addr: Number(q.addr), length: q.length, pid: q.pid! } : { addr: Number(paddr), length: q.length };
  const request = { dimension: WATCH_DIMENSION, params };
  let hi = sliceEndingAt(rec, q.tick);
  const total = hi + 1;
  let batch = 1;
  while (hi >= 0) {
    const lo = Math.max(0, hi - batch + 1);
    const slices = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
    const done = new Set<number>();
    const results = await host.analyze({ dimensions: [request], slices, jobs: Math.min(jobs, slices.length) }, {
      onProgress: (p) => {
        done.add(p.slice);
        listener?.onProgress({ slice: p.slice, searched: searched.length + done.size, total });
      },
    });
    searched.push(...slices.reverse());
    const { writes, mappings } = results.dimensions[0].result as WatchResult;
    if (hi === sliceEndingAt(rec, q.tick) && mappings) { // the batch holding the tick
      const there = mappings.filter((m) => m.tick <= q.tick).at(-1)?.paddr ?? null;
      mappedThere = there === null ? null : there + (q.addr & 0xfffn);
    }
    const write = writes.filter((w) => w.tick <= q.tick).at(-1);
    if (write) {
      const at = paddr ?? write.paddr! - BigInt(write.offset);
      return { found: true, paddr: at, length: q.length, searched, ...process, write: { ...write, slice: sliceEndingAt(rec, write.tick) }, before: write.tick - 1n };
    }
    hi = lo - 1;
    batch = batch === 1 ? jobs : batch * 2;
  }
  return none();
}

/** A register by name: x0..x31, f0..f31 or their ABI names (fp for s0). */
export function registerIndex(name: string): { file: 'x' | 'f'; index: number; name: string } {
  const n = name.trim().toLowerCase();
  const numbered = /^([xf])(\d+)$/.exec(n);
  if (numbered && Number(numbered[2]) < 32) return { file: numbered[1] as 'x' | 'f', index: Number(numbered[2]), name: n };
  const x = n === 'fp' ? 8 : (ABI_NAMES as readonly string[]).indexOf(n);
  if (x >= 0) return { file: 'x', index: x, name: n };
  const f = (FPR_ABI_NAMES as readonly string[]).indexOf(n);
  if (f >= 0) return { file: 'f', index: f, name: n };
  throw new PrnrError('REGISTER_UNKNOWN', `no register "${name}": x0-x31, f0-f31 or an ABI name (a0, sp, fa0, ...)`);
}

export interface RegisterChangeQuery {
  /** x0..x31, f0..f31 or an ABI name. */
  reg: string;
  /** The change the machine shows at `tick`: the last that ended at or before it, within its slice. */
  tick: bigint;
}

export type RegisterChangeAnswer = {
  reg: string;
  /** The slice searched (the one holding `tick`) and the tick it starts at. */
  slice: number;
  since: bigint;
} & (
  | {
      found: true;
      /** The tick the changing instruction ended at: seeking to tick - 1 shows the old value, tick the new. */
      tick: bigint;
      /** The pc and privilege at tick - 1 (an interrupt taken there runs its handler's first instruction instead). */
      pc: bigint;
      priv: number;
      old: bigint;
      new: bigint;
      /** Ask again with this tick for the change before. */
      before: bigint;
    }
  | { found: false; message: string }
);

/** Ticks stepped back from the tick first; each window after is this many times longer. */
const FIRST_WINDOW_TICKS = 4096n;
const WINDOW_GROWTH = 8n;

/** The last change of a register at or before a tick, within the slice holding it (docs at the top of this file). */
export async function findRegisterChange(host: LastWriteHost, q: RegisterChangeQuery): Promise<RegisterChangeAnswer> {
  const reg = registerIndex(q.reg);
  const { rec } = host;
  checkTick(rec, q.tick);
  const slice = sliceEndingAt(rec, q.tick);
  const since = rec.slices[slice]?.startTick ?? 0n;
  const none = (): RegisterChangeAnswer => ({ found: false, reg: reg.name, slice, since, message: `${reg.name} did not change in slice ${slice} between ticks ${since} and ${q.tick}` });
  if (q.tick <= since) return none();
  return host.machineAt(q.tick, (rm) => {
    const m = rm.machine;
    const read = reg.file === 'x' ? () => m.x(reg.index) : () => m.f(reg.index);
    for (let window = FIRST_WINDOW_TICKS; ; window *= WINDOW_GROWTH) {
      const from = q.tick - window > since ? q.tick - window : since;
      seek(rm, from);
      let prev = read();
      let pc = m.pc;
      let priv = m.priv;
      let last: { tick: bigint; pc: bigint; priv: number; old: bigint; new: bigint } | undefined;
      const stop = rm.observe(() => {
        const now = read();
        if (now !== prev) last = { tick: m.tick, pc, priv, old: prev, new: now };
        prev = now;
        pc = m.pc;
        priv = m.priv;
      });
      rm.nextStop = (tick) => tick + 1n;
      try {
        rm.runTo(q.tick);
      } finally {
        stop();
        rm.nextStop = undefined;
      }
      if (last) return { found: true, reg: reg.name, slice, since, ...last, before: last.tick - 1n };
      if (from === since) return none();
    }
  });
}
