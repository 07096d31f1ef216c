// Drives a booted machine through its serial console, headless: run until the
// guest prints something (the shell prompt, an end marker), type input, keep
// the transcript. Used by `prnr boot --cmd`, the recorder's scripted sessions
// (a Recorder is a ConsoleMachine that snapshots and logs input as it runs),
// the tests and the benchmarks.
import { PrnrError } from '../shared/errors';
import { utf8Encode } from '../shared/utf8';
import { StopReason, type Machine } from './machine';

/** Ticks per run() call: short enough to notice output and stop soon, long enough to amortise the call. */
export const RUN_CHUNK_TICKS = 2_000_000n;

const BEGIN_MARKER = '__PRNR_BEGIN__';
/** Ends a command's output: `__PRNR_END_<status>__` after it, or `__PRNR_EXIT_<status>__` from the EXIT trap if it ended the shell. */
const RESULT_MARKER = '__PRNR_';
const END_MARKER = '__PRNR_END_';
const EXIT_MARKER = '__PRNR_EXIT_';

/** `echo` of a marker, quoted so that the line editor's echo of the typed line never contains the marker itself. */
function echoMarker(marker: string): string {
  return `echo ${marker.slice(0, 7)}""${marker.slice(7)}`;
}

/** A POSIX shell single-quoted word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface CommandOutput {
  /** What the command printed, with the terminal's \r\n turned into \n. */
  output: string;
  /** The shell's $? after the command; if the command ended the shell, the shell's exit status. */
  status: number;
  /** The command ended the shell that ran it (e.g. `exit 3`); the prompt awaited is the next shell's. */
  shellExited: boolean;
}

export interface WaitResult {
  /** Output since the wait began, up to and including the awaited text. */
  text: string;
  tick: bigint;
}

export interface RunCommandOptions {
  /** Receives the command's output as it appears (\r\n made \n), before the command finishes. */
  onOutput?: (text: string) => void;
  /** Called after every run chunk, e.g. to show progress. */
  onStep?: (tick: bigint) => void;
}

/** What a console drives: a Machine, or a Recorder running one. */
export type ConsoleMachine = Pick<Machine, 'tick' | 'run' | 'drainConsole' | 'typeInput'>;

export class GuestConsole {
  /** Everything the guest printed, as latin1 text (one char per byte). */
  transcript = '';
  /** The machine stopped: the guest powered off, or rebooted (which `rebooted` tells apart). */
  poweredOff = false;
  rebooted = false;

  constructor(readonly machine: ConsoleMachine) {}

  /** Runs at most `ticks` more ticks; returns early at poweroff. */
  runFor(ticks: bigint): void {
    const end = this.machine.tick + ticks;
    while (!this.poweredOff && this.machine.tick < end) this.step(end);
  }

  /**
   * Runs until the output printed after `from` (a transcript offset, default:
   * now) contains `text`, or throws GUEST_TIMEOUT after `budgetTicks`.
   */
  waitFor(text: string, budgetTicks: bigint, from = this.transcript.length): WaitResult {
    const at = this.waitUntil(text, this.machine.tick + budgetTicks, from);
    return { text: this.transcript.slice(from, at + text.length), tick: this.machine.tick };
  }

