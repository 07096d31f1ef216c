// Records a machine as it runs (docs/design.md 3): every input is injected between
// runs at an exact tick and logged; every `sliceTicks` ticks the run stops
// exactly on the boundary and a snapshot is taken: the CPU/device state blob
// plus the RAM pages and disk blocks dirtied since the previous snapshot,
// hashed (sha256), stored once by content, and summed up in a state root.
// Console output is logged with the tick it was drained at. The machine only
// pauses to copy what changed (capture.ts); a SnapshotPipeline hashes and
// writes it, on this thread or on a worker (snapshot-processor.ts).
import { concatBytes } from '../../shared/bytes';
import { PrnrError } from '../../shared/errors';
import { nowMs } from '../../shared/clock';
import type { Sha256 } from '../../shared/sha256';
import { EndReason, InputKind, PAGE_BYTES, RECORDING_FORMAT, RECORDING_VERSION, type InputEvent, type OutputChunk, type RecordingHeader } from '../../shared/recording/format';
import { zeroPageHash } from '../../shared/recording/units';
import { StopReason, type BootConfig, type Machine } from '../machine';
import { diskArea, ramArea, type MemoryArea } from '../snapshot/machine-memory';
import { CaptureBuffers, captureSnapshot } from './capture';
import { InThreadPipeline, type ProcessedSnapshot, type SnapshotPipeline } from './snapshot-processor';
import type { RecordingSink, WriterOptions } from './writer';

/** Default snapshot interval: about 40 ms of guest time at ~120 M ticks/s, so a slice replays well under 100 ms. */
export const DEFAULT_SLICE_TICKS = 5_000_000n;
/** Shortest snapshot interval: 1 ms of guest time. Every snapshot pauses the machine and stores a state blob (~2.3 KiB) and a record; 100000 already makes a Linux session ~6x larger than the default does. */
export const MIN_SLICE_TICKS = 100_000n;
/** Longest snapshot interval: 10 s of guest time, about as long to replay; a slice is the unit of parallel replay and what a seek runs through. */
export const MAX_SLICE_TICKS = 1_000_000_000n;

/** Why `ticks` is no snapshot interval (one sentence), or undefined if it is one. */
export function sliceTicksProblem(ticks: bigint): string | undefined {
  if (ticks < MIN_SLICE_TICKS) return `a snapshot interval is at least ${MIN_SLICE_TICKS} ticks (1 ms of guest time): every snapshot pauses the machine and stores its CPU and device state, so shorter slices cost more than they hold (${MIN_SLICE_TICKS} already makes a recording several times larger than the default ${DEFAULT_SLICE_TICKS})`;
  if (ticks > MAX_SLICE_TICKS) return `a snapshot interval is at most ${MAX_SLICE_TICKS} ticks (10 s of guest time): a slice is what one worker replays and what a seek runs through, so longer ones make seeks take seconds and leave too few slices to replay in parallel`;
  return undefined;
}

export interface RecorderOptions {
  machine: Machine;
  config: BootConfig;
  /** Image name and the content sha256 of each boot file (hex). */
  image: { name: string; files: RecordingHeader['image']['files'] };
  /** Where the recording goes: a sink written on this thread, or a pipeline (e.g. a Node worker owning the file). */
  /** A sink to process snapshots into on this thread (with the writer's deflate and signer, if any), or a pipeline that does it elsewhere. */
  output: { sink: RecordingSink; writer?: Omit<WriterOptions, 'sha256'> } | { pipeline: SnapshotPipeline };
  sha256: Sha256;
  sliceTicks?: bigint;
  createdBy: string;
  commands?: string[];
}

export interface SnapshotStats {
  index: number;
  tick: bigint;
  /** Time the machine was paused for the snapshot: the capture, plus processing on this thread or waiting for a busy pipeline. */
  pauseMs: number;
  /** Units copied by the capture (dirty, changed or not). */
  unitsCaptured: number;
  /** The rest is known once the snapshot is processed (always after finish()). */
  processed?: ProcessedSnapshot;
}

/** Builds the header of a recording of `config`. */
export function recordingHeader(options: Pick<RecorderOptions, 'config' | 'image' | 'createdBy' | 'commands'>, machine: Machine, sliceTicks: bigint, diskBlocks: number): RecordingHeader {
  const { config } = options;
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    createdBy: options.createdBy,
    machine: { apiVersion: machine.apiVersion, ramBytes: config.ramBytes, ramPages: config.ramBytes / PAGE_BYTES, diskBlocks, cmdline: config.cmdline, entropySeed: config.entropySeed.toString() },
    image: options.image,
    sliceTicks: sliceTicks.toString(),
    session: { commands: options.commands ?? [] },
  };
}

export class Recorder {
  readonly machine: Machine;
  readonly sliceTicks: bigint;
  readonly stats: SnapshotStats[] = [];
  private readonly pipeline: SnapshotPipeline;
  private readonly areas: { ram: MemoryArea; disk: MemoryArea };
  private readonly buffers = new CaptureBuffers();
  private readonly sha256: Sha256;
  private events: InputEvent[] = [];
  private output: OutputChunk[] = [];
  private lastSnapshotTick = 0n;
  private snapshotCount = 0;
  private finished = false;
  /** The guest stopped the machine: it powered off, or rebooted (which `rebooted` tells apart). */
  poweredOff = false;
  rebooted = false;
  /** Output collected but not yet taken by drainConsole(). */
  private undrained: Uint8Array[] = [];

