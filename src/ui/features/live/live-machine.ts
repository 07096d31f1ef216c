// The live machine of this page: boots a guest image in the engine worker and
// keeps what the view shows (download progress, boot info, stats, the end),
// framework-free: subscribe(listener) -> unsubscribe and getSnapshot(), bound
// to React by useLiveMachine. The console goes to whoever is attached (the
// terminal); what the guest printed before that is kept and replayed. Stats
// are polled only while the machine runs and someone is subscribed: polling
// starts with the first subscriber and stops with the last (as TanStack
// Query's onSubscribe/onUnsubscribe), so a live machine left running behind
// another page costs no polling.
//
// Record boots a fresh machine under a recorder (a recording starts at boot:
// its snapshot 0 is the booted image) and the user types as usual; the engine
// worker captures each snapshot and a snapshot worker writes it to OPFS as it
// goes. Stop finishes the recording and indexes it in the library.
import * as Comlink from 'comlink';
import type { EngineApi, LiveBootInfo, LiveEnd, LiveOptions } from '../../../engine/engine-api';
import type { ImageLoadProgress } from '../../../engine/images';
import type { LiveStats } from '../../../engine/live-session';
import { errorMessage } from '../../../shared/errors';

export type LivePhase = 'idle' | 'loading' | 'running' | 'ended';

/** The recording of this session, if it is recorded. */
export interface LiveRecordingState {
  file: string;
  /** recording while it runs, finishing after Stop, saved once the library lists it. */
  phase: 'recording' | 'finishing' | 'saved' | 'failed';
  /** Its id in the library, once saved. */
  id?: string;
  error?: string;
}

/** Where the page keeps recordings (./recording-storage.ts: OPFS and IndexedDB; a fake in tests). */
export interface LiveRecordingStorage {
  /** A fresh file name and a fresh entropy seed for a new recording. */
  newRecording(): { file: string; entropySeed: bigint };
  /** Notes a recording about to start, so a tab closed mid-recording leaves it recoverable under its title. */
  begin(file: string, title: string): Promise<void>;
  /** Indexes the finished recording in the library; resolves to its id. */
  finished(file: string): Promise<string>;
}

export interface LiveSnapshot {
  phase: LivePhase;
  image?: string;
  progress?: ImageLoadProgress;
  info?: LiveBootInfo;
  stats?: LiveStats;
  end?: LiveEnd;
  /** Why the boot failed (image missing or corrupt, machine error). */
  error?: string;
  recording?: LiveRecordingState;
}

const STATS_INTERVAL_MS = 500;
/** Console bytes kept for a terminal attached later (e.g. after navigating away and back). */
const BACKLOG_BYTES = 1 << 20;

export class LiveMachineStore {
  private snapshot: LiveSnapshot = { phase: 'idle' };
  private readonly listeners = new Set<() => void>();
  private backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  private sink: ((bytes: Uint8Array) => void) | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private session = 0;

  /** `api` is the engine worker's (a Comlink remote) or a fake in tests; without `storage` the store cannot record. */
  constructor(
    private readonly api: Pick<EngineApi, 'startLive' | 'sendLiveInput' | 'liveStats' | 'stopLive' | 'stopRecording'>,
    private readonly storage?: LiveRecordingStorage,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.onSubscribe();
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.onUnsubscribe();
    };
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  /** Boots `image` unless this store already did (idempotent, e.g. under React StrictMode). */
  start(image: string): void {
    if (this.snapshot.phase !== 'idle') return;
    this.boot(image);
  }

  /** Boots again from scratch, ending the current session. */
  restart(): void {
    this.boot(this.snapshot.image ?? 'default');
  }

  /** Whether the session is being recorded (or its recording is being finished). */
  get recordingActive(): boolean {
    const phase = this.snapshot.recording?.phase;
    return phase === 'recording' || phase === 'finishing';
  }

  /** Boots a fresh machine under a recorder (ending the current session) and records from its first instruction. */
  async record(title = 'Live session'): Promise<void> {
    if (!this.storage) throw new Error('this live machine has no storage to record into');
    if (this.recordingActive) return;
    const { file, entropySeed } = this.storage.newRecording();
    await this.storage.begin(file, title);
    this.boot(this.snapshot.image ?? 'default', { record: { file, entropySeed } });
  }

  /** Stops the recorded session and finishes its recording; resolves to its id in the library. */
  async stopRecording(): Promise<string> {
    const recording = this.snapshot.recording;
    if (!this.storage || !recording || recording.phase !== 'recording') throw new Error('nothing is being recorded');
    const session = this.session;
    this.setRecording(session, { ...recording, phase: 'finishing' });
    try {
      const done = await this.api.stopRecording();
      const id = await this.storage.finished(done.file);
      this.setRecording(session, { ...recording, phase: 'saved', id });
      return id;
    } catch (err) {
      this.setRecording(session, { ...recording, phase: 'failed', error: errorMessage(err) });
      throw err;
    }
  }

