// VirtualWatch over a hand-built guest: a kernel half mapped by a gigapage in
// every root, a task list (init_task -> pid 5 -> pid 7), each process's mm
// with its pgd, and Sv39 tables for the watched page. The watch finds the
// process from the snapshot whether it runs or not, watches the bytes and the
// three PTEs of the walk, reports only writes made while its space is live,
// and re-translates at a PTE write (COW break, munmap, first mapping) and at a
// satp switch (exec: a new root; a process born after the start).
import { describe, expect, it } from 'vitest';
import type { AnalysisEvent, MachineView, WatchRange } from '../../shared/analysis.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { walkSv39, type AddressSpaceLayout } from './address-space.ts';
import { VirtualWatch } from './virtual-watch.ts';

const KERNEL_VA = 0xffff_ffff_8000_0000n;
const RAM = 0x8000_0000n;
const K = (offset: bigint) => KERNEL_VA + offset; // the kernel's address of RAM + offset
const LAYOUT: AddressSpaceLayout = { tasks: 0x40, mm: 0x50, pid: 0x60, tgid: 0x64, pgd: 0x30, initTask: K(0x1000n) };
const V = 1n, R = 2n, W = 4n, A = 0x40n, D = 0x80n;
const table = (pa: bigint) => ((pa >> 12n) << 10n) | V;
const leaf = (pa: bigint) => ((pa >> 12n) << 10n) | V | R | W | A | D;
const satpOf = (root: bigint) => (8n << 60n) | (root >> 12n);
const VADDR = 0x10008n;

class Guest {
  private readonly pages = new Map<bigint, Uint8Array>();
  satp = 0n;
  tick = 0n;

  private page(pa: bigint): Uint8Array {
    const base = pa & ~0xfffn;
    let p = this.pages.get(base);
    if (!p) this.pages.set(base, (p = new Uint8Array(4096)));
    return p;
  }

  read(pa: bigint, n: number): Uint8Array {
    return this.page(pa).slice(Number(pa & 0xfffn), Number(pa & 0xfffn) + n);
  }

  set(pa: bigint, value: bigint, bytes = 8): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.page(pa).set(b.subarray(0, bytes), Number(pa & 0xfffn));
  }

  /** A root with the kernel half (VPN2 510: a gigapage at RAM) and `vaddr` mapped through tables at root + 4 KiB and + 8 KiB to `data` (or not). */
  space(root: bigint, data: bigint | null): void {
    this.set(root + 510n * 8n, leaf(RAM));
    this.set(root, table(root + 0x1000n));
    this.set(root + 0x1000n, table(root + 0x2000n));
    this.set(root + 0x2000n + 0x10n * 8n, data === null ? 0n : leaf(data));
  }

  /** A process: its task at RAM + at, its mm at RAM + at + 0x800 with pgd = root's kernel address. */
  process(at: bigint, pid: number, root: bigint | null): void {
    this.set(RAM + at + BigInt(LAYOUT.pid), BigInt(pid), 4);
    this.set(RAM + at + BigInt(LAYOUT.tgid), BigInt(pid), 4);
    this.set(RAM + at + BigInt(LAYOUT.mm), root === null ? 0n : K(at + 0x800n));
    if (root !== null) this.set(RAM + at + 0x800n + BigInt(LAYOUT.pgd), K(root - RAM));
  }

  /** The task list: init_task, then these tasks (offsets from RAM), circular. */
  link(tasks: bigint[]): void {
    const nodes = [0x1000n, ...tasks].map((t) => K(t) + BigInt(LAYOUT.tasks));
    nodes.forEach((n, i) => this.set(RAM + (n - KERNEL_VA), nodes[(i + 1) % nodes.length]));
  }

  view(): MachineView {
    return {
      live: true,
      tick: this.tick,
      pc: () => 0n,
      priv: () => 1,
      x: () => 0n,
      csr: (n) => (n === CSR_NUMBERS.satp ? this.satp : undefined),
      readVirt: (va, n) => (va >= KERNEL_VA ? this.read(RAM + (va - KERNEL_VA), n) : undefined), // the kernel's linear map only
      readPhys: (pa, n) => (pa >= RAM ? this.read(pa, n) : undefined),
    };
  }
}

