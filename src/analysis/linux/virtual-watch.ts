// A memory watch over a virtual range of one process (docs/design.md 5):
// whenever the process's address space is live (satp names its root), the
// physical bytes its range maps to are watched, and so is every page-table
// entry on the walk to them, so a remap, an munmap, a COW break after fork
// or the fault that maps the page first is seen at the write that did it and
// the range re-translated there (its next write lands on the new page). A
// satp write stops the replay too (HookNeeds.satpStop): there the process is
// looked for again (it may have been born, exec'd into a new address space
// or exited). At a slice's start everything is read from the snapshot's
// memory: the process on the kernel's task list, its root from task->mm->pgd,
// the walk under that root, whether or not the process is running there.
// XXX: the process is its thread-group leader; once the leader has exited
// (its mm gone) while other threads run on, the watch sees no address space.
import type { AnalysisEvent, MachineView, WatchMapping, WatchRange } from '../../shared/analysis.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { findProcess, isLeaderOf, physWord, processRoot, satpRoot, walkSv39, type AddressSpaceLayout } from './address-space.ts';

export interface VirtualRange {
  pid: number;
  vaddr: bigint;
  /** Bytes, within one page. */
  length: number;
}

/** Ranges a virtual watch watches at most: the bytes and the three levels of page-table entries. */
export const VIRTUAL_WATCH_RANGES = 4;

/** A write to the watched bytes while the process's address space was live. */
export interface VirtualWrite {
  event: Extract<AnalysisEvent, { kind: 'write' }>;
  /** Offset into the range, and where the write's first byte is, virtual and physical. */
  offset: number;
  vaddr: bigint;
  paddr: bigint;
}

const sameRanges = (a: readonly WatchRange[], b: readonly WatchRange[]) => a.length === b.length && a.every((r, i) => r.paddr === b[i].paddr && r.length === b[i].length);

export class VirtualWatch {
  /** The process's leader task_struct, while it is known. */
  private task: bigint | undefined;
  /** Its root page table (physical page number), null while it has no address space. */
  private root: bigint | null = null;
  /** The root satp names now. */
  private liveRoot: bigint | null = null;
  /** Where the range's first byte maps (null: not mapped), and the PTEs read to get there. */
  private paddr: bigint | null = null;
  private ptes: bigint[] = [];
  private ranges: readonly WatchRange[] = [];
  private stale = true;
  /** Where the range mapped when, a change at a time (the first at the slice's start). */
  readonly mappings: WatchMapping[] = [];

  constructor(
    readonly range: VirtualRange,
    private readonly layout: AddressSpaceLayout,
  ) {}

  /** The physical ranges to watch from here on (the view live), re-translated if something asked for it. */
  watches(view: MachineView): readonly WatchRange[] {
    if (!this.stale) return this.ranges;
    this.stale = false;
    const satp = view.csr(CSR_NUMBERS.satp) ?? 0n;
    this.liveRoot = satpRoot(satp);
    if (this.task !== undefined && !isLeaderOf(view, this.layout, this.task, this.range.pid, satp)) this.task = undefined;
    this.task ??= findProcess(view, this.layout, this.range.pid, satp);
    this.root = this.task === undefined ? null : processRoot(view, this.layout, this.task, satp);
    const walk = this.root === null ? { paddr: null, ptes: [] } : walkSv39(physWord(view), this.root, this.range.vaddr);
    // A mapping of something other than RAM (a device) has no bytes the machine can watch: as if unmapped.
    this.paddr = walk.paddr !== null && view.readPhys(walk.paddr, this.range.length) ? walk.paddr : null;
    this.ptes = walk.ptes;
    const page = this.paddr === null ? null : this.paddr & ~0xfffn;
    if (this.mappings.length === 0 || this.mappings.at(-1)!.paddr !== page) this.mappings.push({ tick: view.tick, paddr: page });
    const ranges = [...(this.paddr === null ? [] : [{ paddr: this.paddr, length: this.range.length }]), ...this.ptes.map((paddr) => ({ paddr, length: 8 }))];
    if (!sameRanges(ranges, this.ranges)) this.ranges = ranges;
    return this.ranges;
  }

  /** An event of the replay: a write to the watched bytes while the process is live, or undefined. */
  event(e: AnalysisEvent): VirtualWrite | undefined {
    if (e.kind === 'satp') {
      this.liveRoot = satpRoot(e.new);
      this.stale = true; // the process may have been born, exec'd or exited: looked for again at this stop
      return undefined;
    }
    if (e.kind !== 'write') return undefined;
    if (e.old.length === 8 && this.ptes.includes(e.paddr)) this.stale = true; // its mapping may have changed: re-walked at this stop
    if (this.paddr === null || e.paddr !== this.paddr || e.old.length !== this.range.length) return undefined;
    if (this.root === null || this.liveRoot !== this.root) return undefined; // another address space is live: not this process's write
    const offset = Number(e.at - this.paddr);
    return { event: e, offset, vaddr: this.range.vaddr + BigInt(offset), paddr: e.at };
  }
}
