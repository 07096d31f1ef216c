// The one implementation of EngineApi, shared by every host. A host only says
// how to get the compiled machine module and the guest images (fetch in the
// browser, the file system in Node) and how its event loop waits, then
// exposes an Engine over its message port.
import { PrnrError, errorCode, errorMessage } from '../shared/errors';
import { PARTIAL_SUFFIX } from '../shared/recording/format';
import { openRecording as openRecordingSource } from '../shared/recording/reader';
import { openRecordingByParts } from '../shared/recording/open-parts';
import { bytesSource, type RangeReader, type RecordingSource } from '../shared/recording/source';
import { parseTick } from '../shared/tick';
import type { EngineApi, EnginePing, LiveBootInfo, LiveEnd, LiveListeners, LiveOptions, LiveRecording } from './engine-api';
import { serverOfLink } from './analyze/server-partials';
import { openHttpRecording } from './http-range';
import { bootConfigFromImage, type BootImage, type ImageLoadProgress } from './images';
import { findLastWrite, findRegisterChange, type LastWriteAnswer, type LastWriteHost, type LastWriteListener, type LastWriteQuery, type RegisterChangeAnswer, type RegisterChangeQuery } from './inspect/last-write';
import { RecordingInspector, type EngineAnalyses, type InspectorHost, type ReplayWorkerSource } from './inspect/recording-inspector';
import type { AnalysisListener, AnalysisResults, AnalyzeOptions, ConsoleAt, CsrsAt, HartAt, MemoryAt, RecordingFrom, RecordingInfo, ScreenAt, SeekPosition, VerifiedSlice, VerifyListener, VerifyOptions } from './inspect/types';
import { finishLiveRecording, RecordingLiveMachine, type LiveRecordingPipeline } from './live-recording';
import { LiveSession, type LiveHost, type LiveMachine, type LiveStats } from './live-session';
import { Machine, runToTick, setJitDefault } from './machine';
import { Recorder } from './record/recorder';
import { describeImageFiles } from './replay/boot';
import type { StartReplayWorker } from './replay/pool';
import type { RecordingCodecs } from './replay/replay-worker';

/** Compiles machine.wasm in the host's own way; called at most once per Engine. */
export type MachineModuleLoader = () => Promise<WebAssembly.Module>;

/** What an engine needs from its host. */
export interface EngineHost {
  loadModule: MachineModuleLoader;
  /** Reads and verifies a guest image's boot files (../images.ts). */
  loadImage(name: string, onProgress?: (progress: ImageLoadProgress) => void): Promise<BootImage>;
  /** Clock and waits for live sessions. */
  live: LiveHost;
  /** SHA-256 and, where the host has them, inflate and signature checks, for reading recordings. */
  codecs: RecordingCodecs;
  /** Opens a recording file by path, on hosts with files (Node). */
  openFile?(path: string): RecordingSource & { close?(): void };
  /** Opens a file of the host's own recording storage for reading by parts (the browser: OPFS), on hosts without openFile. */
  openParts?(path: string): Promise<RangeReader>;
  /** Where the files of shared links (a prnr server's /api/recordings/<id>/file) are kept once fetched whole (the browser: OPFS). */
  linkCache?: LinkCache;
  /** Starts replay workers for verifySlices; without, slices verify on the engine's thread. */
  replayWorkers?: StartReplayWorker;
  /** Replay workers a verify uses by default. */
  replayJobs?: number;
  /** The analyses analyze() runs, handed in by the host's composition root; without, analyze throws ANALYSIS_UNAVAILABLE. */
  analyses?: EngineAnalyses;
  /** Opens the file a recorded live session is written to (the browser: a snapshot worker appending to OPFS); without, live sessions cannot be recorded. */
  recordingPipeline?(file: string): Promise<LiveRecordingPipeline>;
  /** The recorder's name in a recording's header, e.g. "prnr 0.1.0 (browser)". */
  createdBy?: string;
  /** Idle-time scheduling, on hosts that serve a UI: open recordings warm their caches and keep their replay workers (InspectorHost.idle). */
  idle?: InspectorHost['idle'];
  /**
   * Whether the machines of this thread translate hot guest code to wasm (the
   * JIT, docs/design.md 2; default machine.ts jitDefault()). Results are the
   * same either way; recordings do not depend on it.
   */
  jit?: boolean;
}

