// The JIT's host side: the machine's `env.jitCompile` import. It translates
// (translator.ts), compiles the module synchronously (allowed in Node and in
// a Web Worker alike), instantiates it against the machine's memory and
// helpers and installs its function in the machine's table, at the slot the
// machine chose. Host-neutral: the same code runs in worker_threads and in
// the browser.
import { translate, type JitLayout } from './translator';

export interface JitOptions {
  /** Executions of a jump target before it is translated (default 64). */
  threshold?: number;
  /** Table slots for translated functions; the cache is flushed when they are used up (default 4096). */
  capacity?: number;
}

/** What the JIT did since the machine was created. */
export interface JitStats {
  /** Functions translated and installed (one module each). */
  translations: number;
  /** Entry points left to the interpreter (their first instruction is not translated). */
  untranslatable: number;
  /** Whole-cache flushes (capacity reached, snapshot loads, resets). */
  flushes: number;
  /** Calls from the interpreter into translated code. */
  entries: number;
  /** Guest instructions executed in translated code. */
  executed: number;
  /** Returns from translated code that executed nothing (the first block did not fit the budget). */
  emptyExits: number;
  /** Guest pages holding translated code now. */
  codePages: number;
  /** Guest instructions and basic blocks translated. */
  instructions: number;
  blocks: number;
  /** Wasm bytes generated. */
  bytes: number;
  /** Time spent translating, compiling and instantiating (ms). */
  translateMs: number;
  compileMs: number;
}

/** The machine's function table, as the JIT uses it. */
interface FunctionTable {
  readonly length: number;
  grow(delta: number): number;
  set(index: number, value: unknown): void;
}

const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/** The machine exports the JIT uses (a subset of MachineExports). */
export interface JitMachineExports {
  memory: WebAssembly.Memory;
  table: unknown;
  jitSetup(on: boolean | number, tableBase: number, capacity: number, threshold: number): void;
  jitFlush(): void;
  jitLayout(i: number): number;
  jitStat(i: number): bigint;
  jitLoadSlow: (...args: never[]) => unknown;
  jitStoreSlow: (...args: never[]) => unknown;
  jitMulh: (...args: never[]) => unknown;
}

export class Jit {
  private machine: JitMachineExports | undefined;
  private layout: JitLayout | undefined;
  private helpers: WebAssembly.ModuleImports | undefined;
  private counts = { instructions: 0, blocks: 0, bytes: 0, translateMs: 0, compileMs: 0 };

  /** The machine's imports: give them to WebAssembly.instantiate as env.jitCompile. */
  readonly compileImport = (vpc: bigint, host: number, index: number): number => (this.compile(BigInt.asUintN(64, vpc), host, index) ? 1 : 0);

  /** Turns the JIT on for an instantiated machine (off: the machine never calls compileImport). */
  attach(machine: JitMachineExports, on: boolean, options: JitOptions = {}): void {
    const capacity = options.capacity ?? 4096;
    const threshold = options.threshold ?? 64;
    this.machine = machine;
    this.layout = {
      ctx: machine.jitLayout(0),
      xregs: machine.jitLayout(1),
      tlbReadTag: machine.jitLayout(2),
      tlbReadDelta: machine.jitLayout(3),
      tlbWriteTag: machine.jitLayout(4),
      tlbWriteDelta: machine.jitLayout(5),
      rvcTable: machine.jitLayout(6),
    };
    this.helpers = { memory: machine.memory, load: machine.jitLoadSlow as WebAssembly.ImportValue, store: machine.jitStoreSlow as WebAssembly.ImportValue, mulh: machine.jitMulh as WebAssembly.ImportValue };
    const table = machine.table as FunctionTable;
    let base = table.length;
    if (on) table.grow(capacity);
    else base = 0;
    machine.jitSetup(on, base, on ? capacity : 0, threshold);
  }

  private compile(vpc: bigint, host: number, index: number): boolean {
    const machine = this.machine!;
    const t0 = now();
    const translation = translate(new Uint8Array(machine.memory.buffer), this.layout!, vpc, host);
    const t1 = now();
    this.counts.translateMs += t1 - t0;
    if (!translation) return false;
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(translation.bytes);
    } catch (err) {
      (globalThis as { jitFailedBytes?: Uint8Array }).jitFailedBytes = translation.bytes;
      throw err;
    }
    const instance = new WebAssembly.Instance(module, { env: this.helpers! });
    (machine.table as FunctionTable).set(index, instance.exports.f);
    this.counts.compileMs += now() - t1;
    this.counts.instructions += translation.instructions;
    this.counts.blocks += translation.blocks;
    this.counts.bytes += translation.bytes.length;
    return true;
  }

  stats(): JitStats {
    const m = this.machine;
    const stat = (i: number) => (m ? Number(m.jitStat(i)) : 0);
    return {
      translations: stat(0),
      untranslatable: stat(1),
      flushes: stat(2),
      entries: stat(3),
      codePages: stat(4),
      executed: stat(5),
      emptyExits: stat(6),
      ...this.counts,
    };
  }
}
