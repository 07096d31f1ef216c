import { describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_PACING, LiveSession, type LiveHost, type LiveMachine } from './live-session';
import { StopReason } from './machine';

const TICKS_PER_MS = DEFAULT_LIVE_PACING.ticksPerMs;

/** A wall clock that moves only when the session sleeps or the fake machine works. */
class FakeClock implements LiveHost {
  ms = 0;
  sleeps: number[] = [];
  now = () => this.ms;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.ms += ms;
  };
  yieldNow = async () => undefined;
}

/**
 * A guest that is either busy (executes at `ticksPerWallMs`, taking wall time)
 * or idle in WFI (run() warps to untilTick at once), with a script of events by tick.
 */
class FakeMachine implements LiveMachine {
  tick = 0n;
  /** Ticks executed while busy (idle warps do not count), as the machine's instruction counter. */
  instructions = 0n;
  powerOffCode = 0;
  busy = false;
  ticksPerWallMs = 20_000; // 20 MIPS
  runs: Array<{ wallMs: number; from: bigint; until: bigint }> = [];
  typed: Array<{ wallMs: number; bytes: number[] }> = [];
  private output: number[] = [];
  powerOffAt: bigint | undefined;
  /** Called after every run, e.g. to stop the session at some wall time. */
  afterRun: () => void = () => undefined;

  constructor(private readonly clock: FakeClock) {}

  run(untilTick: bigint): StopReason {
    this.runs.push({ wallMs: this.clock.ms, from: this.tick, until: untilTick });
    let reason: StopReason;
    if (this.powerOffAt !== undefined && untilTick >= this.powerOffAt) {
      this.tick = this.powerOffAt;
      reason = StopReason.poweroff;
    } else if (this.busy) {
      this.clock.ms += Number(untilTick - this.tick) / this.ticksPerWallMs;
      this.instructions += untilTick - this.tick;
      this.tick = untilTick;
      reason = StopReason.budget;
    } else {
      this.tick = untilTick;
      reason = StopReason.idle;
    }
    this.afterRun();
    return reason;
  }

  drainConsole(): Uint8Array {
    const out = Uint8Array.from(this.output);
    this.output = [];
    return out;
  }

  print(text: string): void {
    for (const c of text) this.output.push(c.charCodeAt(0));
  }

  typeInput(bytes: Uint8Array): number {
    this.typed.push({ wallMs: this.clock.ms, bytes: [...bytes] });
    this.print(String.fromCharCode(...bytes)); // the guest echoes
    return bytes.length;
  }
}

function setup() {
  const clock = new FakeClock();
  const machine = new FakeMachine(clock);
  const session = new LiveSession(machine, clock);
  const stopAt = (wallMs: number) => {
    machine.afterRun = () => {
      if (clock.ms >= wallMs) session.stop();
    };
  };
  return { clock, machine, session, stopAt };
}