/** Files of shared links by recording id: opened again without a request. */
export interface LinkCache {
  open(id: string): Promise<RangeReader | undefined>;
  keep(id: string, bytes: Uint8Array): Promise<void>;
  drop(id: string): Promise<void>;
}

interface OpenRecording {
  inspector: RecordingInspector;
  close?(): void;
  /** The prnr server it was opened from, whose analysis partials it shares (AnalyzeOptions.server). */
  server?: string;
}

export class Engine implements EngineApi {
  private modulePromise: Promise<WebAssembly.Module> | undefined;
  private live: LiveSession | undefined;
  /** How the live session ends, once it has (with its recording, if recorded). */
  private liveEnded: Promise<LiveEnd> | undefined;
  private liveRecorded = false;
  private readonly recordings = new Map<string, OpenRecording>();

  constructor(private readonly host: EngineHost) {
    if (host.jit !== undefined) setJitDefault(host.jit);
  }

  async ping(): Promise<EnginePing> {
    const machine = await this.createMachine();
    return { apiVersion: machine.apiVersion, jit: machine.jitEnabled };
  }

  async startLive(image: string, listeners: LiveListeners, options: LiveOptions = {}): Promise<LiveBootInfo> {
    // A recorded session left running finishes its recording on its own (its liveEnded).
    this.live?.stop();
    this.live = undefined;
    this.liveEnded = undefined;
    this.liveRecorded = false;
    const [loaded, machine] = await Promise.all([this.host.loadImage(image, (p) => void listeners.onProgress(p)), this.createMachine()]);
    let live: LiveMachine = machine;
    let recording: { recorder: Recorder; pipeline: LiveRecordingPipeline } | undefined;
    if (options.record) {
      if (!this.host.recordingPipeline) throw new PrnrError('HOST_NO_RECORDING', 'this engine cannot record live sessions');
      const pipeline = await this.host.recordingPipeline(options.record.file);
      // The recorder boots the machine and takes snapshot 0 (docs/design.md 3).
      let recorder: Recorder;
      try {
        recorder = new Recorder({
          machine,
          config: bootConfigFromImage(loaded, { entropySeed: options.record.entropySeed }),
          image: { name: loaded.name, files: describeImageFiles(loaded) },
          output: { pipeline },
          sha256: this.host.codecs.sha256,
          createdBy: this.host.createdBy ?? 'prnr',
        });
      } catch (err) {
        await pipeline.abandon().catch(() => undefined);
        throw err;
      }
      recording = { recorder, pipeline };
      live = new RecordingLiveMachine(recorder, () => !pipeline.saturated);
    } else {
      machine.boot(bootConfigFromImage(loaded));
    }
    const session = new LiveSession(live, this.host.live);
    this.live = session;
    this.liveRecorded = recording !== undefined;
    session.onConsole((bytes) => void listeners.onConsole(bytes));
    this.liveEnded = (async (): Promise<LiveEnd> => {
      try {
        const exit = await session.start();
        return recording ? { ...exit, recording: await finishLiveRecording(recording.recorder, recording.pipeline) } : exit;
      } catch (err) {
        // What was written stays: a recording cut off at its last snapshot, recovered later.
        await recording?.pipeline.abandon().catch(() => undefined);
        return { state: 'failed', tick: machine.tick, code: errorCode(err), message: errorMessage(err) };
      }
    })();
    void this.liveEnded.then((end) => listeners.onEnd(end));
    const { manifest } = loaded;
    return { image: loaded.name, description: manifest.description, prompt: manifest.prompt, ramMiB: manifest.ramMiB };
  }

  async sendLiveInput(bytes: Uint8Array): Promise<void> {
    this.live?.sendInput(bytes);
  }