  /**
   * Types `command` at the shell prompt as a user would and returns what it
   * printed and its exit status, once the prompt is back; all within
   * `budgetTicks`. Markers echoed around the command delimit its output; an
   * EXIT trap, set for the command only, reports a command that ends the shell.
   */
  runCommand(command: string, prompt: string, budgetTicks: bigint, options: RunCommandOptions = {}): CommandOutput {
    const deadline = this.machine.tick + budgetTicks;
    const from = this.transcript.length;
    const finished = { before: 'the command finished', notYet: 'the command did not finish' };
    this.type(`${echoMarker(BEGIN_MARKER)}; trap ${shellQuote(`${echoMarker(EXIT_MARKER)}$?__`)} EXIT; eval ${shellQuote(command)}; ${echoMarker(END_MARKER)}$?__; trap - EXIT\n`);
    const start = this.waitUntil(`${BEGIN_MARKER}\r\n`, deadline, from, options.onStep, finished) + BEGIN_MARKER.length + 2;
    let streamed = start;
    const stream = (upTo: number) => {
      if (upTo > streamed && this.transcript[upTo - 1] === '\r') upTo--; // never split a \r\n
      if (upTo <= streamed) return;
      options.onOutput?.(this.transcript.slice(streamed, upTo).replace(/\r\n/g, '\n'));
      streamed = upTo;
    };
    let endAt: number;
    try {
      endAt = this.waitUntil(RESULT_MARKER, deadline, start, (tick) => {
        // Up to the marker if it arrived in this step; else hold back what may be its beginning.
        const marker = this.transcript.indexOf(RESULT_MARKER, streamed);
        stream(marker >= 0 ? marker : this.transcript.length - RESULT_MARKER.length);
        options.onStep?.(tick);
      }, finished);
    } catch (err) {
      if (this.poweredOff) stream(this.transcript.length); // the command stopped the machine: all it printed is its output
      throw err;
    }
    stream(endAt);
    const statusEnd = this.waitUntil('__\r\n', deadline, endAt, options.onStep, finished);
    const shellExited = this.transcript.startsWith(EXIT_MARKER, endAt);
    const status = Number.parseInt(this.transcript.slice(endAt + (shellExited ? EXIT_MARKER : END_MARKER).length, statusEnd), 10);
    this.waitUntil(prompt, deadline, statusEnd, options.onStep, { before: 'the shell prompt came back', notYet: 'the shell prompt did not come back' });
    return { output: this.transcript.slice(start, endAt).replace(/\r\n/g, '\n'), status, shellExited };
  }

  /** Types `command` (default `poweroff -f`) and runs until the guest powers off, within `budgetTicks`. */
  powerOff(budgetTicks: bigint, command = 'poweroff -f'): void {
    const deadline = this.machine.tick + budgetTicks;
    this.type(`${command}\n`);
    while (!this.poweredOff) {
      if (this.machine.tick >= deadline) throw new PrnrError('GUEST_TIMEOUT', `the guest did not power off within ${budgetTicks} ticks (at tick ${this.machine.tick})`);
      this.step(deadline);
    }
  }

  /** Types text at the console as UTF-8, as a terminal does (queued in the UART; the guest reads it as it runs). */
  type(text: string): void {
    const bytes = utf8Encode(text);
    const accepted = this.machine.typeInput(bytes);
    if (accepted < bytes.length) throw new PrnrError('INPUT_FULL', `console input queue is full (${accepted} of ${bytes.length} bytes taken)`);
  }

  /**
   * Runs until `text` appears at or after transcript offset `from`; returns
   * its offset. Errors say what was awaited in the caller's words (`what`).
   */
  private waitUntil(text: string, deadline: bigint, from: number, onStep?: (tick: bigint) => void, what = { before: `printing ${JSON.stringify(text)}`, notYet: `the guest did not print ${JSON.stringify(text)}` }): number {
    for (;;) {
      const at = this.transcript.indexOf(text, from);
      if (at >= 0) return at;
      if (this.poweredOff) throw new PrnrError('GUEST_POWEROFF', `the guest ${this.rebooted ? 'rebooted' : 'powered off'} before ${what.before}`);
      if (this.machine.tick >= deadline) throw new PrnrError('GUEST_TIMEOUT', `${what.notYet} by tick ${this.machine.tick}`);
      this.step(deadline);
      onStep?.(this.machine.tick);
    }
  }

  private step(end: bigint): void {
    const next = this.machine.tick + RUN_CHUNK_TICKS;
    const reason = this.machine.run(next < end ? next : end);
    const bytes = this.machine.drainConsole();
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    this.transcript += s;
    if (reason === StopReason.poweroff || reason === StopReason.reboot) {
      this.poweredOff = true;
      this.rebooted = reason === StopReason.reboot;
    }
  }
}
