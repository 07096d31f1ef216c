// A live machine session: a booted machine run in slices on the host's event
// loop, its idle time paced to the wall clock (docs/design.md 2 "Time"). Ticks
// the guest spends executing instructions are never paced: a busy guest runs as
// fast as the host can, so its guest time may lag wall time (a slow host) or run
// ahead of it (a fast one, the JIT). Ticks it spends idle in WFI, where run()
// warps, follow the wall clock, so `sleep 1` takes a second. Between slices the session
// drains console output to its listeners, injects typed input and yields, so
// input and RPC calls get through. Runtime-neutral: the host injects its
// clock and its ways to wait.
import { StopReason, type Machine } from './machine';

/** The part of Machine a live session drives (a fake in tests). */
export type LiveMachine = Pick<Machine, 'tick' | 'instructions' | 'run' | 'drainConsole' | 'typeInput' | 'powerOffCode'>;

/** What the host provides: its clock and its ways to wait. */
export interface LiveHost {
  /** Wall clock in milliseconds (performance.now). */
  now(): number;
  /** Resolves after `ms` milliseconds (setTimeout). */
  sleep(ms: number): Promise<void>;
  /** Resolves on the next turn of the event loop, without timer clamping (MessageChannel, setImmediate). */
  yieldNow(): Promise<void>;
}

export interface LivePacing {
  /** Guest ticks per wall-clock millisecond: 100,000 = 100 M ticks per guest second (10 MHz timebase x 10 ticks per mtime). */
  ticksPerMs: number;
  /** Most ticks per run() call: bounds the latency of input, output and RPC calls. */
  maxChunkTicks: bigint;
  /** How far guest time may lag the wall clock before the lag is forgiven (a busy guest then idles in real time again). */
  maxLagTicks: bigint;
  /** How long to wait when the guest has caught up with the wall clock (input cuts it short). */
  idleSleepMs: number;
}

export const DEFAULT_LIVE_PACING: LivePacing = {
  ticksPerMs: 100_000,
  maxChunkTicks: 2_000_000n,
  maxLagTicks: 5_000_000n,
  idleSleepMs: 8,
};

export type LiveState = 'created' | 'running' | 'poweredOff' | 'stopped' | 'failed';

export interface LiveStats {
  state: LiveState;
  tick: bigint;
  /** Guest instructions executed per wall-clock microsecond (MIPS), over the last second. */
  mips: number;
  /** Guest time per wall time over the last second (1 = real time). */
  speed: number;
  /** The last slice ended with the hart idle in WFI. */
  idle: boolean;
  /** The sifive_test code when powered off. */
  powerOffCode?: number;
}

export interface LiveExit {
  state: 'poweredOff' | 'stopped';
  tick: bigint;
  powerOffCode?: number;
}

interface Sample {
  wallMs: number;
  tick: bigint;
  instructions: bigint;
}

const STATS_WINDOW_MS = 1000;

export class LiveSession {
  private state: LiveState = 'created';
  private readonly pacing: LivePacing;
  private readonly consoleListeners = new Set<(bytes: Uint8Array) => void>();
  private pendingInput: number[] = [];
  private wake: (() => void) | undefined;
  private anchorWallMs = 0;
  private anchorTick = 0n;
  /** The machine's instruction counter at the anchor: executed ticks since then are not paced. */
  private anchorInstructions = 0n;
  /** Wall time spent inside run() since the anchor: the host executing, not the guest idling. */
  private runWallMs = 0;
  private idle = false;
  /** The last slice ran to its budget executing (not idle, not yet known on the first turn). */
  private busy = false;
  private samples: Sample[] = [];
  private running: Promise<LiveExit> | undefined;

  constructor(
    private readonly machine: LiveMachine,
    private readonly host: LiveHost,
    pacing: Partial<LivePacing> = {},
  ) {
    this.pacing = { ...DEFAULT_LIVE_PACING, ...pacing };
  }

  /** Hands every console byte the guest writes to `listener`; returns the unsubscribe function. */
  onConsole(listener: (bytes: Uint8Array) => void): () => void {
    this.consoleListeners.add(listener);
    return () => this.consoleListeners.delete(listener);
  }

  /** Queues typed bytes; they reach the UART before the next slice. */
  sendInput(bytes: Uint8Array): void {
    for (const b of bytes) this.pendingInput.push(b);
    this.wakeUp();
  }

  /** Runs until the guest powers off or stop() is called; one loop per session. */
  start(): Promise<LiveExit> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Ends the loop after the current slice. */
  stop(): void {
    if (this.state === 'running' || this.state === 'created') this.state = 'stopped';
    this.wakeUp();
  }