  async liveStats(): Promise<LiveStats | undefined> {
    return this.live?.stats();
  }

  async stopLive(): Promise<void> {
    this.live?.stop();
  }

  async stopRecording(): Promise<LiveRecording> {
    const ended = this.liveEnded;
    if (!ended || !this.liveRecorded) throw new PrnrError('NOT_RECORDING', 'no live session is being recorded');
    this.live?.stop();
    const end = await ended;
    if (this.liveEnded === ended) this.liveRecorded = false;
    if (end.state === 'failed') throw new PrnrError(end.code ?? 'RECORDING_FAILED', `the recording failed at tick ${end.tick}: ${end.message}`);
    if (!end.recording) throw new PrnrError('NOT_RECORDING', 'the live session was not recorded');
    return end.recording;
  }

  async bootHashes(image: string, ticks: string[]): Promise<string[]> {
    const [loaded, machine] = await Promise.all([this.host.loadImage(image), this.createMachine()]);
    machine.boot(bootConfigFromImage(loaded));
    return ticks.map((text) => {
      const tick = parseTick(text);
      if (tick < machine.tick) throw new PrnrError('BAD_TICK', `ticks must ascend: ${text} comes after ${machine.tick}`);
      runToTick(machine, tick);
      return machine.stateHash().toString(16).padStart(16, '0');
    });
  }

  openRecording(from: RecordingFrom): Promise<RecordingInfo> {
    return this.open(from, true);
  }

  /** Opens `from`; a shared link's file this host kept (`useKept`) is read from there (docs/design.md 6) if it is the recording the link names. */
  private async open(from: RecordingFrom, useKept: boolean): Promise<RecordingInfo> {
    const linkId = 'url' in from && this.host.linkCache ? serverOfLink(from.url)?.id : undefined;
    const kept = linkId && useKept ? await this.host.linkCache!.open(linkId) : undefined;
    const refetch = async () => {
      await this.host.linkCache!.drop(linkId!);
      return this.open(from, false);
    };
    let source: (RecordingSource & { close?(): void }) | undefined;
    let parts: RangeReader | undefined;
    let workerSource: ReplayWorkerSource | undefined;
    let recovery = from.recovery;
    if ('path' in from) {
      recovery ??= from.path.endsWith(PARTIAL_SUFFIX);
      if (this.host.openFile) {
        source = this.host.openFile(from.path);
        workerSource = { path: from.path };
      } else if (this.host.openParts) {
        parts = await this.host.openParts(from.path);
      } else {
        throw new PrnrError('HOST_NO_FILES', `this engine cannot open files by path (${from.path}); open the recording's bytes or URL`);
      }
    } else {
      // A URL is read by ranges where its server answers them (docs/design.md 6), else fetched whole.
      const got = 'bytes' in from ? from.bytes : (kept ?? (await openHttpRecording(from.url)));
      if (got instanceof Uint8Array) {
        source = bytesSource(got);
        workerSource = { data: got };
      } else {
        parts = got;
      }
    }
    const options = { ...this.host.codecs, recovery: recovery ?? false };
    let rec;
    try {
      if (parts) {
        const opened = await openRecordingByParts(parts, options);
        rec = opened.rec;
        source = opened.source;
        workerSource = { parts: opened.source };
      } else {
        rec = openRecordingSource(source!, options);
      }
    } catch (err) {
      source?.close?.();
      if (kept) return refetch();
      throw err;
    }
    const opened = source!;
    const inspector = new RecordingInspector(rec, { loadModule: () => this.module(), loadImage: (name) => this.host.loadImage(name), codecs: this.host.codecs, replayWorkers: this.host.replayWorkers, replayJobs: this.host.replayJobs, analyses: this.host.analyses, idle: this.host.idle }, workerSource, recovery ?? false);
    if (linkId) {
      if (kept && inspector.id !== linkId) return refetch();
      // Fetched: kept once the inspector has all of it (by parts, in idle time after the first frame).
      const fetched = kept || inspector.id !== linkId ? undefined : workerSource;
      const whole = fetched && 'parts' in fetched ? fetched.parts.whenComplete().then(() => fetched.parts.whole()) : fetched && 'data' in fetched ? Promise.resolve(fetched.data) : undefined;
      void whole?.then((bytes) => this.host.linkCache!.keep(linkId, bytes)).catch(() => undefined);
    }
    const open = this.recordings.get(inspector.id);
    if (open) {
      opened.close?.();
      return open.inspector.info();
    }
    const server = 'url' in from ? serverOfLink(from.url) : undefined;
    this.recordings.set(inspector.id, { inspector, close: () => opened.close?.(), server: server?.id === inspector.id ? server.origin : undefined });
    return inspector.info();
  }