describe('LiveSession pacing', () => {
  it('keeps an idle guest at the wall clock: never ahead, and sleeping rather than spinning', async () => {
    const { clock, machine, session, stopAt } = setup();
    stopAt(3000);
    const exit = await session.start();
    expect(exit.state).toBe('stopped');
    for (const run of machine.runs) expect(run.until).toBeLessThanOrEqual(BigInt(Math.ceil(run.wallMs * TICKS_PER_MS)));
    // Guest time is wall time (3 s = 300 M ticks), to within one idle sleep.
    expect(Number(machine.tick)).toBeGreaterThan((3000 - 2 * DEFAULT_LIVE_PACING.idleSleepMs) * TICKS_PER_MS);
    expect(Number(machine.tick)).toBeLessThanOrEqual(clock.ms * TICKS_PER_MS);
    // About one slice per idle sleep, not thousands of tiny ones.
    expect(machine.runs.length).toBeLessThan((3000 / DEFAULT_LIVE_PACING.idleSleepMs) * 1.5);
    const stats = session.stats();
    expect(stats.idle).toBe(true);
    expect(stats.mips).toBe(0);
    expect(stats.speed).toBeGreaterThan(0.9);
    expect(stats.speed).toBeLessThan(1.1);
  });

  it('runs a busy guest as fast as it goes, in bounded slices, and reports its MIPS', async () => {
    const { clock, machine, session, stopAt } = setup();
    machine.busy = true;
    stopAt(2000);
    await session.start();
    // It waits only at the start, for the wall clock to give it something to run.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(3 * DEFAULT_LIVE_PACING.idleSleepMs);
    for (const run of machine.runs.slice(3)) expect(run.until - run.from).toBe(DEFAULT_LIVE_PACING.maxChunkTicks);
    // 20 MIPS for 2 s of wall time: 40 M ticks, guest time lagging wall time.
    expect(Number(machine.tick) / clock.ms).toBeCloseTo(20_000, -3);
    const stats = session.stats();
    expect(stats.idle).toBe(false);
    expect(stats.mips).toBeCloseTo(20, 0);
    expect(stats.speed).toBeCloseTo(0.2, 1);
  });

  it('does not race through guest time when a busy guest goes idle (sleep 1 still takes a second)', async () => {
    const { clock, machine, session } = setup();
    machine.busy = true;
    let idleSince: { wallMs: number; tick: bigint } | undefined;
    machine.afterRun = () => {
      if (clock.ms >= 1000 && machine.busy) {
        machine.busy = false;
        idleSince = { wallMs: clock.ms, tick: machine.tick };
      }
      if (clock.ms >= 2000) session.stop();
    };
    await session.start();
    if (!idleSince) throw new Error('the guest never went idle');
    // After 1 s busy at 20 MIPS the guest lags wall time by 0.8 s; idle, it follows the wall clock from there.
    const guestMs = Number(machine.tick - idleSince.tick) / TICKS_PER_MS;
    const wallMs = clock.ms - idleSince.wallMs;
    expect(guestMs).toBeLessThanOrEqual(wallMs + Number(DEFAULT_LIVE_PACING.maxLagTicks) / TICKS_PER_MS);
    expect(guestMs).toBeGreaterThan(wallMs - 2 * DEFAULT_LIVE_PACING.idleSleepMs);
  });
  it('never paces a busy guest: on a host faster than real time guest time runs ahead, and idle time still follows the wall clock', async () => {
    const { clock, machine, session } = setup();
    machine.busy = true;
    machine.ticksPerWallMs = 1_000_000; // 1,000 MIPS: ten times real time
    let idleSince: { wallMs: number; tick: bigint } | undefined;
    machine.afterRun = () => {
      if (clock.ms >= 500 && machine.busy) {
        machine.busy = false;
        idleSince = { wallMs: clock.ms, tick: machine.tick };
      }
      if (clock.ms >= 1500) session.stop();
    };
    await session.start();
    if (!idleSince) throw new Error('the guest never went idle');
    // Busy for half a wall second at 1,000 MIPS: 5 guest seconds, nothing slept.
    expect(Number(idleSince.tick) / TICKS_PER_MS).toBeGreaterThan(0.9 * 5000);
    // Then idle for a wall second: a second of guest time, to within a chunk and an idle sleep.
    const guestMs = Number(machine.tick - idleSince.tick) / TICKS_PER_MS;
    const wallMs = clock.ms - idleSince.wallMs;
    const slackMs = Number(DEFAULT_LIVE_PACING.maxChunkTicks) / TICKS_PER_MS + 2 * DEFAULT_LIVE_PACING.idleSleepMs;
    expect(Math.abs(guestMs - wallMs)).toBeLessThan(slackMs);
  });
});

describe('LiveSession console and power', () => {
  it('injects typed input between slices, wakes an idle wait for it, and streams output to listeners', async () => {
    const { machine, session, clock } = setup();
    const seen: string[] = [];
    const off = session.onConsole((bytes) => seen.push(String.fromCharCode(...bytes)));
    let typedAtMs = -1;
    machine.afterRun = () => {
      if (clock.ms >= 100 && typedAtMs < 0) {
        typedAtMs = clock.ms;
        session.sendInput(new TextEncoder().encode('ls\r'));
      }
      if (machine.typed.length > 0) session.stop();
    };
    await session.start();
    expect(machine.typed).toHaveLength(1);
    expect(machine.typed[0]!.bytes).toEqual([...'ls\r'].map((c) => c.charCodeAt(0)));
    // Delivered on the next turn, without waiting out an idle sleep.
    expect(machine.typed[0]!.wallMs).toBe(typedAtMs);
    expect(seen.join('')).toBe('ls\r');
    off();
  });

  it('stops when the guest powers off and reports the code', async () => {
    const { machine, session } = setup();
    machine.powerOffAt = 50_000_000n;
    machine.powerOffCode = 0x5555;
    const exit = await session.start();
    expect(exit).toEqual({ state: 'poweredOff', tick: 50_000_000n, powerOffCode: 0x5555 });
    expect(session.stats().state).toBe('poweredOff');
  });

  it('reports a machine failure as a rejected start() and state failed', async () => {
    const { machine, session } = setup();
    machine.afterRun = () => {
      throw new Error('machine aborted');
    };
    await expect(session.start()).rejects.toThrow('machine aborted');
    expect(session.stats().state).toBe('failed');
  });
});
