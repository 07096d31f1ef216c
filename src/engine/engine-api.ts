// The engine's API, served by a worker in both runtimes: a Web Worker in the
// browser (src/engine/web) and a worker_thread in Node (src/engine/node). Both
// hosts expose the same `Engine` object (./engine.ts) through Comlink, so a
// method added here and implemented there is available everywhere.
//
// Rules for methods: every one is async; arguments and results are
// structured-cloneable (ticks are bigint, bytes are Uint8Array; transfer large
// buffers with Comlink.transfer); failures throw PrnrError, whose `code`
// survives the worker hop (./rpc.ts). Callbacks (listeners) are passed
// wrapped in Comlink.proxy and are called from the worker.
import type { ImageLoadProgress } from './images';
import type { AnalysisListener, AnalysisResults, AnalyzeOptions, ConsoleAt, CsrsAt, HartAt, MemoryAt, RecordingFrom, RecordingInfo, ScreenAt, SeekPosition, VerifiedSlice, VerifyListener, VerifyOptions } from './inspect/types';
import type { LastWriteAnswer, LastWriteListener, LastWriteQuery, RegisterChangeAnswer, RegisterChangeQuery } from './inspect/last-write';
import type { LiveRecording } from './live-recording';
import type { LiveExit, LiveStats } from './live-session';

export type * from './inspect/types';
export type { LastWrite, LastWriteAnswer, LastWriteListener, LastWriteQuery, RegisterChangeAnswer, RegisterChangeQuery } from './inspect/last-write';
export type { LiveRecording } from './live-recording';

export interface EnginePing {
  /** The machine's API version (wasm export `apiVersion`). */
  apiVersion: number;
  /** Whether this engine's machines use the JIT (EngineHost.jit, docs/design.md 2). */
  jit: boolean;
}

/** How a live session ended: powered off, stopped (a recorded one with its finished recording), or the machine failed. */
export type LiveEnd = (LiveExit & { recording?: LiveRecording }) | { state: 'failed'; tick: bigint; code: string | undefined; message: string };

/** Record a live session (docs/design.md 3): boot fresh under a recorder, written as it runs. */
export interface LiveRecordOptions {
  /** The recording's file in the host's storage (the browser: OPFS), written as `<file>.partial` until finished. */
  file: string;
  /** The guest's entropy seed: drawn fresh for every recording (crypto.getRandomValues), stored in its header. */
  entropySeed: bigint;
}

export interface LiveOptions {
  record?: LiveRecordOptions;
}

/** What the page hears from a live session. All three are required: through a Comlink proxy, the worker cannot tell a missing method from a present one. */
export interface LiveListeners {
  /** While the image downloads and verifies. */
  onProgress(progress: ImageLoadProgress): void;
  /** Every byte the guest writes to its serial console, in order. */
  onConsole(bytes: Uint8Array): void;
  /** Once, when the session ends. */
  onEnd(end: LiveEnd): void;
}

export interface LiveBootInfo {
  image: string;
  description: string;
  /** The shell prompt the image prints when it is ready. */
  prompt: string;
  ramMiB: number;
}

export interface EngineApi {
  /** Compiles and instantiates the machine once; proves the wasm loads in this host. */
  ping(): Promise<EnginePing>;
  /**
   * Loads and verifies guest image `image`, boots it and runs it live, paced
   * to the wall clock; resolves once it runs. One live session per engine: a
   * running one is stopped first (a recorded one finishes its recording).
   * With `record`, the session is recorded from its boot on, in the format of
   * `prnr record`. Throws IMAGE_NOT_FOUND / IMAGE_CORRUPT.
   */
  startLive(image: string, listeners: LiveListeners, options?: LiveOptions): Promise<LiveBootInfo>;
  /** Types bytes at the live guest's console. */
  sendLiveInput(bytes: Uint8Array): Promise<void>;
  /** The live session's tick, speed and state; undefined before startLive. */
  liveStats(): Promise<LiveStats | undefined>;
  /** Stops the live session (the guest is not powered off, just no longer run). */
  stopLive(): Promise<void>;
  /**
   * Stops a recorded live session and finishes its recording (a last
   * snapshot, INDEX, END); resolves once the file is complete. NOT_RECORDING
   * if no recorded session runs.
   */
  stopRecording(): Promise<LiveRecording>;
  /**
   * Boots `image` headless (entropy seed 0) and returns the machine's state
   * hash (16 hex digits) at each of `ticks` (decimal strings, ascending):
   * the same in every host, which is what determinism across runtimes means.
   */
  bootHashes(image: string, ticks: string[]): Promise<string[]>;

