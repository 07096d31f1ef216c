// The contract between the engine, which replays slices, and the analyses,
// which read what a replay shows them (docs/design.md 5). An analysis is a
// dimension: for each slice it observes the hook events of that slice's
// replay (with the machine stopped at each where it asks for that) and
// returns a partial result; partials merge in slice order into the whole.
//
// The engine never imports src/analysis (docs/design.md 1): whoever composes
// a replay worker (the CLI's worker entry, the app's) hands the engine an
// AnalysisRuntime, and the engine drives it through this file's types only.
// Partials and results are structured-cloneable (they cross workers) and
// survive encodeAnalysisJson/decodeAnalysisJson (they are cached on disk).
import { latin1FromBytes, latin1ToBytes } from './bytes';
import { PrnrError } from './errors';
import { HOOK_WATCH_RANGES } from './machine-constants';

/** What a replay shows an analysis, in tick order. */
export type AnalysisEvent =
  /** An ecall from U-mode, as the trap is entered: a7, a0..a5, satp, and sscratch (Linux: the calling task). */
  | { kind: 'syscall'; tick: bigint; pc: bigint; nr: bigint; args: bigint[]; satp: bigint; sscratch: bigint }
  /** An sret to U-mode (a syscall's return, or the end of an interrupt or fault taken in U-mode): a0. */
  | { kind: 'sysret'; tick: bigint; a0: bigint }
  /** A satp write (an address-space switch, or the same space again). */
  | { kind: 'satp'; tick: bigint; old: bigint; new: bigint }
  /** The machine reached a multiple of the sampling interval (HookNeeds.sampleEveryTicks). */
  | { kind: 'sample'; tick: bigint }
  /**
   * The instruction at `pc`, the one that ended at `tick`, wrote a watched
   * physical range (HookNeeds.watch; `paddr` is the range's first byte):
   * `size` bytes at `at` (clipped to the range), from a store, an AMO or SC,
   * the hart's page walk (A/D bits), or a device's DMA (then at the store that notified the device), the value
   * already there included; `old` and `new` are the whole range before and
   * after. The view is live just after that instruction.
   */
  | { kind: 'write'; tick: bigint; pc: bigint; paddr: bigint; at: bigint; size: number; source: WriteSource; old: Uint8Array; new: Uint8Array };

/** What wrote a watched range: a store instruction, an AMO or SC, a device's DMA, or the hart's page walk setting a PTE's A/D bits. */
export type WriteSource = 'store' | 'amo' | 'dma' | 'walk';

/** Who a task is, as the kernel says at that moment (src/analysis/linux/kernel.ts reads it). */
export interface TaskIdentity {
  /** The thread id (task_struct.pid). */
  tid: number;
  /** The process id (task_struct.tgid): what getpid() and `echo $$` say. */
  pid: number;
  /** task_struct.comm: the program's name, at most 15 characters; exec changes it. */
  comm: string;
  /** The parent process's id (real_parent->tgid); 0 for the kernel's own first tasks. */
  ppid: number;
}

/** Where the hart was: U, S or M mode, by what runs there under Linux. */
export type Where = 'user' | 'kernel' | 'firmware';

/**
 * The watch dimension (src/analysis/dimensions/watch.ts) by name: the engine
 * runs it to find the last write before a tick (EngineApi.lastWrite), so its
 * name, parameters and result are part of this contract.
 */
export const WATCH_DIMENSION = 'watch';

/** One write to a watched range, as the watch dimension reports it. */
export interface WatchedWrite {
  /** The tick the writing instruction ended at: seeking to tick - 1 shows the machine just before it, at `pc`. */
  tick: bigint;
  pc: bigint;
  where: Where;
  /** The running task's task_struct (0 if none is known), and who it is (null without a profile). */
  task: bigint;
  who: TaskIdentity | null;
  /** The bytes of the range written: [offset, offset + size). */
  offset: number;
  size: number;
  source: WriteSource;
  /** The store wrote the value already there: nothing changed. */
  same: boolean;
  /** The whole range before and after. */
  old: Uint8Array;
  new: Uint8Array;
  /** A virtual watch's: the first byte written, virtual (in the watched process) and physical (where it mapped then). */
  vaddr?: bigint;
  paddr?: bigint;
}

