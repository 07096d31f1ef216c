// A machine that replays one recording: restores any snapshot by loading its
// state blob and writing only the pages and blocks whose hash differs from
// what the machine holds, runs forward injecting the logged inputs at their
// ticks, and verifies a slice by comparing the state root it ends in with the
// next snapshot's (docs/design.md 3, 4). A unit's content is a blob of the
// recording, a zero page, or, for units the recording never stored (snapshot
// 0's, docs/recording-format.md), the booted image: a machine created with
// the recording's image boots it first (checking that the boot reproduces
// snapshot 0); one created without restores from the recording alone, which
// is enough for any snapshot whose units it holds (needsImage()).
import { errorCode, errorMessage, PrnrError } from '../../shared/errors';
import { nowMs } from '../../shared/clock';
import { bytesEqual, toHex, type Sha256 } from '../../shared/sha256';
import { PAGE_BYTES, type OutputChunk } from '../../shared/recording/format';
import { HASH_BYTES } from '../../shared/recording/merkle';
import { applyChanges, manifestAt, type Recording } from '../../shared/recording/reader';
import { zeroPageHash } from '../../shared/recording/units';
import { RAM_BASE } from '../../shared/machine-constants';
import { Machine, StopReason, type BootConfig } from '../machine';
import { diskArea, ramArea } from '../snapshot/machine-memory';
import { MachineHashes, UnitTracker } from '../snapshot/page-tracker';
import { diffStateBlobs, firstDifferentUnit } from '../snapshot/state-diff';
import { dirtyUnits, writeUnits, type Checkpoint } from './checkpoints';
import { injectInput } from './inputs';

export interface SliceResult {
  index: number;
  startTick: string;
  endTick: string;
  ok: boolean;
  /** State root the replay ended in, and the one recorded (hex). */
  root: string;
  expectedRoot: string;
  /** The first differing component, when !ok. */
  divergence?: string;
  /** Wall time of restore + run + verify. */
  ms: number;
  restoreMs: number;
}

/**
 * Sees the machine after each run of a replay, stopped at `machine.tick` for
 * `reason`: where analyses drain the machine's hook events (docs/design.md 2,
 * Hooks; a full hook buffer stops a run with StopReason.hooks).
 */
export type RunObserver = (machine: Machine, reason: StopReason) => void;

const INVALID = new Uint8Array(HASH_BYTES).fill(0xff);
/** Copies of snapshot manifests a machine keeps (each is 32 bytes a RAM page and disk block: ~1.5 MiB for a 128 MiB guest). */
const MANIFEST_COPIES = 16;

/**
 * The machine a recording was made on, without its image: RAM, disk and
 * device tree sized as the header says, nothing loaded. Boot state outside
 * RAM and disk is the state blob's, which every restore loads.
 */
function shapeOf(rec: Recording): BootConfig {
  const { machine, image } = rec.header;
  const diskBytes = image.files.disk?.size ?? machine.diskBlocks * PAGE_BYTES;
  return { ramBytes: machine.ramBytes, firmware: new Uint8Array(0), kernel: new Uint8Array(0), disk: diskBytes > 0 ? new Uint8Array(diskBytes) : undefined, cmdline: machine.cmdline, entropySeed: BigInt(machine.entropySeed) };
}

/**
 * Whether restoring snapshot k needs the recording's image: some RAM page or
 * disk block of it is neither stored in the recording nor zero (the units
 * boot wrote and the guest never changed, in a recording made by the recorder).
 */
export function needsImage(rec: Recording, k: number): boolean {
  const { ram, disk } = manifestAt(rec, k);
  for (const hashes of [ram, disk]) {
    for (let at = 0; at < hashes.length; at += HASH_BYTES) if (!rec.hasBlob(hashes.subarray(at, at + HASH_BYTES))) return true;
  }
  return false;
}

export class ReplayMachine {
  readonly hashes: MachineHashes;
  /** Snapshot the machine is exactly at (nothing ran since), or -1. */
  private at = -1;
  /**
   * The snapshot whose RAM and disk the machine held when their dirty maps
   * were last cleared, or -1: then every unit that may differ from that
   * snapshot is marked dirty, which is what a checkpoint keeps.
   */
  private dirtyBase = -1;
  /** Hashes of the booted image's pages, when there is an image. */
  private bootRam: Uint8Array | undefined;
  private readonly bootPages = new Map<number, Uint8Array>();
  private readonly zero: Uint8Array;
  /** Output drained since the last restore. */
  output: OutputChunk[] = [];

