// The JIT's host side: the machine's `env.jitCompile` import. It translates
// (translator.ts), compiles the module synchronously (allowed in Node and in
// a Web Worker alike), instantiates it against the machine's memory and
// helpers and installs its function in the machine's table, at the slot the
// machine chose. Host-neutral: the same code runs in worker_threads and in
// the browser. Compiled modules are kept in the thread's cache
// (./translation-cache.ts), which a replay pool shares between its threads
// (./translation-share.ts), so each translation is compiled once per pool.
import { addCompiledTranslation, addTranslationHost, findTranslation, forEachCachedPage, pullTranslations, samePage } from './translation-cache';
import { translate, type JitLayout } from './translator';

/**
 * A translation costs V8 about 3-4 ms of CPU (most of it compiling the
 * function at its first call), as much as interpreting a million guest
 * instructions, so a process's first boot and a one-shot replay pay for
 * their translations: 4000 measured best of 1000, 2000 and 4000 there, with
 * 92% of cpubench's instructions still translated (docs/design.md 2, Cost).
 */
export const DEFAULT_THRESHOLD = 4000;

export interface JitOptions {
  /** Executions of a jump target before it is translated (default: PRNR_JIT_THRESHOLD in the environment, else DEFAULT_THRESHOLD). */
  threshold?: number;
  /** Table slots for translated functions; the cache is flushed when they are used up (default 4096). */
  capacity?: number;
  /** Install cached translations at their first execution after a state load (Jit.restored; default: on unless PRNR_JIT_WARM=0). */
  warm?: boolean;
}

/** The environment's settings, for benchmarks' A/B runs (worker threads and child processes inherit them). */
function envOptions(): JitOptions {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const threshold = Number(env.PRNR_JIT_THRESHOLD);
  return { ...(threshold >= 1 ? { threshold } : {}), ...(env.PRNR_JIT_WARM === '0' ? { warm: false } : {}) };
}

/** What the JIT did since the machine was created. */
export interface JitStats {
  /** Functions installed (one module each; compiled unless cacheHits served them). */
  translations: number;
  /** Entry points left to the interpreter (their first instruction is not translated). */
  untranslatable: number;
  /** Whole-cache flushes (capacity reached, snapshot loads, resets). */
  flushes: number;
  /** Entry points served by a function made for another entry of the same page. */
  reused: number;
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
  /** Time spent translating, compiling (WebAssembly.Module; V8 compiles a function at its first call) and instantiating (ms). */
  translateMs: number;
  compileMs: number;
  instantiateMs: number;
  /** Translations served by this thread's cache of compiled modules (same page content and entry, ./translation-cache.ts)... */
  cacheHits: number;
  /** ...of which another thread compiled (a replay pool shares them, ./translation-share.ts). */
  sharedHits: number;
  /** Entries marked after state loads to be installed at their first execution (their page's bytes in the cache, Jit.restored), and the time it took (ms). */
  warmed: number;
  warmMs: number;
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
  jitWarm(vpc: bigint, host: number): number;
}

export class Jit {
  private machine: JitMachineExports | undefined;
  private layout: JitLayout | undefined;
  private layoutKey = '';
  private helpers: WebAssembly.ModuleImports | undefined;
  private counts = { instructions: 0, blocks: 0, bytes: 0, translateMs: 0, compileMs: 0, instantiateMs: 0, cacheHits: 0, sharedHits: 0, warmed: 0, warmMs: 0 };
  private on = false;
  private warm = true;

  private base = 0;
  /** Live functions by host page (their code generation and flush epoch), to serve more entries of the same page. */
  private pages = new Map<number, Array<{ slot: number; gen: number; starts: Map<bigint, number> }>>();
  private epoch = -1;

  /** The machine's import: give it to WebAssembly.instantiate as env.jitCompile (wasm/assembly/jit.ts hostCompile). */
  readonly compileImport = (vpc: bigint, host: number, index: number, gen: number, epoch: number): number =>
    this.compile(BigInt.asUintN(64, vpc), host, index, gen >>> 0, epoch >>> 0);

