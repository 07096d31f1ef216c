// A pretend riscv Linux for dimension tests: tasks laid out in memory as the
// default image's OS profile says (pid, tgid, comm, real_parent, the kernel
// stack's pt_regs under thread_info.kernel_sp), and a script of syscall
// entries and returns turned into the hook events a replay would deliver,
// each with the machine as it was at that event (registers, sscratch, memory
// at that moment). Feeding the events to a dimension in any split into
// slices is what a parallel replay does.
import committedProfile from '../../public/images/default/profile.json' with { type: 'json' };
import type { AnalysisEvent, AnalysisInputs, AnalysisRuntime, DimensionRequest, MachineView } from '../../src/shared/analysis.ts';
import { CSR_NUMBERS } from '../../src/shared/riscv.ts';

export const PROFILE_TEXT = JSON.stringify(committedProfile);
const T = committedProfile.structs.task_struct.fields;
const KERNEL_SP = committedProfile.structs.thread_info.fields.kernel_sp.offset;
const SATP = 0x8000_0000_0008_0000n;
const KERNEL = 0xffff_ffd8_0000_0000n;
const PT_REGS = 36 * 8;

/** Sparse guest memory: 4 KiB pages that exist where something was written; copied whole for each moment. */
class Memory {
  constructor(private readonly pages = new Map<bigint, Uint8Array>()) {}

  put(addr: bigint, data: Uint8Array | string): this {
    const bytes = typeof data === 'string' ? Uint8Array.from(data, (c) => c.charCodeAt(0)) : data;
    for (let i = 0; i < bytes.length; i++) {
      const a = addr + BigInt(i);
      let page = this.pages.get(a >> 12n);
      if (!page) this.pages.set(a >> 12n, (page = new Uint8Array(4096)));
      page[Number(a & 0xfffn)] = bytes[i];
    }
    return this;
  }

  u64(addr: bigint, value: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return this.put(addr, b);
  }

  u32(addr: bigint, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.put(addr, b);
  }

  zero(addr: bigint, len: number): this {
    return this.put(addr, new Uint8Array(len));
  }

  read(addr: bigint, len: number): Uint8Array | undefined {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const a = addr + BigInt(i);
      const page = this.pages.get(a >> 12n);
      if (!page) return undefined;
      out[i] = page[Number(a & 0xfffn)];
    }
    return out;
  }

  copy(): Memory {
    return new Memory(new Map([...this.pages].map(([k, v]) => [k, v.slice()])));
  }
}

interface Moment {
  event: AnalysisEvent;
  live: boolean;
  pc: bigint;
  priv: number;
  x: bigint[];
  csrs: Map<number, bigint>;
  memory: Memory;
}

export class FakeGuest {
  readonly memory = new Memory();
  readonly moments: Moment[] = [];
  private next = KERNEL + 0x10_0000n;
  tick = 1000n;

  /** A task; returns its task_struct's address. */
  task(tid: number, pid: number, comm: string, parent?: bigint): bigint {
    const at = this.next;
    this.next += 0x1_0000n;
    const m = this.memory;
    m.u32(at + BigInt(T.pid.offset), tid).u32(at + BigInt(T.tgid.offset), pid);
    m.put(at + BigInt(T.comm.offset), `${comm}\0`.padEnd(16, '\0'));
    m.u64(at + BigInt(T.real_parent.offset), parent ?? at);
    // The kernel stack: its top in thread_info.kernel_sp, pt_regs right below.
    const stackTop = at + 0x8000n;
    m.u64(at + BigInt(T.thread_info.offset) + BigInt(KERNEL_SP), stackTop);
    m.zero(stackTop - BigInt(PT_REGS), PT_REGS);
    return at;
  }

  rename(task: bigint, comm: string): void {
    this.memory.put(task + BigInt(T.comm.offset), `${comm}\0`.padEnd(16, '\0'));
  }