const ROOT_A = RAM + 0x10000n;
const ROOT_B = RAM + 0x20000n;
const ROOT_EXEC = RAM + 0x30000n;
const DATA_A = RAM + 0x10_0000n;
const DATA_B = RAM + 0x20_0000n;
const DATA_COW = RAM + 0x30_0000n;
const PTE_A = ROOT_A + 0x2000n + 0x80n;

function guest(): Guest {
  const g = new Guest();
  g.space(ROOT_A, DATA_A);
  g.space(ROOT_B, DATA_B);
  g.process(0x2000n, 5, ROOT_A);
  g.process(0x3000n, 7, ROOT_B);
  g.link([0x2000n, 0x3000n]);
  g.satp = satpOf(ROOT_B); // pid 7 runs at the start
  return g;
}

const write = (tick: bigint, paddr: bigint, at: bigint, length: number, size = 8): Extract<AnalysisEvent, { kind: 'write' }> =>
  ({ kind: 'write', tick, pc: 0x1000n, paddr, at, size, source: 'store', old: new Uint8Array(length), new: new Uint8Array(length).fill(1) });
const ranges = (...r: [bigint, number][]): WatchRange[] => r.map(([paddr, length]) => ({ paddr, length }));
const walkOf = (data: bigint) => ranges([data + 8n, 8], [ROOT_A, 8], [ROOT_A + 0x1000n, 8], [PTE_A, 8]);

