// One open recording and the machine that seeks in it (docs/design.md 4): the state
// at any tick is the nearest snapshot at or before it, restored, and run
// forward. The machine restores from the recording alone while the snapshots
// it reaches hold every unit; the guest image is loaded (and booted) only when
// one needs a unit the recording never stored, which for a recording made by
// the recorder means units the boot wrote and the guest never changed. The
// console screen needs no machine at all. Requests are served one at a time,
// in the order they came. Decoded pages are kept (../replay/blob-cache.ts),
// so restoring a snapshot costs copies, not reads, and seeks start from
// in-memory checkpoints between snapshots (./recording-checkpoints.ts); on a
// host with idle time (the browser), the inspector reads every page ahead of
// need while no request runs, then, once the user pauses, takes a checkpoint
// every CHECKPOINT_TICKS in steps of a few milliseconds, and keeps its
// replay workers from one verify to the next, starting them while idle
// before the first.
import type { AnalysisInputs, AnalysisRuntime } from '../../shared/analysis';
import { nowMs } from '../../shared/clock';
import { PrnrError } from '../../shared/errors';
import { outputBetween, outputBytes, outputTicks } from '../../shared/recording/console';
import { loadSnapshot } from '../../shared/recording/open-parts';
import { snapshotBefore, type Recording } from '../../shared/recording/reader';
import type { PartialSource } from '../../shared/recording/source';
import { CSR_NUMBERS, csrName } from '../../shared/riscv';
import { toHex } from '../../shared/sha256';
import { LocalAnalyzer } from '../analyze/local';
import { MemoryAnalysisCache } from '../analyze/memory-cache';
import { analyzeRecording, type AnalysisCache } from '../analyze/run';
import { layeredCache, serverPartials } from '../analyze/server-partials';
import type { BootImage } from '../images';
import { bootConfigForImage } from '../replay/boot';
import { ReplayPool, type PoolEvent, type StartReplayWorker } from '../replay/pool';
import { withBlobCache, type BlobCache } from '../replay/blob-cache';
import { needsImage, ReplayMachine, type SliceResult } from '../replay/replay-machine';
import type { RecordingCodecs, ReplayWorkerInit } from '../replay/replay-worker';
import { TerminalScreen } from '../../shared/terminal-screen';
import { CHECKPOINT_FILL_IDLE_MS, RecordingCheckpoints } from './recording-checkpoints';
import type { AnalysisListener, AnalysisResults, AnalyzeOptions, ConsoleAt, CsrsAt, CsrValue, HartAt, MemoryAt, RecordingInfo, ScreenAt, SeekPosition, VerifiedSlice, VerifyListener, VerifyOptions } from './types';

/**
 * What an engine needs to run analyses, handed in by its host's composition
 * root (the CLI, the app): the engine never imports src/analysis (docs/design.md 1).
 */
export interface EngineAnalyses {
  runtime: AnalysisRuntime;
  /** Replay workers that carry `runtime`, for analysing slices in parallel; without, they are analysed on the engine's thread. */
  workers?: StartReplayWorker;
  /** The image's files analyses read (profile, System.map). */
  loadInputs(image: string): Promise<AnalysisInputs>;
  /** Where partials are kept (default: in memory, for the engine's life). */
  cache?: AnalysisCache;
}

/** What an inspector needs from its host (the Engine passes its own). */
export interface InspectorHost {
  loadModule(): Promise<WebAssembly.Module>;
  /** Reads and verifies a guest image (../images.ts). */
  loadImage(name: string): Promise<BootImage>;
  codecs: RecordingCodecs;
  /** Starts replay workers for a parallel verify; without, slices verify on this thread. */
  replayWorkers?: StartReplayWorker;
  /** Workers a verify uses by default. */
  replayJobs?: number;
  analyses?: EngineAnalyses;
  /**
   * Runs `task` after `ms` unless the returned function cancels it: a host
   * that serves a UI has idle time, in which the inspector warms its caches
   * and starts its replay workers, and it keeps them between verifies.
   * Without (a batch host: the CLI), nothing runs in the background and
   * workers stop after each verify, so nothing keeps the process alive.
   */
  idle?: (ms: number, task: () => void) => () => void;
}

