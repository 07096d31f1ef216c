// Records a machine as it runs (DESIGN.md 3): every input is injected between
// runs at an exact tick and logged; every `sliceTicks` ticks the run stops
// exactly on the boundary and a snapshot is taken: the CPU/device state blob
// plus the RAM pages and disk blocks dirtied since the previous snapshot,
// hashed (sha256), stored once by content, and summed up in a state root.
// Console output is logged with the tick it was drained at.
import { PrnrError } from '../../shared/errors';
import { nowMs } from '../../shared/utf8';
import type { Sha256 } from '../../shared/sha256';
import { EndReason, InputKind, PAGE_BYTES, RECORDING_FORMAT, RECORDING_VERSION, type InputEvent, type OutputChunk, type RecordingHeader, type SnapshotRecord } from '../../shared/recording/format';
import { HASH_BYTES } from '../../shared/recording/merkle';
import { zeroPageHash } from '../../shared/recording/reader';
import { StopReason, type BootConfig, type Machine } from '../machine';
import { diskArea, ramArea } from '../snapshot/machine-memory';
import { MachineHashes, UnitTracker, type UnitChanges } from '../snapshot/page-tracker';
import type { RecordingSink } from './writer';
import { RecordingWriter } from './writer';

/** Default snapshot interval: about 40 ms of guest time at ~120 M ticks/s, so a slice replays well under 100 ms. */
export const DEFAULT_SLICE_TICKS = 5_000_000n;

export interface RecorderOptions {
  machine: Machine;
  config: BootConfig;
  /** Image name and the content sha256 of each boot file (hex). */
  image: { name: string; files: RecordingHeader['image']['files'] };
  sink: RecordingSink;
  sha256: Sha256;
  sliceTicks?: bigint;
  createdBy: string;
  commands?: string[];
}

export interface SnapshotStats {
  index: number;
  tick: bigint;
  /** Time the machine was paused for the snapshot (hashing and writing). */
  pauseMs: number;
  bytes: number;
  ramPagesChanged: number;
  diskBlocksChanged: number;
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
  private readonly writer: RecordingWriter;
  private readonly hashes: MachineHashes;
  private readonly sha256: Sha256;
  private readonly zero: Uint8Array;
  private events: InputEvent[] = [];
  private output: OutputChunk[] = [];
  private lastSnapshotTick = 0n;
  private snapshotCount = 0;
  private finished = false;
  poweredOff = false;
  private listeners: Array<(bytes: Uint8Array, tick: bigint) => void> = [];

  /** Boots the machine and takes snapshot 0. */
  constructor(options: RecorderOptions) {
    const { machine, config, sha256 } = options;
    this.machine = machine;
    this.sha256 = sha256;
    this.sliceTicks = options.sliceTicks ?? DEFAULT_SLICE_TICKS;
    if (this.sliceTicks <= 0n) throw new PrnrError('USAGE', 'the snapshot interval must be a positive number of ticks');
    machine.boot(config);
    this.zero = zeroPageHash(sha256);
    this.hashes = new MachineHashes(sha256, new UnitTracker(sha256, ramArea(machine), this.zero), new UnitTracker(sha256, diskArea(machine), this.zero));
    this.writer = new RecordingWriter(options.sink, recordingHeader(options, machine, this.sliceTicks, this.hashes.disk.area.units));
    this.snapshot();
  }

  get tick(): bigint {
    return this.machine.tick;
  }

  /** Receives console output as it is drained. */
  onOutput(listener: (bytes: Uint8Array, tick: bigint) => void): void {
    this.listeners.push(listener);
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
        return reason;
      }
      if (reason !== StopReason.budget && reason !== StopReason.idle) return reason;
    }
  }

  /** Types console input now (at the current tick), logging it. */
  input(bytes: Uint8Array): void {
    if (this.finished) throw new PrnrError('RECORDING_FINISHED', 'the recording is finished');
    const accepted = this.machine.typeInput(bytes);
    if (accepted > 0) this.events.push({ tick: this.machine.tick, kind: InputKind.console, data: bytes.slice(0, accepted) });
    if (accepted < bytes.length) throw new PrnrError('INPUT_FULL', `console input queue is full (${accepted} of ${bytes.length} bytes taken)`);
  }

  /** Takes a last snapshot at the current tick (if it is not on a boundary) and writes END. */
  finish(): void {
    if (this.finished) return;
    if (this.machine.tick > this.lastSnapshotTick) this.snapshot();
    this.finished = true;
    this.writer.end({ snapshotCount: this.snapshotCount, endTick: this.lastSnapshotTick, reason: this.poweredOff ? EndReason.poweroff : EndReason.finished, powerOffCode: this.machine.powerOffCode });
  }

  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  private collect(): void {
    const bytes = this.machine.drainConsole();
    if (bytes.length === 0) return;
    const tick = this.machine.tick;
    this.output.push({ tick, data: bytes });
    for (const listener of this.listeners) listener(bytes, tick);
  }

  private snapshot(): void {
    const started = nowMs();
    const index = this.snapshotCount;
    const tick = this.machine.tick;
    let bytes = 0;
    const state = this.machine.saveState();
    const stateHash = this.sha256(state);
    bytes += this.writer.blob(stateHash, state);
    const { ram, disk } = this.hashes;
    let ramChanges: UnitChanges;
    let diskChanges: UnitChanges;
    if (index === 0) {
      ram.scanWritten();
      disk.scanAll();
      ramChanges = allUnits(ram);
      diskChanges = allUnits(disk);
    } else {
      ramChanges = ram.updateDirty();
      diskChanges = disk.updateDirty();
      bytes += this.storeUnits(ram, ramChanges);
      bytes += this.storeUnits(disk, diskChanges);
    }
    const record: SnapshotRecord = {
      index,
      tick,
      root: this.hashes.rootFor(stateHash),
      stateHash,
      ramPages: Uint32Array.from(ramChanges.ids),
      ramHashes: ramChanges.hashes,
      diskBlocks: Uint32Array.from(diskChanges.ids),
      diskHashes: diskChanges.hashes,
    };
    bytes += this.writer.snapshot(this.lastSnapshotTick, this.events, this.output, record);
    this.events = [];
    this.output = [];
    this.lastSnapshotTick = tick;
    this.snapshotCount++;
    this.stats.push({ index, tick, pauseMs: nowMs() - started, bytes, ramPagesChanged: ramChanges.ids.length, diskBlocksChanged: diskChanges.ids.length });
  }

  /** Stores the content of changed units not stored yet (zero pages never are). */
  private storeUnits(tracker: UnitTracker, changes: UnitChanges): number {
    let bytes = 0;
    const view = tracker.area.view();
    for (let i = 0; i < changes.ids.length; i++) {
      const hash = changes.hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
      if (hash.every((b, j) => b === this.zero[j]) || this.writer.hasBlob(hash)) continue;
      const id = changes.ids[i];
      bytes += this.writer.blob(hash, view.subarray(id * PAGE_BYTES, (id + 1) * PAGE_BYTES));
    }
    return bytes;
  }
}

function allUnits(tracker: UnitTracker): UnitChanges {
  const ids = Array.from({ length: tracker.area.units }, (_, i) => i);
  return { ids, hashes: tracker.tree.leaves().slice() };
}
