// What the engine answers about a recording at a tick (EngineApi, ../engine-api.ts).
// Plain structured-cloneable data: ticks, addresses and 64-bit values are
// unsigned bigints. Anything keyed by (recording, tick) never changes, so a
// client may cache it forever.
import type { DimensionRequest } from '../../shared/analysis';
import type { RecordingHeader } from '../../shared/recording/format';
import type { AnalysisProgress, DimensionOutcome } from '../analyze/run';
import type { PoolEvent } from '../replay/pool';
import type { SliceResult } from '../replay/replay-machine';

/** Where a recording comes from: bytes (an opened file, OPFS, a test), a URL, or a path (hosts with files: Node). */
export type RecordingFrom = ({ bytes: Uint8Array } | { url: string } | { path: string }) & {
  /** Open as an interrupted recording (a `.partial` file): every slice up to its last snapshot. Default: a path ending in .partial. */
  recovery?: boolean;
};

export interface RecordingInfo {
  /** The recording's handle for the other methods: its digest (the head of its integrity chain), so the same recording has one id. */
  id: string;
  header: RecordingHeader;
  /** False for a recovered recording (no END). */
  complete: boolean;
  /** Tick of every snapshot: slice i runs from snapshotTicks[i] to snapshotTicks[i + 1]. */
  snapshotTicks: bigint[];
  /** The last tick a seek may ask for. */
  endTick: bigint;
}

/** Where a seek put the machine: at `tick`, run forward from snapshot `snapshot` at `snapshotTick`. */
export interface SeekPosition {
  tick: bigint;
  snapshot: number;
  snapshotTick: bigint;
}

export interface RegistersAt extends SeekPosition {
  pc: bigint;
  /** Privilege level: 0 U, 1 S, 3 M. */
  priv: number;
  /** x0..x31 and f0..f31 (raw 64-bit patterns). */
  x: bigint[];
  f: bigint[];
}

export interface CsrValue {
  num: number;
  name: string;
  /** Undefined when the hart has no such CSR. */
  value?: bigint;
}

export interface CsrsAt extends SeekPosition {
  csrs: CsrValue[];
}

/** The registers and the CSRs asked for, read at one seek. */
export interface HartAt extends RegistersAt {
  csrs: CsrValue[];
}

export interface MemoryAt extends SeekPosition {
  addr: bigint;
  bytes: Uint8Array;
  /** For virtual memory: the satp it was translated under. */
  satp?: bigint;
}

export interface ScreenAt {
  tick: bigint;
  rows: number;
  cols: number;
  /** One string per row, trailing spaces trimmed. */
  lines: string[];
  cursor: { row: number; col: number };
}

/** Console output logged in (after, tick] (after undefined: from the start), as the guest wrote it. */
export interface ConsoleAt {
  tick: bigint;
  after?: bigint;
  bytes: Uint8Array;
}

export interface VerifyOptions {
  /** Slice indices (default: every slice). */
  slices?: number[];
  /** Replay workers at once (default: the host's; 1 verifies on the engine's own thread). */
  jobs?: number;
}

/** A verified slice, and which of the verification's workers replayed it (0 on the engine's own thread). */
export interface VerifiedSlice extends SliceResult {
  worker: number;
}

/** One step of a verification: a slice started or finished on a worker, and how many have finished of how many. */
export interface VerifyProgress extends PoolEvent {
  done: number;
  total: number;
}

/** Hears a verification's progress (pass it wrapped in Comlink.proxy across a worker boundary). */
export interface VerifyListener {
  onProgress(progress: VerifyProgress): void;
}

/** Analyses to run over a recording (docs/design.md 5): each a dimension and its parameters. */
export interface AnalyzeOptions {
  dimensions: DimensionRequest[];
  /** Consecutive slice indices (default: every slice). */
  slices?: number[];
  /** Replay workers at once (default: the host's; 1 analyses on the engine's own thread). */
  jobs?: number;
  /**
   * The origin (e.g. "http://host:4173") of a prnr server that keeps this
   * recording: partials are read from it before a slice is replayed and every
   * new one is sent there (../analyze/server-partials.ts), under the host's
   * own cache. Default: the server the recording was opened from, if its URL
   * is a prnr server's. A server that cannot be reached or refuses is a note
   * in the results, not a failure.
   */
  server?: string;
}

export type { AnalysisProgress, DimensionOutcome };

/** Hears an analysis: each slice of each dimension as it is done (read from the cache or replayed), with its partial. */
export interface AnalysisListener {
  onProgress(progress: AnalysisProgress): void;
}

export interface AnalysisResults {
  /** Each dimension's merged result with its provenance, in the order asked. */
  dimensions: DimensionOutcome[];
  /** The verification of every slice replayed for it (none when every partial was cached). */
  verified: SliceResult[];
  /** What the user should hear about the run (the server it meant to share partials through could not be used). */
  notes: string[];
}