/** Blobs read per step of warming the cache in idle time (a few milliseconds each in the browser). */
const WARM_STEP_BLOBS = 48;
/** Quiet time before the replay workers are started ahead of a first verify. */
const POOL_PRESTART_IDLE_MS = 1500;

/**
 * How replay workers open this recording again: its bytes, its path on hosts
 * with files, or the parts of it loaded so far (read by parts: HTTP ranges,
 * OPFS), loaded whole before workers get it.
 */
export type ReplayWorkerSource = { data: Uint8Array } | { path: string } | { parts: PartialSource };

/** A pool kept for the next verify or analysis, by the function that starts its workers. */
interface KeptPool {
  jobs: number;
  pool: Promise<ReplayPool>;
}

/** The CSRs numbered `nums`, named, as the machine holds them. */
function csrValues(machine: ReplayMachine['machine'], nums: readonly number[]): CsrValue[] {
  return nums.map((num) => ({ num, name: csrName(num), value: machine.csr(num) }));
}

export class RecordingInspector {
  /** The recording, its blobs read through the cache. */
  readonly rec: Recording;
  private readonly cache: BlobCache;
  private machine: ReplayMachine | undefined;
  private imagePromise: Promise<BootImage> | undefined;
  private readonly pools = new Map<StartReplayWorker, KeptPool>();
  /** Requests queued or running, and when the last ended (the background waits for quiet). */
  private busy = 0;
  private lastActive = 0;
  private background: (() => void) | undefined;
  private closed = false;
  /** A recording read by parts: what is loaded so far, and the snapshots whose restores are loaded. */
  private readonly parts: PartialSource | undefined;
  private readonly loadedSnapshots = new Set<number>();
  /** The snapshot a request last restored from (-1: none yet): the background loads the one after it first. */
  private lastSnapshot = -1;
  private loadingAll: Promise<void> | undefined;
  private readonly imageNeeded = new Map<number, boolean>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The last screen drawn and its tick: a later tick only writes the output in between. */
  private screenCache: { screen: TerminalScreen; tick: bigint } | undefined;
  private screenQueue: Promise<unknown> = Promise.resolve();
  private writeTicks: bigint[] | undefined;
  /** Where seeks start between snapshots. */
  private readonly checkpoints: RecordingCheckpoints;

  constructor(
    rec: Recording,
    private readonly host: InspectorHost,
    private readonly workerSource: ReplayWorkerSource | undefined,
    private readonly recovery: boolean,
  ) {
    this.cache = withBlobCache(rec);
    this.rec = this.cache.rec;
    this.checkpoints = new RecordingCheckpoints(this.rec);
    this.parts = workerSource && 'parts' in workerSource ? workerSource.parts : undefined;
  }

  get id(): string {
    return toHex(this.rec.digest);
  }

  info(): RecordingInfo {
    const ticks = this.rec.snapshots.map((s) => s.tick);
    return { id: this.id, header: this.rec.header, complete: this.rec.complete, snapshotTicks: ticks, endTick: ticks[ticks.length - 1] };
  }

  seek(tick: bigint): Promise<SeekPosition> {
    return this.serve(async () => (await this.at(tick)).position);
  }

  /** The registers and the CSRs numbered `nums` (none by default), in one request: one seek, one turn of the queue. */
  registers(tick: bigint, nums: readonly number[] = []): Promise<HartAt> {
    return this.serve(async () => {
      const { machine, position } = await this.at(tick);
      return { ...position, ...machine.registers(), csrs: csrValues(machine, nums) };
    });
  }

  csrs(tick: bigint, nums: readonly number[]): Promise<CsrsAt> {
    return this.serve(async () => {
      const { machine, position } = await this.at(tick);
      return { ...position, csrs: csrValues(machine, nums) };
    });
  }

  readPhys(tick: bigint, addr: bigint, length: number): Promise<MemoryAt> {
    return this.serve(async () => {
      const { machine, position } = await this.at(tick);
      return { ...position, addr, bytes: machine.readPhys(Number(addr), length) };
    });
  }

