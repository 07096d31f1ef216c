// Drives a booted machine through its serial console, headless: run until the
// guest prints something (the shell prompt, an end marker), type input, keep
// the transcript. Used by `prnr boot --cmd`, the recorder's scripted sessions
// (a Recorder is a ConsoleMachine that snapshots and logs input as it runs),
// the tests and the benchmarks.
import { latin1FromBytes } from '../shared/bytes';
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
  /**
   * Everything the guest printed, as bytes: appended to and searched in place, so that waiting
   * through a console flood costs time in proportion to its size (a string grown by every chunk
   * and searched after each was copied whole each time).
   */
  private printed = new Uint8Array(1 << 16);
  private printedLength = 0;
  private printedText = '';
  /** The machine stopped: the guest powered off, or rebooted (which `rebooted` tells apart). */
  poweredOff = false;
  rebooted = false;

  constructor(readonly machine: ConsoleMachine) {}

  /** Everything the guest printed, as latin1 text (one char per byte). */
  get transcript(): string {
    if (this.printedText.length < this.printedLength) this.printedText += latin1FromBytes(this.printed.subarray(this.printedText.length, this.printedLength));
    return this.printedText;
  }

  /** Transcript offsets [from, to) as latin1 text. */
  private text(from: number, to = this.printedLength): string {
    return latin1FromBytes(this.printed.subarray(from, Math.min(to, this.printedLength)));
  }

  /** Offset of the first `text` (latin1) in the transcript at or after `from`, or -1. */
  private indexOf(text: string, from: number): number {
    const printed = this.printed.subarray(0, this.printedLength);
    const first = text.charCodeAt(0);
    const last = printed.length - text.length;
    for (let at = printed.indexOf(first, from); at >= 0 && at <= last; at = printed.indexOf(first, at + 1)) {
      let k = 1;
      while (k < text.length && printed[at + k] === text.charCodeAt(k)) k++;
      if (k === text.length) return at;
    }
    return -1;
  }

  /** Runs at most `ticks` more ticks; returns early at poweroff. */
  runFor(ticks: bigint): void {
    const end = this.machine.tick + ticks;
    while (!this.poweredOff && this.machine.tick < end) this.step(end);
  }

  /**
   * Runs until the output printed after `from` (a transcript offset, default:
   * now) contains `text`, or throws GUEST_TIMEOUT after `budgetTicks`.
   */
  waitFor(text: string, budgetTicks: bigint, from = this.printedLength): WaitResult {
    const at = this.waitUntil(text, this.machine.tick + budgetTicks, from);
    return { text: this.text(from, at + text.length), tick: this.machine.tick };
  }

  /**
   * Types `command` at the shell prompt as a user would and returns what it
   * printed and its exit status, once the prompt is back; all within
   * `budgetTicks`. Markers echoed around the command delimit its output; an
   * EXIT trap, set for the command only, reports a command that ends the shell.
   */
  runCommand(command: string, prompt: string, budgetTicks: bigint, options: RunCommandOptions = {}): CommandOutput {
    const deadline = this.machine.tick + budgetTicks;
    const from = this.printedLength;
    const finished = { before: 'the command finished', notYet: 'the command did not finish' };
    this.type(`${echoMarker(BEGIN_MARKER)}; trap ${shellQuote(`${echoMarker(EXIT_MARKER)}$?__`)} EXIT; eval ${shellQuote(command)}; ${echoMarker(END_MARKER)}$?__; trap - EXIT\n`);
    const start = this.waitUntil(`${BEGIN_MARKER}\r\n`, deadline, from, options.onStep, finished) + BEGIN_MARKER.length + 2;
    let streamed = start;
    const stream = (upTo: number) => {
      if (upTo > streamed && this.printed[upTo - 1] === 0x0d) upTo--; // never split a \r\n
      if (upTo <= streamed) return;
      options.onOutput?.(this.text(streamed, upTo).replace(/\r\n/g, '\n'));
      streamed = upTo;
    };
    let endAt: number;
    try {
      endAt = this.waitUntil(RESULT_MARKER, deadline, start, (tick) => {
        // Up to the marker if it arrived in this step; else hold back what may be its beginning.
        const marker = this.indexOf(RESULT_MARKER, streamed);
        stream(marker >= 0 ? marker : this.printedLength - RESULT_MARKER.length);
        options.onStep?.(tick);
      }, finished);
    } catch (err) {
      if (this.poweredOff) stream(this.printedLength); // the command stopped the machine: all it printed is its output
      throw err;
    }
    stream(endAt);
    const statusEnd = this.waitUntil('__\r\n', deadline, endAt, options.onStep, finished);
    const shellExited = this.indexOf(EXIT_MARKER, endAt) === endAt;
    const status = Number.parseInt(this.text(endAt + (shellExited ? EXIT_MARKER : END_MARKER).length, statusEnd), 10);
    this.waitUntil(prompt, deadline, statusEnd, options.onStep, { before: 'the shell prompt came back', notYet: 'the shell prompt did not come back' });
    return { output: this.text(start, endAt).replace(/\r\n/g, '\n'), status, shellExited };
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
    // Each step searches only what it added (and the tail that may hold the text's beginning).
    for (let searchFrom = from; ; ) {
      const at = this.indexOf(text, searchFrom);
      if (at >= 0) return at;
      searchFrom = Math.max(from, this.printedLength - text.length + 1);
      if (this.poweredOff) throw new PrnrError('GUEST_POWEROFF', `the guest ${this.rebooted ? 'rebooted' : 'powered off'} before ${what.before}`);
      if (this.machine.tick >= deadline) throw new PrnrError('GUEST_TIMEOUT', `${what.notYet} by tick ${this.machine.tick}`);
      this.step(deadline);
      onStep?.(this.machine.tick);
    }
  }

  private append(bytes: Uint8Array): void {
    if (this.printedLength + bytes.length > this.printed.length) {
      const grown = new Uint8Array(Math.max(this.printed.length * 2, this.printedLength + bytes.length));
      grown.set(this.printed.subarray(0, this.printedLength));
      this.printed = grown;
    }
    this.printed.set(bytes, this.printedLength);
    this.printedLength += bytes.length;
  }

  private step(end: bigint): void {
    const next = this.machine.tick + RUN_CHUNK_TICKS;
    const reason = this.machine.run(next < end ? next : end);
    this.append(this.machine.drainConsole());
    if (reason === StopReason.poweroff || reason === StopReason.reboot) {
      this.poweredOff = true;
      this.rebooted = reason === StopReason.reboot;
    }
  }
}