  /** Turns the JIT on for an instantiated machine (off: the machine never calls compileImport). */
  attach(machine: JitMachineExports, on: boolean, options: JitOptions = {}): void {
    if (!on && typeof machine.jitLayout !== 'function') return; // a machine.wasm built before the JIT (bench ab.ts)
    const env = envOptions();
    const capacity = options.capacity ?? 4096;
    const threshold = options.threshold ?? env.threshold ?? DEFAULT_THRESHOLD;
    this.warm = options.warm ?? env.warm ?? true;
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
    this.layoutKey = Object.values(this.layout).join(',');
    this.helpers = { memory: machine.memory, load: machine.jitLoadSlow as WebAssembly.ImportValue, store: machine.jitStoreSlow as WebAssembly.ImportValue, mulh: machine.jitMulh as WebAssembly.ImportValue };
    const table = machine.table as FunctionTable;
    let base = table.length;
    if (on) table.grow(capacity);
    else base = 0;
    this.base = base;
    this.on = on;
    machine.jitSetup(on, base, on ? capacity : 0, threshold);
  }

  /**
   * After a state load (which flushed every translation): each entry this
   * thread's cache holds for a page whose bytes RAM holds again, at a host
   * address the page ran at, is installed at its first execution instead of
   * counting to the threshold again (wasm/assembly/jit.ts jitWarm). Which
   * path runs changes, never what it computes: the code installed is still
   * chosen by the page's bytes at that execution.
   */
  restored(): void {
    const machine = this.machine;
    if (!machine || !this.on || !this.warm) return;
    const t0 = now();
    pullTranslations(); // what other threads compiled by now
    const memory = new Uint8Array(machine.memory.buffer);
    forEachCachedPage(this.layoutKey, (bytes, hosts, entries) => {
      for (const host of hosts) {
        if (host + 4096 > memory.length || !samePage(memory.subarray(host, host + 4096), bytes)) continue;
        for (const vpc of entries.keys()) if (machine.jitWarm(vpc, host + Number(vpc & 0xfffn))) this.counts.warmed++;
      }
    });
    this.counts.warmMs += now() - t0;
  }

  private compile(vpc: bigint, host: number, index: number, gen: number, epoch: number): number {
    const machine = this.machine!;
    if (epoch !== this.epoch) {
      this.pages.clear();
      this.epoch = epoch;
    }
    const pageHost = host & ~0xfff;
    const live = (this.pages.get(pageHost) ?? []).filter((f) => f.gen === gen);
    this.pages.set(pageHost, live);
    for (const f of live) {
      const block = f.starts.get(vpc);
      if (block !== undefined) return (f.slot << 8) | (block << 1);
    }
    const t0 = now();
    const memory = new Uint8Array(machine.memory.buffer);
    const page = memory.subarray(pageHost, pageHost + 4096);
    let found = findTranslation(this.layoutKey, page, vpc);
    if (!found) {
      pullTranslations(); // what other threads compiled by now
      found = findTranslation(this.layoutKey, page, vpc);
    }
    if (found) {
      addTranslationHost(this.layoutKey, page, pageHost);
      this.counts.cacheHits++;
      if (found.imported) this.counts.sharedHits++;
    } else {
      const translation = translate(memory, this.layout!, vpc, host);
      const t1 = now();
      this.counts.translateMs += t1 - t0;
      if (!translation) return -1;
      const compiled = { module: new WebAssembly.Module(translation.bytes), starts: translation.starts };
      this.counts.compileMs += now() - t1;
      this.counts.instructions += translation.instructions;
      this.counts.blocks += translation.blocks;
      this.counts.bytes += translation.bytes.length;
      addCompiledTranslation(this.layoutKey, page, vpc, compiled, pageHost);
      found = { ...compiled, imported: false };
    }
    const t2 = now();
    const instance = new WebAssembly.Instance(found.module, { env: this.helpers! });
    (machine.table as FunctionTable).set(index, instance.exports.f);
    this.counts.instantiateMs += now() - t2;
    const slot = index - this.base;
    live.push({ slot, gen, starts: found.starts });
    return (slot << 8) | (found.starts.get(vpc)! << 1) | 1;
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
      reused: stat(7),
      ...this.counts,
    };
  }
}