  /** Guest virtual memory under `satp` (default: the hart's at that tick), by the machine's own Sv39 walk. */
  readVirt(tick: bigint, vaddr: bigint, length: number, satp?: bigint): Promise<MemoryAt> {
    return this.serve(async () => {
      const { machine, position } = await this.at(tick);
      const used = satp ?? machine.csr(CSR_NUMBERS.satp)!;
      return { ...position, addr: vaddr, bytes: machine.readVirt(vaddr, length, used), satp: used };
    });
  }

  /** The console as it looked at `tick`, from the logged output (no replay); served apart from the machine's queue. */
  screen(tick: bigint, rows = 24, cols = 80): Promise<ScreenAt> {
    this.checkTick(tick);
    const task = async (): Promise<ScreenAt> => {
      let cached = this.screenCache;
      if (!cached || cached.tick > tick || cached.screen.rows !== rows || cached.screen.cols !== cols) {
        cached?.screen.dispose();
        cached = this.screenCache = { screen: new TerminalScreen(rows, cols), tick: -1n };
      }
      for (const chunk of outputBetween(this.rec, cached.tick < 0n ? undefined : cached.tick, tick)) await cached.screen.write(chunk);
      cached.tick = tick;
      return { tick, rows, cols, lines: cached.screen.text(), cursor: cached.screen.cursor };
    };
    const run = this.screenQueue.then(task, task);
    this.screenQueue = run.catch(() => undefined);
    return run;
  }

  /** The console output logged in (after, tick], the bytes as the guest wrote them. */
  console(tick: bigint, after?: bigint): ConsoleAt {
    this.checkTick(tick);
    return { tick, after, bytes: outputBytes(this.rec, after, tick) };
  }

  /** The tick of every console write, ascending (read once). */
  outputTicks(): bigint[] {
    this.writeTicks ??= outputTicks(this.rec);
    return this.writeTicks;
  }

  /** Runs `task` on the replay machine put at `tick`, in the request queue (./last-write.ts steps it; it may leave the machine anywhere). */
  machineAt<T>(tick: bigint, task: (rm: ReplayMachine) => T): Promise<T> {
    return this.serve(async () => {
      await this.at(tick);
      return task(this.machine!);
    });
  }

  /** Replays and verifies slices (default: all), in parallel where the host can start workers; results in slice order. */
  verify(options: VerifyOptions = {}, listener?: VerifyListener): Promise<VerifiedSlice[]> {
    return this.serve(async () => {
      const slices = options.slices ?? this.rec.slices.map((s) => s.index);
      for (const i of slices) if (!this.rec.slices[i]) throw new PrnrError('RECORDING_RANGE', `no slice ${i} (the recording has ${this.rec.slices.length})`);
      const jobs = Math.min(options.jobs ?? this.host.replayJobs ?? 1, slices.length);
      let done = 0;
      const workers = new Map<number, number>();
      const onEvent = (event: PoolEvent) => {
        if (event.state === 'done') {
          done++;
          workers.set(event.slice, event.worker);
        }
        listener?.onProgress({ ...event, done, total: slices.length });
      };
      const withWorkers = (results: SliceResult[]): VerifiedSlice[] => results.map((r) => ({ ...r, worker: workers.get(r.index)! }));
      if (jobs > 1 && this.host.replayWorkers && this.workerSource) {
        const start = this.host.replayWorkers;
        const pool = await this.acquire(start, jobs);
        try {
          return withWorkers(await pool.replay(slices, onEvent));
        } finally {
          await this.release(start, pool);
        }
      }
      // On this thread: slice 0 starts from the boot, so every slice may need the image.
      await this.loadWhole();
      const machine = await this.machineFor(this.rec.snapshots.some((_, k) => this.needsImage(k)));
      const results: SliceResult[] = [];
      for (const i of [...slices].sort((a, b) => a - b)) {
        onEvent({ worker: 0, slice: i, state: 'running' });
        const result = machine.replaySlice(i);
        results.push(result);
        onEvent({ worker: 0, slice: i, state: 'done', result });
        await Promise.resolve();
      }
      return withWorkers(results);
    });
  }