describe('VirtualWatch', () => {
  it('finds the process in the snapshot while another runs, and watches its bytes and the PTEs of the walk', () => {
    const g = guest();
    const w = new VirtualWatch({ pid: 5, vaddr: VADDR, length: 8 }, LAYOUT);
    const first = w.watches(g.view());
    expect(first).toEqual(walkOf(DATA_A));
    expect(w.watches(g.view())).toBe(first); // nothing asked for a re-walk
    expect(w.mappings).toEqual([{ tick: 0n, paddr: DATA_A }]);
  });

  it('reports only writes made while the process\'s address space is live', () => {
    const g = guest();
    const w = new VirtualWatch({ pid: 5, vaddr: VADDR, length: 8 }, LAYOUT);
    w.watches(g.view());
    expect(w.event(write(10n, DATA_A + 8n, DATA_A + 8n, 8))).toBeUndefined(); // pid 7's space is live (a kernel write through the linear map)
    const before = w.watches(g.view());
    expect(w.event({ kind: 'satp', tick: 11n, old: g.satp, new: satpOf(ROOT_A) })).toBeUndefined();
    g.satp = satpOf(ROOT_A);
    g.tick = 11n;
    expect(w.watches(g.view())).toBe(before); // re-walked at the switch: the same ranges
    const hit = w.event(write(12n, DATA_A + 8n, DATA_A + 12n, 8, 2));
    expect(hit).toMatchObject({ offset: 4, vaddr: VADDR + 4n, paddr: DATA_A + 12n });
    expect(w.event(write(13n, DATA_A + 0x100n, DATA_A + 0x100n, 8))).toBeUndefined(); // not its range
  });

  it('re-translates at a write to a PTE of the walk: a COW break, then an munmap', () => {
    const g = guest();
    g.satp = satpOf(ROOT_A);
    const w = new VirtualWatch({ pid: 5, vaddr: VADDR, length: 8 }, LAYOUT);
    w.watches(g.view());
    g.set(PTE_A, leaf(DATA_COW));
    g.tick = 20n;
    w.event(write(20n, PTE_A, PTE_A, 8));
    expect(w.watches(g.view())).toEqual(walkOf(DATA_COW));
    expect(w.event(write(21n, DATA_A + 8n, DATA_A + 8n, 8))).toBeUndefined(); // the old page is not the process's any more
    expect(w.event(write(22n, DATA_COW + 8n, DATA_COW + 8n, 8))).toMatchObject({ vaddr: VADDR, paddr: DATA_COW + 8n });
    g.set(PTE_A, 0n);
    g.tick = 30n;
    w.event(write(30n, PTE_A, PTE_A, 8));
    expect(w.watches(g.view())).toEqual(ranges([ROOT_A, 8], [ROOT_A + 0x1000n, 8], [PTE_A, 8]));
    expect(w.mappings).toEqual([{ tick: 0n, paddr: DATA_A }, { tick: 20n, paddr: DATA_COW }, { tick: 30n, paddr: null }]);
  });

  it('watches a page not mapped yet by the PTE that will map it', () => {
    const g = guest();
    g.set(PTE_A, 0n);
    g.satp = satpOf(ROOT_A);
    const w = new VirtualWatch({ pid: 5, vaddr: VADDR, length: 8 }, LAYOUT);
    expect(w.watches(g.view())).toEqual(ranges([ROOT_A, 8], [ROOT_A + 0x1000n, 8], [PTE_A, 8]));
    g.set(PTE_A, leaf(DATA_A)); // the fault that maps it
    g.tick = 5n;
    w.event(write(5n, PTE_A, PTE_A, 8));
    expect(w.watches(g.view())).toEqual(walkOf(DATA_A));
    expect(w.mappings).toEqual([{ tick: 0n, paddr: null }, { tick: 5n, paddr: DATA_A }]);
  });

  it('finds a process born after the start, and a new root after exec, at a satp switch', () => {
    const g = guest();
    const w = new VirtualWatch({ pid: 9, vaddr: VADDR, length: 8 }, LAYOUT);
    expect(w.watches(g.view())).toEqual([]);
    g.space(ROOT_EXEC, DATA_COW);
    g.process(0x4000n, 9, ROOT_A); // forked: a copy of pid 5's tables (same root here, for brevity)
    g.link([0x2000n, 0x3000n, 0x4000n]);
    g.tick = 40n;
    w.event({ kind: 'satp', tick: 40n, old: g.satp, new: satpOf(ROOT_A) });
    g.satp = satpOf(ROOT_A);
    expect(w.watches(g.view())).toEqual(walkOf(DATA_A));
    g.process(0x4000n, 9, ROOT_EXEC); // exec: a new mm
    g.tick = 50n;
    w.event({ kind: 'satp', tick: 50n, old: g.satp, new: satpOf(ROOT_EXEC) });
    g.satp = satpOf(ROOT_EXEC);
    expect(w.watches(g.view())).toEqual(ranges([DATA_COW + 8n, 8], [ROOT_EXEC, 8], [ROOT_EXEC + 0x1000n, 8], [ROOT_EXEC + 0x2080n, 8]));
    expect(w.event(write(51n, DATA_COW + 8n, DATA_COW + 8n, 8))).toBeDefined();
    g.process(0x4000n, 9, null); // exited: no address space
    g.tick = 60n;
    w.event({ kind: 'satp', tick: 60n, old: g.satp, new: satpOf(ROOT_B) });
    g.satp = satpOf(ROOT_B);
    expect(w.watches(g.view())).toEqual([]);
    expect(w.mappings.map((m) => m.paddr)).toEqual([null, DATA_A, DATA_COW, null]);
  });
});

describe('walkSv39', () => {
  it('gives every PTE it read, stops at an invalid one, and maps superpages', () => {
    const g = guest();
    const word = (pa: bigint) => new DataView(g.read(pa, 8).buffer).getBigUint64(0, true);
    expect(walkSv39(word, ROOT_A >> 12n, VADDR)).toEqual({ paddr: DATA_A + 8n, ptes: [ROOT_A, ROOT_A + 0x1000n, PTE_A] });
    expect(walkSv39(word, ROOT_A >> 12n, 0x40_0000n)).toEqual({ paddr: null, ptes: [ROOT_A, ROOT_A + 0x1000n + 16n] });
    expect(walkSv39(word, ROOT_A >> 12n, K(0x1234n))).toEqual({ paddr: RAM + 0x1234n, ptes: [ROOT_A + 510n * 8n] });
    expect(walkSv39(word, ROOT_A >> 12n, 0x40_0000_0000n)).toEqual({ paddr: null, ptes: [] }); // not canonical
    g.set(PTE_A, leaf(DATA_A) | (1n << 60n));
    expect(walkSv39(word, ROOT_A >> 12n, VADDR).paddr).toBeNull(); // reserved bits
  });
});