/** Where a virtual watch's page mapped from `tick` on: a physical page address, or null (not mapped, or the process has no address space). */
export interface WatchMapping {
  tick: bigint;
  paddr: bigint | null;
}

/**
 * The watch dimension's result: every write to [addr, addr + length), in tick
 * order, pc named (`place`). With `pid` the range is virtual in that process
 * (its writes while its address space was live), and `mappings` says where
 * the range mapped when (each change at the tick it happened).
 */
export interface WatchResult {
  addr: bigint;
  length: number;
  pid?: number;
  mappings?: WatchMapping[];
  writes: (WatchedWrite & { place: string })[];
  note?: string;
}

/**
 * The machine as an analysis sees it while an event is delivered, read-only.
 * `live` says whether the machine is exactly at that event (so memory,
 * registers and CSRs are as they were then); when it is not, readVirt
 * answers undefined rather than what memory holds later.
 */
export interface MachineView {
  readonly live: boolean;
  readonly tick: bigint;
  pc(): bigint;
  /** 0 U, 1 S, 3 M. */
  priv(): number;
  /** Integer register x0..x31. */
  x(reg: number): bigint;
  csr(num: number): bigint | undefined;
  /** Guest virtual memory under `satp` (the machine's own Sv39 walk); undefined where it does not translate, or when not live. */
  readVirt(vaddr: bigint, length: number, satp: bigint): Uint8Array | undefined;
  /** Guest physical memory; undefined outside RAM, or when not live. */
  readPhys(paddr: bigint, length: number): Uint8Array | undefined;
}

/** What a dimension needs its replays to show it. */
export interface HookNeeds {
  /** Syscall entries and every sret to U-mode, with the run stopped at each so the view is live. */
  syscalls?: boolean;
  /** satp writes (not stopped at: the view is not live for them, unless `satpStop`). */
  satp?: boolean;
  /** Stop the run right after each satp write, so the view is live for it (with `satp`). */
  satpStop?: boolean;
  /** A 'sample' event (view live) at every multiple of this many ticks. */
  sampleEveryTicks?: bigint;
  /** Physical ranges whose writes come as 'write' events, each at the instruction that made it (the run stopped there). */
  watch?: WatchRange[];
  /**
   * At most this many more ranges, chosen by the observer as the slice runs
   * (SliceObserver.watches): counted against the machine's HOOK_WATCH_RANGES
   * with `watch` when needs are combined.
   */
  dynamicWatches?: number;
}

export interface WatchRange {
  paddr: bigint;
  length: number;
}

/** A parameter value: what a command line or the app can give, and JSON can hold. */
export type AnalysisParam = string | number | boolean | null | AnalysisParam[] | { [key: string]: AnalysisParam };

/** One dimension asked for, with its parameters (defaults filled in by AnalysisRuntime.describe). */
export interface DimensionRequest {
  dimension: string;
  params: Record<string, AnalysisParam>;
}

/** A request with every default filled in: the key of its cached partials, with the dimension's version. */
export interface DimensionDescription extends DimensionRequest {
  version: number;
  /** A fingerprint of the code its results come from besides the dimension's own (the syscall decoder's), '' if none: part of the cache key, so a changed decoder is not answered from an old cache. */
  code: string;
  needs: HookNeeds;
  /** A name for this request's result among others (a file name): the dimension's, or with its parameters where several run at once ("watch-0x804dc7c8-8"). */
  label: string;
}

/** The image facts analyses read besides the replay: its files for analyses (docs/images.md), as text. */
export interface AnalysisInputs {
  /** profile.json (the OS introspection profile); absent for an image without one. */
  profile?: string;
  /** System.map, for symbolising kernel addresses. */
  systemMap?: string;
}

export interface SliceSpan {
  index: number;
  startTick: bigint;
  endTick: bigint;
}

/** One dimension's observer over one slice's replay. */
export interface SliceObserver {
  event(event: AnalysisEvent, view: MachineView): void;
  /** Console output the guest wrote, as each run ends (tick: where the run stopped). */
  output(tick: bigint, data: Uint8Array): void;
  /**
   * For HookNeeds.dynamicWatches: the physical ranges to watch from here on
   * (their writes come to this observer as 'write' events), asked with the
   * view live at the slice's start and after every run; the same array back
   * while nothing changed.
   */
  watches?(view: MachineView): readonly WatchRange[];
  /** The slice's partial result, once the replay reached the slice's end. */
  finish(): unknown;
}