  private analysisCache: AnalysisCache | undefined;

  /**
   * Runs analyses over slices (default: all), in parallel on the host's
   * analysis workers where it has them, every slice verified; partials are
   * cached, so asking again replays nothing. ANALYSIS_UNAVAILABLE on a host
   * without analyses.
   */
  analyze(options: AnalyzeOptions, listener?: AnalysisListener): Promise<AnalysisResults> {
    return this.serve(async () => {
      const analyses = this.host.analyses;
      if (!analyses) throw new PrnrError('ANALYSIS_UNAVAILABLE', 'this engine was started without analyses');
      const slices = options.slices ?? this.rec.slices.map((s) => s.index);
      const jobs = Math.min(options.jobs ?? this.host.replayJobs ?? 1, slices.length);
      const inputs = await analyses.loadInputs(this.rec.header.image.name);
      const local = analyses.cache ?? (this.analysisCache ??= new MemoryAnalysisCache());
      const notes: string[] = [];
      let pool: ReplayPool | undefined;
      const start = analyses.workers;
      try {
        const outcome = await analyzeRecording({
          rec: this.rec,
          requests: options.dimensions,
          runtime: analyses.runtime,
          inputs,
          slices,
          // A prnr server that keeps the recording shares its partials (docs/design.md 6).
          cache: options.server ? layeredCache(local, serverPartials(options.server, this.id, (line) => notes.push(line))) : local,
          onProgress: (p) => listener?.onProgress(p),
          analyzer: async () => {
            if (jobs > 1 && start && this.workerSource) return (pool = await this.acquire(start, jobs));
            await this.loadWhole();
            return new LocalAnalyzer(await this.machineFor(this.rec.snapshots.some((_, k) => this.needsImage(k))), analyses.runtime);
          },
        });
        return { dimensions: outcome.dimensions, verified: outcome.verified, notes };
      } finally {
        if (pool && start) await this.release(start, pool);
      }
    });
  }

  /** Stops the background work and every kept replay worker. */
  async close(): Promise<void> {
    this.closed = true;
    this.checkpoints.drop();
    if (RecordingInspector.keeper === this) RecordingInspector.keeper = undefined;
    if (RecordingInspector.active === this) RecordingInspector.active = undefined;
    this.background?.();
    const kept = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(kept.map((k) => k.pool.then((p) => p.close(), () => undefined)));
  }

  /**
   * The open recording whose replay workers are kept (one per engine thread:
   * a worker holds a whole machine, so a page that opened ten recordings
   * must not keep twenty); the one that last started or used a pool.
   */
  private static keeper: RecordingInspector | undefined;
  /** The open recording asked something last: the one whose workers idle time may start. */
  private static active: RecordingInspector | undefined;
  private readonly inUse = new Set<ReplayPool>();

  /** The pool `start` makes with `jobs` workers, for a verify or an analysis: give it back with release(). */
  private async acquire(start: StartReplayWorker, jobs: number): Promise<ReplayPool> {
    this.keep();
    const pool = await this.poolFor(start, jobs);
    this.inUse.add(pool);
    return pool;
  }

  /** After a verify or analysis: the kept recording's pools stay for the next on a host with idle time; any other stops. */
  private async release(start: StartReplayWorker, pool: ReplayPool): Promise<void> {
    this.inUse.delete(pool);
    if (this.host.idle && !this.closed && RecordingInspector.keeper === this) return;
    if ((await this.pools.get(start)?.pool.catch(() => undefined)) === pool) this.pools.delete(start);
    await pool.close();
  }

  /** Makes this the recording whose workers are kept: the previous one stops those it is not using. */
  private keep(): void {
    const previous = RecordingInspector.keeper;
    if (previous === this) return;
    RecordingInspector.keeper = this;
    if (!previous) return;
    for (const [start, kept] of previous.pools) {
      void kept.pool.then(
        (pool) => {
          if (previous.inUse.has(pool)) return; // stopped when given back
          if (previous.pools.get(start)?.pool === kept.pool) previous.pools.delete(start);
          return pool.close();
        },
        () => undefined,
      );
    }
  }