  private record(event: AnalysisEvent, pc: bigint, priv: number, x: bigint[], task: bigint): void {
    this.moments.push({ event, live: true, pc, priv, x, csrs: new Map([[CSR_NUMBERS.sscratch, task], [CSR_NUMBERS.satp, SATP]]), memory: this.memory.copy() });
  }

  /** An ecall from `task` at `pc`; `sp` is the caller's stack pointer. */
  enter(task: bigint, nr: number, args: bigint[], pc = 0x10_000n, sp = 0x3f_ffff_f000n): this {
    this.tick += 100n;
    const a = [...args, 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6);
    const x = new Array<bigint>(32).fill(0n);
    x[2] = sp;
    a.forEach((v, i) => (x[10 + i] = v));
    x[17] = BigInt(nr);
    this.record({ kind: 'syscall', tick: this.tick, pc, nr: BigInt(nr), args: a, satp: SATP, sscratch: task }, 0xffff_ffff_8000_1bc8n, 1, x, task);
    return this;
  }

  /**
   * The sret that returns to `task` at `pc` with `ret` in a0, its pt_regs
   * saying `cause` (8: a syscall) with a7 = `nr` and orig_a0 = `origA0`.
   */
  leave(task: bigint, ret: bigint, o: { pc: bigint; cause?: bigint; nr?: number; origA0?: bigint; args?: bigint[]; sp?: bigint; a2?: bigint }): this {
    this.tick += 100n;
    const stackTop = this.memoryU64(task + BigInt(T.thread_info.offset) + BigInt(KERNEL_SP));
    const regs = stackTop - BigInt(PT_REGS);
    const x = new Array<bigint>(32).fill(0n);
    x[2] = o.sp ?? 0x3f_ffff_f000n;
    x[10] = BigInt.asUintN(64, ret);
    (o.args ?? []).forEach((v, i) => (x[11 + i] = v));
    if (o.a2 !== undefined) x[12] = o.a2;
    x[17] = BigInt(o.nr ?? 0);
    this.memory.u64(regs, o.pc);
    this.memory.u64(regs + 17n * 8n, x[17]);
    this.memory.u64(regs + 34n * 8n, o.cause ?? 8n);
    this.memory.u64(regs + 35n * 8n, o.origA0 ?? 0n);
    this.record({ kind: 'sysret', tick: this.tick, a0: BigInt.asUintN(64, ret) }, o.pc, 0, x, task);
    return this;
  }

  /** An entry and its return, the call at `pc` returning to pc + 4. */
  call(task: bigint, nr: number, args: bigint[], ret: bigint, pc = 0x10_000n): this {
    return this.enter(task, nr, args, pc).leave(task, ret, { pc: pc + 4n, nr, origA0: args[0] ?? 0n, args: args.slice(1) });
  }

  private memoryU64(addr: bigint): bigint {
    const b = this.memory.read(addr, 8)!;
    return new DataView(b.buffer).getBigUint64(0, true);
  }

  /** Runs `request` over the events split into slices at `cuts` (ticks), and merges: what a parallel replay computes. */
  analyze(runtime: AnalysisRuntime, request: DimensionRequest, cuts: bigint[], inputs: AnalysisInputs = { profile: PROFILE_TEXT }): unknown {
    const bounds = [0n, ...cuts, this.tick + 1n];
    const partials: unknown[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const observer = runtime.startSlice(request, { index: i, startTick: bounds[i], endTick: bounds[i + 1] }, inputs);
      for (const m of this.moments) if (m.event.tick >= bounds[i] && m.event.tick < bounds[i + 1]) observer.event(m.event, view(m));
      partials.push(structuredClone(observer.finish()));
    }
    return runtime.merge(request, partials, inputs);
  }
}

function view(m: Moment): MachineView {
  return {
    live: m.live,
    tick: m.event.tick,
    pc: () => m.pc,
    priv: () => m.priv,
    x: (r) => m.x[r] ?? 0n,
    csr: (n) => m.csrs.get(n),
    readVirt: (addr, len) => m.memory.read(addr, len),
    readPhys: () => undefined, // the scripted guest has virtual memory only
  };
}
