// Drives a booted machine through its serial console, headless: run until the
// guest prints something (the shell prompt, an end marker), type input, keep
// the transcript. Used by `prnr boot --cmd`, the recorder and the benchmarks.
import { PrnrError } from '../shared/errors';
import { StopReason, type Machine } from './machine';

/** Ticks per run() call: short enough that V8 tiers the interpreter up early, long enough to amortise the call. */
export const RUN_CHUNK_TICKS = 2_000_000n;

const BEGIN_MARKER = '__PRNR_BEGIN__';
const END_MARKER = '__PRNR_END_';

export interface CommandOutput {
  /** What the command printed, with the terminal's \r\n turned into \n. */
  output: string;
  /** The shell's $? after the command. */
  status: number;
}

export interface WaitResult {
  /** Output since the wait began, up to and including the awaited text. */
  text: string;
  tick: bigint;
}

export class GuestConsole {
  /** Everything the guest printed, as latin1 text (one char per byte). */
  transcript = '';
  poweredOff = false;
  private onOutput: ((bytes: Uint8Array) => void) | undefined;

  constructor(readonly machine: Machine) {}

  /** Also hands every output byte to `listener` as it appears (e.g. to a terminal). */
  pipeTo(listener: (bytes: Uint8Array) => void): void {
    this.onOutput = listener;
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
  waitFor(text: string, budgetTicks: bigint, from = this.transcript.length): WaitResult {
    const end = this.machine.tick + budgetTicks;
    for (;;) {
      const at = this.transcript.indexOf(text, from);
      if (at >= 0) return { text: this.transcript.slice(from, at + text.length), tick: this.machine.tick };
      if (this.poweredOff) throw new PrnrError('GUEST_POWEROFF', `the guest powered off before printing ${JSON.stringify(text)}`);
      if (this.machine.tick >= end) {
        throw new PrnrError('GUEST_TIMEOUT', `the guest did not print ${JSON.stringify(text)} within ${budgetTicks} ticks (at tick ${this.machine.tick})`);
      }
      this.step(end);
    }
  }

  /**
   * Types `command` at the shell prompt as a user would and returns what it
   * printed and its exit status, once the prompt is back. Markers printed
   * around the command delimit its output; they are quoted in the typed line,
   * so the line editor's echo (however it wraps) never matches them.
   */
  runCommand(command: string, prompt: string, budgetTicks: bigint): CommandOutput {
    const from = this.transcript.length;
    this.type(`echo ${BEGIN_MARKER.slice(0, 7)}""${BEGIN_MARKER.slice(7)}; ${command}; echo ${END_MARKER.slice(0, 7)}""${END_MARKER.slice(7)}$?__\n`);
    const begin = this.waitFor(`${BEGIN_MARKER}\r\n`, budgetTicks, from);
    const start = from + begin.text.length;
    const body = this.waitFor(END_MARKER, budgetTicks, start);
    const statusEnd = this.waitFor('__\r\n', budgetTicks, start + body.text.length);
    const status = Number.parseInt(statusEnd.text.slice(0, -4), 10);
    const afterMarker = start + body.text.length + statusEnd.text.length;
    this.waitFor(prompt, budgetTicks, afterMarker);
    return { output: body.text.slice(0, -END_MARKER.length).replace(/\r\n/g, '\n'), status };
  }

  /** Types text at the console (queued in the UART; the guest reads it as it runs). */
  type(text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    const accepted = this.machine.typeInput(bytes);
    if (accepted < bytes.length) throw new PrnrError('INPUT_FULL', `console input queue is full (${accepted} of ${bytes.length} bytes taken)`);
  }

  private step(end: bigint): void {
    const next = this.machine.tick + RUN_CHUNK_TICKS;
    const reason = this.machine.run(next < end ? next : end);
    this.collect();
    if (reason === StopReason.poweroff || reason === StopReason.reboot) this.poweredOff = true;
  }

  private collect(): void {
    const bytes = this.machine.drainConsole();
    if (bytes.length === 0) return;
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    this.transcript += s;
    this.onOutput?.(bytes);
  }
}