  /** The pool `start` makes, with `jobs` workers: the kept one, or a new one (replacing one of another size). */
  private poolFor(start: StartReplayWorker, jobs: number): Promise<ReplayPool> {
    const kept = this.pools.get(start);
    if (kept && kept.jobs === jobs) return kept.pool;
    if (kept) void kept.pool.then((p) => p.close(), () => undefined);
    const pool = this.startPool(start, jobs);
    this.pools.set(start, { jobs, pool });
    pool.catch(() => {
      if (this.pools.get(start)?.pool === pool) this.pools.delete(start);
    });
    return pool;
  }

  private async startPool(start: StartReplayWorker, jobs: number): Promise<ReplayPool> {
    const [module, image] = await Promise.all([this.host.loadModule(), this.image()]);
    // Checked here by the manifest the loader verified the files against: the workers need not hash them again.
    bootConfigForImage(this.rec.header, image);
    const init: ReplayWorkerInit = { ...(await this.sharedSource()), recovery: this.recovery, files: image.files, manifest: image.manifest, module };
    return ReplayPool.start(init, jobs, start);
  }

  /**
   * The recording for the workers: a path, or the bytes, copied once into a
   * SharedArrayBuffer where the runtime has one (a cross-origin isolated page,
   * Node) so every worker reads the same memory. Every blob of those bytes
   * read and checked already (the warmed cache) need not be checked again.
   */
  private shared: Uint8Array | undefined;
  private async sharedSource(): Promise<Pick<ReplayWorkerInit, 'data' | 'path' | 'blobsVerified'>> {
    const source = this.workerSource!;
    if ('path' in source) return { path: source.path };
    if (!this.shared) {
      await this.loadWhole();
      const data = 'parts' in source ? source.parts.whole() : source.data;
      const Shared = (globalThis as { SharedArrayBuffer?: SharedArrayBufferConstructor }).SharedArrayBuffer;
      if (Shared && !(data.buffer instanceof Shared)) {
        this.shared = new Uint8Array(new Shared(data.length));
        this.shared.set(data);
      } else {
        this.shared = data;
      }
    }
    return { data: this.shared, blobsVerified: this.cache.warmed };
  }

  /** The recording's guest image, loaded (and verified) once. */
  private image(): Promise<BootImage> {
    this.imagePromise ??= this.host.loadImage(this.rec.header.image.name);
    this.imagePromise.catch(() => (this.imagePromise = undefined));
    return this.imagePromise;
  }

  /**
   * Background work in idle time, on hosts that have it: read the next
   * pages into the cache a step at a time while no request is waiting, then,
   * after a pause, take the checkpoints seeks start from, a few milliseconds
   * of running at a time, and after a quiet moment start the replay workers
   * a verify will use.
   */
  private scheduleBackground(ms = 0): void {
    const idle = this.host.idle;
    if (!idle || this.closed || this.background) return;
    this.background = idle(ms, () => {
      this.background = undefined;
      if (this.closed) return;
      if (this.busy > 0) return; // the request's end schedules again
      if (this.parts && !this.parts.complete) {
        // Read by parts: after the first frame the next slice's snapshot (playing on needs it), then the rest of the file, then its pages are read ahead.
        const next = this.lastSnapshot + 1;
        const step = this.lastSnapshot >= 0 && next < this.rec.snapshots.length && !this.loadedSnapshots.has(next) ? this.loadSnapshotParts(next) : this.loadWhole();
        step.then(() => this.scheduleBackground(), () => undefined);
        return;
      }
      if (!this.cache.warmed) {
        this.cache.warm(WARM_STEP_BLOBS);
        this.scheduleBackground(0);
        return;
      }
      if (RecordingInspector.active !== this) return;
      const quiet = nowMs() - this.lastActive;
      const machine = this.machine;
      const fill = machine && this.checkpoints.toFill(this.lastSnapshot, (k) => machine.hasImage || !this.needsImage(k));
      if (machine && fill) {
        if (quiet < CHECKPOINT_FILL_IDLE_MS) return this.scheduleBackground(CHECKPOINT_FILL_IDLE_MS - quiet);
        this.checkpoints.fillStep(machine, fill);
        this.scheduleBackground(0);
        return;
      }
      const start = this.host.replayWorkers;
      const jobs = this.host.replayJobs ?? 1;
      if (!start || !this.workerSource || jobs <= 1 || this.pools.has(start)) return;
      if (quiet < POOL_PRESTART_IDLE_MS) {
        this.scheduleBackground(POOL_PRESTART_IDLE_MS - quiet);
        return;
      }
      this.keep();
      void this.poolFor(start, Math.min(jobs, this.rec.slices.length)).catch(() => undefined);
    });
  }