  private constructor(
    readonly machine: Machine,
    readonly rec: Recording,
    private readonly config: BootConfig | undefined,
    private readonly sha256: Sha256,
  ) {
    this.zero = zeroPageHash(sha256);
    machine.boot(config ?? shapeOf(rec));
    this.hashes = new MachineHashes(sha256, new UnitTracker(sha256, ramArea(machine), this.zero), new UnitTracker(sha256, diskArea(machine), this.zero));
    if (config) {
      this.checkBoot();
    } else {
      this.hashes.ram.scanWritten();
      this.hashes.disk.scanAll();
      this.positioned = false;
    }
  }

  /**
   * A machine for `rec`: booted from `config` (the recording's image, see
   * boot.ts bootConfigForRecording), or without an image, shaped as the
   * header says and restoring from the recording alone.
   */
  static async create(module: WebAssembly.Module, rec: Recording, config: BootConfig | undefined, sha256: Sha256): Promise<ReplayMachine> {
    return new ReplayMachine(await Machine.create(module), rec, config, sha256);
  }

  /** Whether this machine booted the recording's image (and so can restore units the recording never stored). */
  get hasImage(): boolean {
    return this.config !== undefined;
  }

  get tick(): bigint {
    return this.machine.tick;
  }

  /** True once a restore or replay has put the machine on the recording's timeline (false only if a slice diverged). */
  positioned = true;

  /** Hashes the booted machine and keeps its non-zero pages: the content of every page the recording never stored. */
  private checkBoot(): void {
    const { ram, disk } = this.hashes;
    ram.scanWritten();
    disk.scanAll();
    this.bootRam = ram.tree.leaves().slice();
    const view = ram.area.view();
    for (let p = 0; p < ram.area.units; p++) {
      if (!bytesEqual(this.bootRam.subarray(p * HASH_BYTES, (p + 1) * HASH_BYTES), this.zero)) this.bootPages.set(p, view.slice(p * PAGE_BYTES, (p + 1) * PAGE_BYTES));
    }
    const s0 = this.rec.snapshots[0];
    const state = this.machine.saveState();
    if (!bytesEqual(this.hashes.rootFor(this.sha256(state)), s0.root)) {
      const why = this.describeDifference(0, state) ?? 'the state root differs';
      throw new PrnrError('RECORDING_IMAGE_MISMATCH', `booting image "${this.rec.header.image.name}" does not reproduce the recording's first snapshot (${why}); replay needs the same image and machine`);
    }
    this.at = 0;
    this.dirtyBase = 0;
  }

  /** Content for unit `id` with hash `hash`: a stored blob, the boot content, or zeros. */
  private content(kind: 'ram' | 'disk', id: number, hash: Uint8Array): Uint8Array | undefined {
    const blob = this.rec.blob(hash);
    if (blob) return blob;
    if (kind === 'ram') {
      if (this.bootRam && bytesEqual(this.bootRam.subarray(id * HASH_BYTES, (id + 1) * HASH_BYTES), hash)) return this.bootPages.get(id);
    } else if (this.config?.disk) {
      const block = this.config.disk.subarray(id * PAGE_BYTES, (id + 1) * PAGE_BYTES);
      if (bytesEqual(this.sha256(block), hash)) return block;
    }
    return undefined;
  }

