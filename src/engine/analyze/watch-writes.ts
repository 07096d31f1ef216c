// The machine's write events (HOOK_WRITE, wasm/assembly/hooks.ts) as the
// analyses' 'write' events (src/shared/analysis.ts): one per instruction and
// watched range, with the whole range before and after. The machine reports
// each store's old and new word, and for a device's DMA only the new bytes,
// so the range's bytes are followed here from the slice's start (or from the
// stop where the watched ranges last changed, slice-analysis.ts): the copy is
// read then and every write is applied to it. A store's own old bytes are
// taken as the truth where they overlap (they are what RAM held), so a change
// the machine did not report would show up in the next write's `old` rather
// than being lost.
import type { AnalysisEvent, WatchRange } from '../../shared/analysis';
import type { Machine, MachineWrite } from '../machine';

type WriteEvent = Extract<AnalysisEvent, { kind: 'write' }>;

export class WatchedRanges {
  private readonly bytes: Uint8Array[];

  /** Starts following `ranges` from what `machine` holds now (the slice's start). */
  constructor(
    readonly ranges: readonly WatchRange[],
    machine: Pick<Machine, 'readPhys'>,
  ) {
    this.bytes = ranges.map((r) => machine.readPhys(Number(r.paddr), r.length));
  }

  /**
   * The analyses' events for one drain's machine writes, in order: consecutive
   * writes of one instruction (the bytes of a store across a page boundary, the
   * chunks of a DMA) become one event per range they touch.
   */
  events(writes: readonly MachineWrite[]): WriteEvent[] {
    const out: WriteEvent[] = [];
    for (let i = 0; i < writes.length; ) {
      const first = writes[i];
      let j = i + 1;
      while (j < writes.length && writes[j].tick === first.tick && writes[j].pc === first.pc && writes[j].source === first.source) j++;
      out.push(...this.apply(writes.slice(i, j)));
      i = j;
    }
    return out;
  }

  /** Applies one instruction's writes to every range they overlap. */
  private apply(group: readonly MachineWrite[]): WriteEvent[] {
    const out: WriteEvent[] = [];
    const { tick, pc, source } = group[0];
    for (const [k, range] of this.ranges.entries()) {
      const end = range.paddr + BigInt(range.length);
      const old = this.bytes[k].slice();
      let from = end;
      let to = range.paddr;
      for (const w of group) {
        const wEnd = w.paddr + BigInt(w.new.length);
        if (wEnd <= range.paddr || w.paddr >= end) continue;
        const lo = w.paddr > range.paddr ? w.paddr : range.paddr;
        const hi = wEnd < end ? wEnd : end;
        if (lo < from) from = lo;
        if (hi > to) to = hi;
        for (let a = lo; a < hi; a++) {
          const at = Number(a - range.paddr);
          const i = Number(a - w.paddr);
          if (w.old) old[at] = w.old[i]; // one instruction's writes do not overlap: each old byte is what was there
          this.bytes[k][at] = w.new[i];
        }
      }
      if (from >= to) continue;
      out.push({ kind: 'write', tick, pc, paddr: range.paddr, at: from, size: Number(to - from), source, old, new: this.bytes[k].slice() });
    }
    return out;
  }
}
