// The live machine of this page: boots a guest image in the engine worker and
// keeps what the view shows (download progress, boot info, stats, the end),
// framework-free: subscribe(listener) -> unsubscribe and getSnapshot(), bound
// to React by useLiveMachine. The console goes to whoever is attached (the
// terminal); what the guest printed before that is kept and replayed. Stats
// are polled only while the machine runs and someone is subscribed: polling
// starts with the first subscriber and stops with the last (as TanStack
// Query's onSubscribe/onUnsubscribe), so a live machine left running behind
// another page costs no polling.
import * as Comlink from 'comlink';
import type { EngineApi, LiveBootInfo, LiveEnd } from '../../../engine/engine-api';
import type { ImageLoadProgress } from '../../../engine/images';
import type { LiveStats } from '../../../engine/live-session';
import { errorMessage } from '../../../shared/errors';

export type LivePhase = 'idle' | 'loading' | 'running' | 'ended';

export interface LiveSnapshot {
  phase: LivePhase;
  image?: string;
  progress?: ImageLoadProgress;
  info?: LiveBootInfo;
  stats?: LiveStats;
  end?: LiveEnd;
  /** Why the boot failed (image missing or corrupt, machine error). */
  error?: string;
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

  /** `api` is the engine worker's (a Comlink remote) or a fake in tests. */
  constructor(private readonly api: Pick<EngineApi, 'startLive' | 'sendLiveInput' | 'liveStats' | 'stopLive'>) {}

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

  private boot(image: string): void {
    const session = ++this.session;
    const current = () => session === this.session;
    this.backlog = [];
    this.backlogBytes = 0;
    this.sink?.(new TextEncoder().encode('\x1bc')); // reset the terminal
    this.set({ phase: 'loading', image });
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
      },
    };
    this.api.startLive(image, Comlink.proxy(listeners)).then(
      (info) => {
        if (!current()) return;
        if (this.snapshot.phase === 'loading') this.set({ ...this.snapshot, phase: 'running', info });
      },
      (err: unknown) => {
        if (current()) this.set({ ...this.snapshot, phase: 'ended', error: errorMessage(err) });
      },
    );
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