  /** Puts the machine exactly in snapshot k's state. */
  restore(k: number): void {
    const snap = this.rec.snapshots[k];
    if (!snap) throw new PrnrError('RECORDING_RANGE', `no snapshot ${k} (the recording has ${this.rec.snapshots.length})`);
    this.output = [];
    if (this.at === k) return;
    const target = this.manifest(k);
    this.dirtyBase = -1;
    for (const [kind, tracker, want] of [['ram', this.hashes.ram, target.ram], ['disk', this.hashes.disk, target.disk]] as const) {
      // Units written since the last update are unknown: mark them so they are rewritten.
      const dirty = tracker.area.dirty();
      for (let i = 0; i < dirty.length; i++) if (dirty[i]) tracker.tree.setLeaf(i, INVALID);
      tracker.area.clearDirty();
      const have = tracker.tree.leaves();
      const haveWords = new Uint32Array(have.buffer, have.byteOffset, have.length >> 2);
      const wantWords = new Uint32Array(want.buffer, want.byteOffset, want.length >> 2);
      for (let i = 0; i < tracker.area.units; i++) {
        let same = true;
        for (let w = i * 8; w < i * 8 + 8; w++) {
          if (haveWords[w] !== wantWords[w]) {
            same = false;
            break;
          }
        }
        if (same) continue;
        const hash = want.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
        const content = this.content(kind, i, hash);
        if (!content && !this.config) throw new PrnrError('RECORDING_NEEDS_IMAGE', `snapshot ${k} needs ${kind === 'ram' ? 'RAM page' : 'disk block'} ${i} from the image the recording was made with ("${this.rec.header.image.name}"): the recording does not hold it`);
        if (!content) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: snapshot ${k} needs ${kind === 'ram' ? 'RAM page' : 'disk block'} ${i} with content ${toHex(hash).slice(0, 16)}… that it does not hold`);
        tracker.write(i, content, hash);
      }
    }
    const state = this.rec.blob(snap.stateHash);
    if (!state) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: snapshot ${k}'s state blob is missing`);
    this.machine.loadState(state);
    this.machine.drainConsole();
    this.at = k;
    this.dirtyBase = k;
    this.positioned = true;
  }

  /**
   * The machine's state now, as a difference from the snapshot it last
   * restored (./checkpoints.ts): its state blob and every RAM page and disk
   * block written since. Undefined when that snapshot is unknown (a slice
   * that diverged, a machine never restored).
   */
  checkpoint(): Checkpoint | undefined {
    if (this.dirtyBase < 0 || !this.positioned) return undefined;
    const ram = dirtyUnits(ramArea(this.machine));
    const disk = dirtyUnits(diskArea(this.machine));
    const state = this.machine.saveState();
    return { tick: this.machine.tick, base: this.dirtyBase, state, ram, disk, bytes: state.length + ram.data.length + disk.data.length };
  }

  /** Puts the machine exactly in checkpoint `c`'s state: its snapshot restored, its units written over (marked dirty), its state loaded. */
  resume(c: Checkpoint): void {
    this.restore(c.base);
    this.at = -1;
    this.dirtyBase = -1;
    writeUnits(ramArea(this.machine), c.ram);
    writeUnits(diskArea(this.machine), c.disk);
    this.machine.loadState(c.state); // also drops translations of the pages written
    this.machine.drainConsole();
    this.dirtyBase = c.base;
    this.positioned = true;
  }

  /**
   * The unit hashes of snapshot k, built forward from the last one computed
   * (restores mostly move forward) or from the nearest kept copy before it:
   * one every n / MANIFEST_COPIES snapshots, at most MANIFEST_COPIES, so
   * a restore back in time applies a few snapshots' changes, not all from 0.
   */
  private manifestCache: { k: number; ram: Uint8Array; disk: Uint8Array } | undefined;
  private readonly manifestCopies = new Map<number, { ram: Uint8Array; disk: Uint8Array }>();
  private manifest(k: number): { ram: Uint8Array; disk: Uint8Array } {
    const stride = Math.max(1, Math.ceil(this.rec.snapshots.length / MANIFEST_COPIES));
    const keep = (m: { k: number; ram: Uint8Array; disk: Uint8Array }) => {
      if (m.k % stride === 0 && !this.manifestCopies.has(m.k)) this.manifestCopies.set(m.k, { ram: m.ram.slice(), disk: m.disk.slice() });
    };
    let cached = this.manifestCache;
    if (!cached || cached.k > k) {
      let base = -1;
      for (const j of this.manifestCopies.keys()) if (j <= k && j > base) base = j;
      const copy = this.manifestCopies.get(base);
      cached = this.manifestCache = copy ? { k: base, ram: copy.ram.slice(), disk: copy.disk.slice() } : { k: 0, ...manifestAt(this.rec, 0) };
      keep(cached);
    }
    for (let j = cached.k + 1; j <= k; j++) {
      applyChanges(this.rec.snapshots[j], cached.ram, cached.disk);
      cached.k = j;
      keep(cached);
    }
    return cached;
  }

  private readonly observers = new Set<RunObserver>();

  /**
   * When set, runs also end at the tick it names after `tick` (the next
   * sampling tick, say), so observers see the machine exactly there. How time
   * is split into runs changes nothing the machine does (docs/design.md 2, Time).
   */
  nextStop: ((tick: bigint) => bigint) | undefined;

  /**
   * Calls `observer` after every run of the machine in runTo (and so in
   * replaySlice), before its console output is drained; returns the
   * function that stops it. Observers must not change the machine's state.
   */
  observe(observer: RunObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /**
   * Runs to `target`, injecting the logged inputs of the slices on the way
   * (inputs at `target` itself are not injected: a state at tick T is the
   * state before T's inputs, as snapshots are). Returns false if the guest
   * powered off before `target`.
   */
  runTo(target: bigint): boolean {
    if (this.machine.tick < target) this.at = -1;
    const slices = this.rec.slices;
    let s = 0;
    while (s < slices.length && slices[s].endTick <= this.machine.tick) s++;
    let e = 0;
    while (s < slices.length && e < slices[s].events.length && slices[s].events[e].tick < this.machine.tick) e++;
    while (this.machine.tick < target) {
      const slice = slices[s];
      const events = slice?.events ?? [];
      while (e < events.length && events[e].tick === this.machine.tick) {
        injectInput(this.machine, events[e]);
        e++;
      }
      let next = target;
      if (this.nextStop) {
        const stop = this.nextStop(this.machine.tick);
        if (stop < next) next = stop;
      }
      if (e < events.length && events[e].tick < next) next = events[e].tick;
      if (slice && slice.endTick < next) next = slice.endTick;
      const reason = this.machine.run(next);
      for (const observer of this.observers) observer(this.machine, reason);
      const bytes = this.machine.drainConsole();
      if (bytes.length > 0) this.output.push({ tick: this.machine.tick, data: bytes });
      if ((reason === StopReason.poweroff || reason === StopReason.reboot) && this.machine.tick < target) return false;
      if (slice && this.machine.tick >= slice.endTick) {
        s++;
        e = 0;
      }
    }
    return true;
  }

  /** Replays slice i from its snapshot and checks that it ends in snapshot i+1's state root. */
  replaySlice(i: number): SliceResult {
    const started = nowMs();
    const slice = this.rec.slices[i];
    if (!slice) throw new PrnrError('RECORDING_RANGE', `no slice ${i} (the recording has ${this.rec.slices.length})`);
    try {
      this.restore(i);
    } catch (err) {
      // A damaged snapshot (a bad blob) fails this slice only: the report goes on to every other one.
      if (!errorCode(err)?.startsWith('RECORDING_')) throw err;
      this.at = -1;
      this.dirtyBase = -1;
      this.positioned = false;
      const expectedRoot = toHex(this.rec.snapshots[i + 1].root);
      return { index: i, startTick: slice.startTick.toString(), endTick: slice.endTick.toString(), ok: false, root: '', expectedRoot, divergence: `snapshot ${i} cannot be restored: ${errorMessage(err)}`, ms: nowMs() - started, restoreMs: 0 };
    }
    const restoreMs = nowMs() - started;
    const reached = this.runTo(slice.endTick);
    const expected = this.rec.snapshots[i + 1];
    const state = this.machine.saveState();
    this.hashes.ram.updateDirty();
    this.hashes.disk.updateDirty();
    const root = this.hashes.rootFor(this.sha256(state));
    const ok = reached && bytesEqual(root, expected.root);
    this.dirtyBase = ok ? i + 1 : -1;
    let divergence: string | undefined;
    this.positioned = ok;
    if (!ok) {
      divergence = reached ? this.describeDifference(i + 1, state) : `the guest stopped at tick ${this.machine.tick}, before the slice's end at ${slice.endTick}`;
      divergence ??= 'the state root differs';
    } else {
      this.at = i + 1;
    }
    return { index: i, startTick: slice.startTick.toString(), endTick: slice.endTick.toString(), ok, root: toHex(root), expectedRoot: toHex(expected.root), divergence, ms: nowMs() - started, restoreMs };
  }

  /** The first component in which the machine differs from snapshot k (its trackers must be current). */
  private describeDifference(k: number, state: Uint8Array): string | undefined {
    const snap = this.rec.snapshots[k];
    const expectedState = this.rec.blob(snap.stateHash);
    if (expectedState) {
      const diff = diffStateBlobs(expectedState, state);
      if (diff) return diff;
    }
    const want = manifestAt(this.rec, k);
    const page = firstDifferentUnit(want.ram, this.hashes.ram.tree.leaves());
    if (page >= 0) return `RAM page ${page} (physical 0x${(RAM_BASE + BigInt(page * PAGE_BYTES)).toString(16)})`;
    const block = firstDifferentUnit(want.disk, this.hashes.disk.tree.leaves());
    if (block >= 0) return `disk block ${block}`;
    return undefined;
  }
}