  // Recordings (./inspect): open one, then ask for the machine at any tick. The
  // engine seeks (restores the nearest snapshot at or before the tick and runs
  // forward) and loads the recording's image only when a snapshot needs a unit
  // the recording does not hold. Results keyed by (id, tick) never change.

  /**
   * Opens and validates a recording (RECORDING_* errors); resolves to its
   * info, whose `id` names it in the calls below. Opening the same
   * recording twice gives the same id.
   */
  openRecording(from: RecordingFrom): Promise<RecordingInfo>;
  closeRecording(id: string): Promise<void>;
  /** Puts the machine at `tick` (RECORDING_RANGE outside the recording). */
  seek(id: string, tick: bigint): Promise<SeekPosition>;
  /** pc, privilege and the integer and FP registers at `tick`, and the CSRs numbered `csrs` (none by default) in the same seek. */
  registersAt(id: string, tick: bigint, csrs?: number[]): Promise<HartAt>;
  /** CSRs by number (src/shared/riscv.ts CSR_NUMBERS names them) at `tick`. */
  csrsAt(id: string, tick: bigint, csrs: number[]): Promise<CsrsAt>;
  /** Guest physical memory at `tick` (PHYS_RANGE outside RAM). */
  readPhysAt(id: string, tick: bigint, addr: bigint, length: number): Promise<MemoryAt>;
  /** Guest virtual memory at `tick`, under `satp` or the hart's own (PAGE_FAULT, ACCESS_FAULT, SATP_MODE). */
  readVirtAt(id: string, tick: bigint, vaddr: bigint, length: number, satp?: bigint): Promise<MemoryAt>;
  /** The console screen as it looked at `tick` (default 24 x 80), from the logged output alone. */
  screenAt(id: string, tick: bigint, rows?: number, cols?: number): Promise<ScreenAt>;
  /** The console output logged in (after, tick] (from the start without `after`): what a terminal is fed to draw the screen at `tick`. */
  consoleAt(id: string, tick: bigint, after?: bigint): Promise<ConsoleAt>;
  /** The tick of every console write, ascending (a timeline's console track). */
  outputTicks(id: string): Promise<bigint[]>;
  /**
   * Replays slices and checks each against the next snapshot's state root,
   * on the host's replay workers where it has them; `listener` (a
   * Comlink.proxy across workers) hears each slice start and finish.
   * Resolves to the results in slice order.
   */
  verifySlices(id: string, options?: VerifyOptions, listener?: VerifyListener): Promise<VerifiedSlice[]>;
  /**
   * Runs analyses (docs/design.md 5: syscalls, processes, console, hotspots,
   * each with its parameters) over the recording's slices at once, on the
   * host's analysis workers where it has them, every slice verified against
   * its state root. `listener` (a Comlink.proxy across workers) hears each
   * slice of each dimension as it is done, with its partial result, so a
   * view can fill in before the end. Resolves to each dimension's merged
   * result and provenance. Partials are cached: asking again replays nothing.
   * ANALYSIS_UNAVAILABLE on a host started without analyses; ANALYSIS_UNKNOWN
   * and ANALYSIS_PARAMS for a bad request; ANALYSIS_DIVERGED if a slice does
   * not replay to its recorded state.
   */
  analyze(id: string, options: AnalyzeOptions, listener?: AnalysisListener): Promise<AnalysisResults>;

  // Where did this value come from (docs/design.md 5, ./inspect/last-write.ts).

  /**
   * The last write to a memory range at or before `query.tick` (the one
   * whose value the machine shows there): tick, pc and its place, privilege,
   * task, the bytes written and the range before and after; or found: false
   * with a message when nothing wrote it in the recording up to that tick.
   * Searches the slice holding the tick, then earlier slices newest first on
   * the host's analysis workers, stopping at the first batch with a hit;
   * every slice searched is a verified watch replay, cached. For the write
   * before, ask again with the answer's `before` tick. A virtual range
   * (`satp` given) is translated at the tick. ANALYSIS_UNAVAILABLE on a host
   * without analyses; LAST_WRITE_RANGE, RECORDING_RANGE, PAGE_FAULT for a bad query.
   */
  lastWrite(id: string, query: LastWriteQuery, listener?: LastWriteListener): Promise<LastWriteAnswer>;
  /**
   * The last change of a register (x0-x31, f0-f31, ABI names) at or before
   * `query.tick`, within the slice holding it, found by stepping; found:
   * false when it did not change there. REGISTER_UNKNOWN for a bad name.
   */
  lastRegisterChange(id: string, query: RegisterChangeQuery): Promise<RegisterChangeAnswer>;
}
