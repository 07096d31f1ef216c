// Drives a recorder the way a user at the console would: wait for the shell
// prompt, type a command line, wait for the next prompt, ...; then type
// `poweroff -f` and run until the guest powers off. The recorder owns the run
// loop (every snapshot boundary and input tick is exact); GuestConsole drives
// it as it drives a plain machine.
//
// The session is written once, as a generator that yields whenever the host
// asks for a pause: runSession drives it at once, on this thread, with no
// pause; runSessionInterruptibly pauses every few tens of milliseconds so the
// host's event loop turns (a Node process sees its SIGINT), and stops when
// asked, leaving the recording unfinished. A pause is taken before a run of
// the machine, never inside one, and the wait it left is re-entered with the
// same deadline and transcript offset: the machine runs exactly the same
// steps, paused or not, so both write the same recording.
import { PrnrError } from '../../shared/errors';
import { nowMs } from '../../shared/clock';
import { GuestConsole, type ConsoleMachine } from '../guest-console';
import type { StopReason } from '../machine';
import type { Recorder } from './recorder';

export interface SessionOptions {
  prompt: string;
  commands: readonly string[];
  /** Ticks to wait for each prompt (and for the poweroff). */
  budgetTicks?: bigint;
  /** The command that powers the guest off at the end. */
  poweroff?: string;
}

/** Thrown by a PausingMachine before a run; nothing has run, so the wait it interrupts can be re-entered. */
const PAUSE = Symbol('pause');

/** The recorder as GuestConsole sees it, refusing to run once `pauseDue()` says the host's turn has come (after at least one run per turn). */
class PausingMachine implements ConsoleMachine {
  private ran = false;

  constructor(
    private readonly recorder: Recorder,
    private readonly pauseDue: () => boolean,
  ) {}

  get tick(): bigint {
    return this.recorder.tick;
  }

  run(untilTick: bigint): StopReason {
    if (this.ran && this.pauseDue()) {
      this.ran = false;
      throw PAUSE;
    }
    this.ran = true;
    return this.recorder.run(untilTick);
  }

  drainConsole(): Uint8Array {
    return this.recorder.drainConsole();
  }

  typeInput(bytes: Uint8Array): number {
    return this.recorder.typeInput(bytes);
  }
}

/** Runs `wait` to its end, yielding at every pause and calling it again (it must be re-entrant: same deadline, same offset). */
function* resumable<T>(wait: () => T): Generator<void, T, void> {
  for (;;) {
    try {
      return wait();
    } catch (err) {
      if (err !== PAUSE) throw err;
    }
    yield;
  }
}

function* session(recorder: Recorder, options: SessionOptions, onCommand: ((index: number, command: string) => void) | undefined, pauseDue: () => boolean): Generator<void, string, void> {
  const budget = options.budgetTicks ?? 20_000_000_000n;
  const guest = new GuestConsole(new PausingMachine(recorder, pauseDue));
  const waitForPrompt = (from: number) => {
    const deadline = recorder.tick + budget;
    return resumable(() => guest.waitFor(options.prompt, deadline - recorder.tick, from));
  };
  let current = -1;
  try {
    yield* waitForPrompt(0);
    for (const [i, command] of options.commands.entries()) {
      current = i;
      onCommand?.(i, command);
      const from = guest.transcript.length;
      guest.type(`${command}\n`);
      yield* waitForPrompt(from);
    }
  } catch (err) {
    if (!guest.poweredOff) throw err;
    // The guest stopped the machine itself (a command ran poweroff or reboot): a session that ends so is complete.
    recorder.finish();
    const n = options.commands.length;
    if (current === n - 1) return guest.transcript;
    const stopped = guest.rebooted ? 'rebooted' : 'powered off';
    const rest = current + 2 === n ? `command ${n} was` : `commands ${current + 2} to ${n} were`;
    throw new PrnrError('GUEST_POWEROFF', current < 0 ? `the guest ${stopped} while booting, before its shell prompt; the recording is complete up to there, but no command was typed` : `the guest ${stopped} during command ${current + 1} of ${n} (${JSON.stringify(options.commands[current])}); the recording is complete up to there, but ${rest} not typed`);
  }
  // GuestConsole.powerOff, split so that only the run is re-entered, not the typing.
  const deadline = recorder.tick + budget;
  guest.type(`${options.poweroff ?? 'poweroff -f'}\n`);
  yield* resumable(() => guest.runFor(deadline - recorder.tick));
  if (!guest.poweredOff) throw new PrnrError('GUEST_TIMEOUT', `the guest did not power off within ${budget} ticks (at tick ${recorder.tick})`);
  recorder.finish();
  return guest.transcript;
}

/** Types each command at the prompt, then powers off; finishes the recording. Returns the transcript. */
export function runSession(recorder: Recorder, options: SessionOptions, onCommand?: (index: number, command: string) => void): string {
  const steps = session(recorder, options, onCommand, () => false);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export interface InterruptOptions {
  /** Checked at every pause: true stops the session with PrnrError INTERRUPTED, the recording left unfinished (not finished, not discarded). */
  interrupted: () => boolean;
  /** Lets the host run, e.g. `() => new Promise((r) => setImmediate(r))`. */
  yieldToHost: () => Promise<void>;
  /** Machine time between pauses, in wall-clock milliseconds (default 50). */
  pauseEveryMs?: number;
}

/** runSession, pausing for the host every `pauseEveryMs` and stopping when `interrupted()`; the same recording when not interrupted. */
export async function runSessionInterruptibly(recorder: Recorder, options: SessionOptions, interrupt: InterruptOptions, onCommand?: (index: number, command: string) => void): Promise<string> {
  const every = interrupt.pauseEveryMs ?? 50;
  let resumedAt = nowMs();
  const steps = session(recorder, options, onCommand, () => nowMs() - resumedAt >= every);
  for (;;) {
    if (interrupt.interrupted()) throw new PrnrError('INTERRUPTED', `the recording was interrupted at tick ${recorder.tick}`);
    const step = steps.next();
    if (step.done) return step.value;
    await interrupt.yieldToHost();
    resumedAt = nowMs();
  }
}