  stats(): LiveStats {
    const now = this.host.now();
    const tick = this.machine.tick;
    const last: Sample = { wallMs: now, tick, instructions: this.machine.instructions };
    const first = this.samples[0] ?? last;
    const ms = last.wallMs - first.wallMs;
    const mips = ms > 0 ? Number(last.instructions - first.instructions) / ms / 1000 : 0;
    const speed = ms > 0 ? Number(last.tick - first.tick) / ms / this.pacing.ticksPerMs : 0;
    const stats: LiveStats = { state: this.state, tick, mips, speed, idle: this.idle };
    if (this.state === 'poweredOff') stats.powerOffCode = this.machine.powerOffCode;
    return stats;
  }

  /** One turn of the loop: inject input, run one slice, drain output. Returns how long to wait before the next turn (0: just yield). */
  turn(): number {
    const p = this.pacing;
    const now = this.host.now();
    this.feedInput();
    const tick = this.machine.tick;
    // Idle ticks follow the wall clock outside run() since the anchor; executed ones come on top, unpaced.
    const executed = this.machine.instructions - this.anchorInstructions;
    const idleWallMs = now - this.anchorWallMs - this.runWallMs;
    let paceTick = this.anchorTick + executed + BigInt(Math.floor(idleWallMs * p.ticksPerMs));
    if (paceTick > tick + p.maxLagTicks) {
      // Idle guest time fell behind the wall clock (a suspended tab, a host too slow to warp): forgive the lag, or it would race through its timers to catch up.
      this.anchorAt(tick + p.maxLagTicks, now);
      paceTick = this.anchorTick;
    }
    const chunkEnd = tick + p.maxChunkTicks;
    // A guest that was busy runs a whole chunk: should it idle within it, the warp ahead of the
    // wall clock is paid back by waiting on the next turn (tick - paceTick carries it).
    const until = this.busy || chunkEnd < paceTick ? chunkEnd : paceTick;
    if (until <= tick) {
      this.sample(now);
      // Ahead of the wall clock: wait until it catches up (at most idleSleepMs, so input stays responsive).
      return Math.min(p.idleSleepMs, Math.max(1, Number(tick - paceTick) / p.ticksPerMs));
    }
    const executedBefore = this.machine.instructions;
    const reason = this.machine.run(until);
    const ranUntilMs = this.host.now();
    this.runWallMs += ranUntilMs - now;
    const after = this.machine.tick;
    this.idle = reason === StopReason.idle;
    this.busy = reason === StopReason.budget && this.machine.instructions > executedBefore;
    this.drainOutput();
    if (reason === StopReason.poweroff || reason === StopReason.reboot) this.state = 'poweredOff';
    this.sample(ranUntilMs);
    return !this.busy && after >= paceTick ? p.idleSleepMs : 0;
  }

  private async loop(): Promise<LiveExit> {
    if (this.state === 'created') this.state = 'running';
    this.anchorAt(this.machine.tick, this.host.now());
    try {
      while (this.state === 'running') {
        const waitMs = this.turn();
        if (this.state !== 'running') break;
        if (waitMs > 0 && this.pendingInput.length === 0) await this.sleep(waitMs);
        else await this.host.yieldNow();
      }
    } catch (err) {
      this.state = 'failed';
      throw err;
    }
    const exit: LiveExit = { state: this.state === 'poweredOff' ? 'poweredOff' : 'stopped', tick: this.machine.tick };
    if (exit.state === 'poweredOff') exit.powerOffCode = this.machine.powerOffCode;
    return exit;
  }

  private anchorAt(tick: bigint, wallMs: number): void {
    this.anchorTick = tick;
    this.anchorWallMs = wallMs;
    this.anchorInstructions = this.machine.instructions;
    this.runWallMs = 0;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      void this.host.sleep(ms).then(() => {
        if (this.wake === done) done();
      });
    });
  }

  private wakeUp(): void {
    this.wake?.();
  }

  private feedInput(): void {
    if (this.pendingInput.length === 0) return;
    const accepted = this.machine.typeInput(Uint8Array.from(this.pendingInput));
    this.pendingInput = this.pendingInput.slice(accepted);
  }

  private drainOutput(): void {
    const bytes = this.machine.drainConsole();
    if (bytes.length === 0) return;
    for (const listener of this.consoleListeners) listener(bytes);
  }

  private sample(wallMs: number): void {
    this.samples.push({ wallMs, tick: this.machine.tick, instructions: this.machine.instructions });
    // Keep one sample older than the window, so the window is always spanned.
    while (this.samples.length > 2 && this.samples[1]!.wallMs < wallMs - STATS_WINDOW_MS) this.samples.shift();
  }
}
