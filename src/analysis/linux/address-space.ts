// A process's address space as the kernel keeps it, read through the OS
// profile and a live MachineView: the process (its thread-group leader) is
// found on the kernel's task list (init_task.tasks, every leader linked by
// task_struct.tasks), its address space is task->mm, whose pgd is the root
// page table the kernel writes to satp when the process runs (riscv
// switch_mm: satp = PFN(pgd) | mode). The walk of a virtual address under
// such a root gives, besides where it maps, the physical address of every
// page-table entry it read: what a virtual watch watches to see a remap.
import type { MachineView } from '../../shared/analysis.ts';
import type { OsProfile } from '../os-profile.ts';

/** The offsets and the symbol the address-space reads need. */
export interface AddressSpaceLayout {
  /** task_struct.tasks (a list_head: next at +0), .mm, .pid, .tgid; mm_struct.pgd. */
  tasks: number;
  mm: number;
  pid: number;
  tgid: number;
  pgd: number;
  /** init_task's address: the head of the task list. */
  initTask: bigint;
}

/** The layout the profile gives, or why it cannot. */
export function addressSpaceLayout(profile: OsProfile | undefined): { layout: AddressSpaceLayout } | { note: string } {
  if (!profile) return { note: 'the image has no OS profile (profile.json), so a process\'s address space cannot be found' };
  const task = profile.structs.task_struct?.fields ?? {};
  const mm = profile.structs.mm_struct?.fields ?? {};
  const missing = ['tasks', 'mm', 'pid', 'tgid'].filter((f) => !task[f]).map((f) => `task_struct.${f}`);
  if (!mm.pgd) missing.push('mm_struct.pgd');
  if (!profile.symbols.init_task) missing.push('the symbol init_task');
  if (missing.length > 0) return { note: `the image's OS profile lacks ${missing.join(', ')}, so a process's address space cannot be found` };
  return { layout: { tasks: task.tasks.offset, mm: task.mm.offset, pid: task.pid.offset, tgid: task.tgid.offset, pgd: mm.pgd.offset, initTask: BigInt(profile.symbols.init_task) } };
}

// Sv39 (Privileged spec 4.3.1, 4.3.2 steps 1-4 and 6, 4.4), as the machine
// walks it (wasm/assembly/mmu.ts sv39Walk): three levels of 512 entries, a
// leaf where R or X is set, bits 63..54 reserved.
const PTE_V = 1n;
const PTE_R = 2n;
const PTE_W = 4n;
const PTE_X = 8n;
const PPN_MASK = (1n << 44n) - 1n;
const SATP_SV39 = 8n;

/** A walk's outcome: where it mapped (null if it did not), and every PTE it read, root first. */
export interface Walk {
  paddr: bigint | null;
  ptes: bigint[];
}

/** The root table's physical page number in a satp value, or null when it names no Sv39 space. */
export function satpRoot(satp: bigint): bigint | null {
  return satp >> 60n === SATP_SV39 ? satp & PPN_MASK : null;
}

/**
 * The Sv39 walk of `vaddr` from the root table at physical page `root`,
 * reading page-table entries with `word` (undefined: not in RAM, where the
 * walk stops without the entry).
 */
export function walkSv39(word: (paddr: bigint) => bigint | undefined, root: bigint, vaddr: bigint): Walk {
  const ptes: bigint[] = [];
  const upper = BigInt.asIntN(64, vaddr) >> 38n;
  if (upper !== 0n && upper !== -1n) return { paddr: null, ptes };
  let table = root << 12n;
  for (let level = 2n; level >= 0n; level--) {
    const at = table + ((vaddr >> (12n + 9n * level)) & 0x1ffn) * 8n;
    const pte = word(at);
    if (pte === undefined) return { paddr: null, ptes };
    ptes.push(at);
    if ((pte & PTE_V) === 0n || ((pte & PTE_R) === 0n && (pte & PTE_W) !== 0n) || pte >> 54n !== 0n) return { paddr: null, ptes };
    const ppn = (pte >> 10n) & PPN_MASK;
    if ((pte & (PTE_R | PTE_X)) === 0n) {
      table = ppn << 12n;
      continue;
    }
    if ((ppn & ((1n << (9n * level)) - 1n)) !== 0n) return { paddr: null, ptes }; // a misaligned superpage
    const offsetMask = (1n << (12n + 9n * level)) - 1n;
    return { paddr: ((ppn << 12n) & ~offsetMask) | (vaddr & offsetMask), ptes };
  }
  return { paddr: null, ptes };
}

/** A little-endian u64 of guest physical memory, as walkSv39 reads entries. */
export function physWord(view: MachineView): (paddr: bigint) => bigint | undefined {
  return (paddr) => {
    const b = view.readPhys(paddr, 8);
    return b && new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  };
}

function kernelWord(view: MachineView, addr: bigint, satp: bigint, bytes: 4 | 8): bigint | undefined {
  const b = view.readVirt(addr, bytes, satp);
  if (!b) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, bytes);
  return bytes === 8 ? v.getBigUint64(0, true) : BigInt(v.getInt32(0, true));
}

/** Tasks on the list at most (a list being changed as it is read, or garbage, ends the search). */
const MAX_TASKS = 32768;

/** Whether `task` is the thread-group leader of process `pid` (tid and tgid both pid). */
export function isLeaderOf(view: MachineView, layout: AddressSpaceLayout, task: bigint, pid: number, satp: bigint): boolean {
  return kernelWord(view, task + BigInt(layout.pid), satp, 4) === BigInt(pid) && kernelWord(view, task + BigInt(layout.tgid), satp, 4) === BigInt(pid);
}

/** Process `pid`'s leader task_struct, found on the kernel's task list under `satp` (its kernel half), or undefined. */
export function findProcess(view: MachineView, layout: AddressSpaceLayout, pid: number, satp: bigint): bigint | undefined {
  const head = layout.initTask + BigInt(layout.tasks);
  let node = kernelWord(view, head, satp, 8);
  for (let n = 0; node !== undefined && node !== head && n < MAX_TASKS; n++) {
    const task = node - BigInt(layout.tasks);
    if (isLeaderOf(view, layout, task, pid, satp)) return task;
    node = kernelWord(view, node, satp, 8);
  }
  return undefined;
}

/** The root page table (physical page number) of `task`'s address space, or null if it has none (a kernel thread, an exited process). */
export function processRoot(view: MachineView, layout: AddressSpaceLayout, task: bigint, satp: bigint): bigint | null {
  const mm = kernelWord(view, task + BigInt(layout.mm), satp, 8);
  if (!mm) return null;
  const pgd = kernelWord(view, mm + BigInt(layout.pgd), satp, 8);
  const root = satpRoot(satp);
  if (!pgd || root === null) return null;
  const { paddr } = walkSv39(physWord(view), root, pgd); // the pgd's kernel address, through the kernel half every space maps
  return paddr === null ? null : paddr >> 12n;
}