  async closeRecording(id: string): Promise<void> {
    const open = this.recordings.get(id);
    this.recordings.delete(id);
    await open?.inspector.close();
    open?.close?.();
  }

  async seek(id: string, tick: bigint): Promise<SeekPosition> {
    return this.inspector(id).seek(tick);
  }

  async registersAt(id: string, tick: bigint, csrs?: number[]): Promise<HartAt> {
    return this.inspector(id).registers(tick, csrs);
  }

  async csrsAt(id: string, tick: bigint, csrs: number[]): Promise<CsrsAt> {
    return this.inspector(id).csrs(tick, csrs);
  }

  async readPhysAt(id: string, tick: bigint, addr: bigint, length: number): Promise<MemoryAt> {
    return this.inspector(id).readPhys(tick, addr, length);
  }

  async readVirtAt(id: string, tick: bigint, vaddr: bigint, length: number, satp?: bigint): Promise<MemoryAt> {
    return this.inspector(id).readVirt(tick, vaddr, length, satp);
  }

  async screenAt(id: string, tick: bigint, rows?: number, cols?: number): Promise<ScreenAt> {
    return this.inspector(id).screen(tick, rows, cols);
  }

  async consoleAt(id: string, tick: bigint, after?: bigint): Promise<ConsoleAt> {
    return this.inspector(id).console(tick, after);
  }

  async outputTicks(id: string): Promise<bigint[]> {
    return this.inspector(id).outputTicks();
  }

  async verifySlices(id: string, options?: VerifyOptions, listener?: VerifyListener): Promise<VerifiedSlice[]> {
    return this.inspector(id).verify(options, listener);
  }

  async analyze(id: string, options: AnalyzeOptions, listener?: AnalysisListener): Promise<AnalysisResults> {
    return this.inspector(id).analyze({ ...options, server: options.server ?? this.recordings.get(id)?.server }, listener);
  }

  async lastWrite(id: string, query: LastWriteQuery, listener?: LastWriteListener): Promise<LastWriteAnswer> {
    return findLastWrite(this.searchHost(id), query, listener);
  }

  async lastRegisterChange(id: string, query: RegisterChangeQuery): Promise<RegisterChangeAnswer> {
    return findRegisterChange(this.searchHost(id), query);
  }

  /** An open recording, as last-write searches use it. */
  private searchHost(id: string): LastWriteHost {
    const inspector = this.inspector(id);
    return { rec: inspector.rec, analyze: (o, l) => inspector.analyze(o, l), machineAt: (tick, task) => inspector.machineAt(tick, task), jobs: this.host.replayJobs ?? 1 };
  }

  private inspector(id: string): RecordingInspector {
    const open = this.recordings.get(id);
    if (!open) throw new PrnrError('RECORDING_NOT_OPEN', `no open recording ${id.slice(0, 16)}…; openRecording first`);
    return open.inspector;
  }

  /** The machine module, compiled once per Engine. */
  private module(): Promise<WebAssembly.Module> {
    this.modulePromise ??= this.host.loadModule();
    return this.modulePromise;
  }

  /** A fresh machine instance from the (compiled once) module. */
  protected async createMachine(): Promise<Machine> {
    return Machine.create(await this.module());
  }
}