/** Where a result comes from: enough to tell whether two results answer the same question. */
export interface Provenance {
  /** The recording's digest (hex): its id. */
  recording: string;
  analysis: string;
  version: number;
  /** DimensionDescription.code. */
  code: string;
  params: Record<string, AnalysisParam>;
  /** Slices analysed (every one of the recording unless a subset was asked). */
  slices: number[];
}

/**
 * The analyses a replay worker (and a merger) can run. Implemented in
 * src/analysis (analysisRuntime) and handed to the engine by the composition
 * root; every method may throw PrnrError ANALYSIS_UNKNOWN or ANALYSIS_PARAMS.
 */
export interface AnalysisRuntime {
  /** The dimensions it knows, by name. */
  dimensions(): string[];
  /** Fills in defaults and checks the parameters. */
  describe(request: DimensionRequest): DimensionDescription;
  /** Starts observing slice `slice`'s replay for `request`. */
  startSlice(request: DimensionRequest, slice: SliceSpan, inputs: AnalysisInputs): SliceObserver;
  /** Merges the partials of consecutive analysed slices, in slice order, into the dimension's result. */
  merge(request: DimensionRequest, partials: readonly unknown[], inputs: AnalysisInputs): unknown;
}

/** The union of several dimensions' needs: one replay can feed them all. */
export function combineNeeds(needs: readonly HookNeeds[]): HookNeeds {
  const out: HookNeeds = {};
  for (const n of needs) {
    if (n.syscalls) out.syscalls = true;
    if (n.satp) out.satp = true;
    if (n.satpStop) out.satpStop = true;
    if (n.dynamicWatches) out.dynamicWatches = (out.dynamicWatches ?? 0) + n.dynamicWatches;
    for (const w of n.watch ?? []) {
      out.watch ??= [];
      if (!out.watch.some((x) => x.paddr === w.paddr && x.length === w.length)) out.watch.push(w);
    }
    if (n.sampleEveryTicks !== undefined) {
      if (n.sampleEveryTicks <= 0n) throw new PrnrError('ANALYSIS_PARAMS', `a sampling interval must be positive, got ${n.sampleEveryTicks}`);
      out.sampleEveryTicks = out.sampleEveryTicks === undefined ? n.sampleEveryTicks : gcd(out.sampleEveryTicks, n.sampleEveryTicks);
    }
  }
  const ranges = (out.watch?.length ?? 0) + (out.dynamicWatches ?? 0);
  if (ranges > HOOK_WATCH_RANGES) {
    throw new PrnrError('ANALYSIS_PARAMS', `the watches asked for at once need up to ${ranges} watched ranges (${out.watch?.length ?? 0} physical, ${out.dynamicWatches ?? 0} chosen as the replay goes, for virtual watches); the machine watches at most ${HOOK_WATCH_RANGES}`);
  }
  return out;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

// JSON for partials and results: bigints and byte arrays tagged, and an
// array's undefined elements (JSON would make them null, which partials read
// differently: a syscall's omitted argument against one decoded at return),
// everything else as is.
const BIGINT = '$bigint';
const BYTES = '$bytes';
const UNDEFINED = '$undefined';

const isUndefinedTag = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && UNDEFINED in v;

export function encodeAnalysisJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (v === undefined && Array.isArray(this)) return { [UNDEFINED]: 1 };
    if (typeof v === 'bigint') return { [BIGINT]: v.toString() };
    if (v instanceof Uint8Array) return { [BYTES]: latin1FromBytes(v) };
    return v;
  });
}

export function decodeAnalysisJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (Array.isArray(v)) return v.some(isUndefinedTag) ? v.map((x: unknown) => (isUndefinedTag(x) ? undefined : x)) : v;
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === BIGINT) return BigInt((v as Record<string, string>)[BIGINT]);
      if (keys.length === 1 && keys[0] === BYTES) return latin1ToBytes((v as Record<string, string>)[BYTES]);
    }
    return v;
  });
}

/** Parameters as one canonical text (keys sorted at every level): equal parameters, equal text. */
export function canonicalParams(params: Record<string, AnalysisParam>): string {
  const sort = (v: AnalysisParam): AnalysisParam =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
  return JSON.stringify(sort(params));
}