  /** Sends guest console output to `sink`, starting with what was printed so far. */
  attachConsole(sink: (bytes: Uint8Array) => void): () => void {
    for (const chunk of this.backlog) sink(chunk);
    this.sink = sink;
    return () => {
      if (this.sink === sink) this.sink = undefined;
    };
  }

  type(text: string): void {
    if (this.snapshot.phase !== 'running') return;
    void this.api.sendLiveInput(new TextEncoder().encode(text));
  }

  private boot(image: string, options: LiveOptions = {}): void {
    const session = ++this.session;
    const current = () => session === this.session;
    this.backlog = [];
    this.backlogBytes = 0;
    this.sink?.(new TextEncoder().encode('\x1bc')); // reset the terminal
    const recording: LiveRecordingState | undefined = options.record ? { file: options.record.file, phase: 'recording' } : undefined;
    this.set({ phase: 'loading', image, recording });
    const listeners = {
      onProgress: (progress: ImageLoadProgress) => {
        if (current()) this.set({ ...this.snapshot, progress });
      },
      onConsole: (bytes: Uint8Array) => {
        if (current()) this.output(bytes);
      },
      onEnd: (end: LiveEnd) => {
        if (!current()) return;
        this.set({ ...this.snapshot, phase: 'ended', end, error: end.state === 'failed' ? end.message : undefined });
        void this.refreshStats(session); // the figures where it ended
        this.recordingEnded(session, end);
      },
    };
    this.api.startLive(image, Comlink.proxy(listeners), options).then(
      (info) => {
        if (!current()) return;
        if (this.snapshot.phase === 'loading') this.set({ ...this.snapshot, phase: 'running', info });
      },
      (err: unknown) => {
        if (!current()) return;
        const failed = this.snapshot.recording && { ...this.snapshot.recording, phase: 'failed' as const, error: errorMessage(err) };
        this.set({ ...this.snapshot, phase: 'ended', error: errorMessage(err), recording: failed });
      },
    );
  }

  /** A recorded session that ended without Stop: powered off (its recording is finished; index it) or failed (what was written is recovered by the library). */
  private recordingEnded(session: number, end: LiveEnd): void {
    const recording = this.snapshot.recording;
    if (!recording || recording.phase !== 'recording') return;
    if (end.state === 'failed') {
      this.setRecording(session, { ...recording, phase: 'failed', error: `${end.message} (every slice up to the last snapshot is kept: the library lists it as recovered)` });
      return;
    }
    if (!end.recording || !this.storage) return;
    this.setRecording(session, { ...recording, phase: 'finishing' });
    this.storage.finished(end.recording.file).then(
      (id) => this.setRecording(session, { ...recording, phase: 'saved', id }),
      (err: unknown) => this.setRecording(session, { ...recording, phase: 'failed', error: errorMessage(err) }),
    );
  }

  private setRecording(session: number, recording: LiveRecordingState): void {
    if (session === this.session) this.set({ ...this.snapshot, recording });
  }

  private output(bytes: Uint8Array): void {
    this.backlog.push(bytes);
    this.backlogBytes += bytes.length;
    while (this.backlogBytes > BACKLOG_BYTES && this.backlog.length > 1) this.backlogBytes -= this.backlog.shift()!.length;
    this.sink?.(bytes);
  }

  private onSubscribe(): void {
    this.updatePolling();
  }

  private onUnsubscribe(): void {
    this.updatePolling();
  }

  /** Polls stats exactly while the machine runs and has a subscriber; called on every change of either. */
  private updatePolling(): void {
    const wanted = this.snapshot.phase === 'running' && this.listeners.size > 0;
    if (wanted && this.statsTimer === undefined) {
      const session = this.session;
      void this.refreshStats(session);
      this.statsTimer = setInterval(() => void this.refreshStats(session), STATS_INTERVAL_MS);
    } else if (!wanted && this.statsTimer !== undefined) {
      this.stopPolling();
    }
  }

  private stopPolling(): void {
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  private async refreshStats(session: number): Promise<void> {
    const stats = await this.api.liveStats();
    if (session === this.session && stats) this.set({ ...this.snapshot, stats });
  }

  private set(snapshot: LiveSnapshot): void {
    const phaseChanged = snapshot.phase !== this.snapshot.phase;
    this.snapshot = snapshot;
    if (phaseChanged) this.updatePolling();
    for (const listener of this.listeners) listener();
  }
}