  /**
   * Runs `task` after every request before it (a seek must not start while
   * another runs the machine). On a host with idle time it starts after the
   * messages already waiting, so a console asked for with a seek is answered
   * first and drawn while the machine runs, not after.
   */
  private serve<T>(task: () => Promise<T>): Promise<T> {
    this.busy++;
    RecordingInspector.active = this;
    const idle = this.host.idle;
    const start = idle ? () => new Promise<void>((resolve) => void idle(0, resolve)).then(task) : task;
    const run = this.queue.then(start, start);
    this.queue = run.catch(() => undefined);
    const done = () => {
      this.busy--;
      this.lastActive = nowMs();
      this.scheduleBackground();
    };
    run.then(done, done);
    return run;
  }

  /** A recording read by parts: loads what restoring snapshot k reads, for a request. */
  private loadFor(k: number): Promise<void> {
    this.lastSnapshot = k;
    return this.loadSnapshotParts(k);
  }

  /** Loads what restoring snapshot k reads (once per snapshot). */
  private async loadSnapshotParts(k: number): Promise<void> {
    if (!this.parts || this.parts.complete || this.loadedSnapshots.has(k)) return;
    await loadSnapshot(this.rec, this.parts, k);
    this.loadedSnapshots.add(k);
  }

  /** A recording read by parts: loads the rest of it (a verify reads every slice). */
  private loadWhole(): Promise<void> {
    if (!this.parts || this.parts.complete) return Promise.resolve();
    this.loadingAll ??= this.parts.loadAll().finally(() => (this.loadingAll = undefined));
    return this.loadingAll;
  }

  private checkTick(tick: bigint): void {
    const end = this.rec.snapshots[this.rec.snapshots.length - 1].tick;
    if (tick < 0n || tick > end) throw new PrnrError('RECORDING_RANGE', `tick ${tick} is ${tick < 0n ? 'before the recording' : `after the end of the recording (tick ${end})`}`);
  }

  /** The machine at `tick` (restored from the nearest snapshot and run forward, or run on from where it is). */
  private async at(tick: bigint): Promise<{ machine: ReplayMachine['machine']; position: SeekPosition }> {
    this.checkTick(tick);
    const k = snapshotBefore(this.rec, tick);
    await this.loadFor(k);
    const machine = await this.machineFor(this.needsImage(k));
    const at = this.checkpoints.seek(machine, tick);
    return { machine: machine.machine, position: { tick: at.tick, snapshot: at.snapshot, snapshotTick: this.rec.snapshots[at.snapshot].tick } };
  }

  private needsImage(k: number): boolean {
    let needed = this.imageNeeded.get(k);
    if (needed === undefined) this.imageNeeded.set(k, (needed = needsImage(this.rec, k)));
    return needed;
  }

  /** The replay machine, with the image booted if `withImage` (one without is replaced; one with serves every snapshot). */
  private async machineFor(withImage: boolean): Promise<ReplayMachine> {
    if (this.machine && (this.machine.hasImage || !withImage)) return this.machine;
    const { rec, host } = this;
    const [module, image] = await Promise.all([host.loadModule(), withImage ? this.image() : undefined]);
    this.machine = await ReplayMachine.create(module, rec, image && bootConfigForImage(rec.header, image), host.codecs.sha256);
    return this.machine;
  }
}