  /** Boots the machine and takes snapshot 0. */
  constructor(options: RecorderOptions) {
    const { machine, config, output } = options;
    this.machine = machine;
    this.sha256 = options.sha256;
    this.sliceTicks = options.sliceTicks ?? DEFAULT_SLICE_TICKS;
    const problem = sliceTicksProblem(this.sliceTicks);
    if (problem) throw new PrnrError('USAGE', problem);
    this.pipeline = 'pipeline' in output ? output.pipeline : new InThreadPipeline(output.sink, { ...output.writer, sha256: options.sha256 }, nowMs);
    machine.boot(config);
    this.areas = { ram: ramArea(machine), disk: diskArea(machine) };
    this.pipeline.start(recordingHeader(options, machine, this.sliceTicks, this.areas.disk.units));
    this.snapshot();
  }

  get tick(): bigint {
    return this.machine.tick;
  }

  /**
   * Runs towards `untilTick`, stopping on every snapshot boundary to take the
   * snapshot; returns at untilTick, at poweroff, or early when the guest
   * printed something (StopReason.output) so the caller can react.
   */
  run(untilTick: bigint): StopReason {
    for (;;) {
      if (this.poweredOff) return StopReason.poweroff;
      if (this.machine.tick >= untilTick) return StopReason.budget;
      const nextSnapshot = this.lastSnapshotTick + this.sliceTicks;
      const reason = this.machine.run(untilTick < nextSnapshot ? untilTick : nextSnapshot);
      this.collect();
      if (this.machine.tick === nextSnapshot) this.snapshot();
      if (reason === StopReason.poweroff || reason === StopReason.reboot) {
        this.poweredOff = true;
        this.rebooted = reason === StopReason.reboot;
        return reason;
      }
      if (reason !== StopReason.budget && reason !== StopReason.idle) return reason;
    }
  }

  /** Types console input now (at the current tick), logging it. */
  input(bytes: Uint8Array): void {
    const accepted = this.typeInput(bytes);
    if (accepted < bytes.length) throw new PrnrError('INPUT_FULL', `console input queue is full (${accepted} of ${bytes.length} bytes taken)`);
  }

  /** Queues console input now (at the current tick) and logs what the UART took; returns that count (as Machine.typeInput). */
  typeInput(bytes: Uint8Array): number {
    if (this.finished) throw new PrnrError('RECORDING_FINISHED', 'the recording is finished');
    const accepted = this.machine.typeInput(bytes);
    if (accepted > 0) this.events.push({ tick: this.machine.tick, kind: InputKind.console, data: bytes.slice(0, accepted) });
    return accepted;
  }

  /** The console output since the last call (as Machine.drainConsole; the recording keeps it regardless). */
  drainConsole(): Uint8Array {
    const chunks = this.undrained;
    this.undrained = [];
    return chunks.length === 1 ? chunks[0]! : concatBytes(chunks);
  }

  /** Takes a last snapshot at the current tick (if it is not on a boundary), waits for every snapshot to be written, and writes END. */
  finish(): void {
    if (this.finished) return;
    if (this.machine.tick > this.lastSnapshotTick) this.snapshot();
    this.finished = true;
    this.noteProcessed(this.pipeline.finish({ snapshotCount: this.snapshotCount, endTick: this.lastSnapshotTick, reason: this.rebooted ? EndReason.reboot : this.poweredOff ? EndReason.poweroff : EndReason.finished, powerOffCode: this.machine.powerOffCode }));
  }

  /** Bytes written so far (all of them after finish()). */
  get bytesWritten(): number {
    return this.pipeline.bytesWritten;
  }

  private collect(): void {
    const bytes = this.machine.drainConsole();
    if (bytes.length === 0) return;
    const tick = this.machine.tick;
    this.output.push({ tick, data: bytes });
    this.undrained.push(bytes);
  }

  private snapshot(): void {
    const started = nowMs();
    const index = this.snapshotCount;
    const capture = captureSnapshot(this.machine, this.areas, { index, sliceStart: this.lastSnapshotTick, events: this.events, output: this.output }, index === 0 ? { sha256: this.sha256, zeroHash: zeroPageHash(this.sha256) } : undefined, this.buffers);
    const unitsCaptured = capture.ramPages.length + capture.diskBlocks.length;
    this.events = [];
    this.output = [];
    this.lastSnapshotTick = capture.tick;
    this.snapshotCount++;
    this.stats.push({ index, tick: capture.tick, pauseMs: 0, unitsCaptured });
    this.noteProcessed(this.pipeline.submit(capture));
    this.stats[index].pauseMs = nowMs() - started;
  }

  private noteProcessed(done: ProcessedSnapshot[]): void {
    for (const { buffer, ...processed } of done) {
      this.stats[processed.index].processed = processed;
      if (buffer) this.buffers.give(buffer);
    }
  }
}
