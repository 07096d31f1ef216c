// Drives a recorder the way a user at the console would: wait for the shell
// prompt, type a command line, wait for the next prompt, ...; then type
// `poweroff -f` and run until the guest powers off. (GuestConsole does the
// same for a plain machine; the recorder owns the run loop here, so that every
// snapshot boundary and input tick is exact.)
import { PrnrError } from '../../shared/errors';
import { RUN_CHUNK_TICKS } from '../guest-console';
import type { Recorder } from './recorder';

export interface SessionOptions {
  prompt: string;
  commands: readonly string[];
  /** Ticks to wait for each prompt (and for the poweroff). */
  budgetTicks?: bigint;
  /** The command that powers the guest off at the end. */
  poweroff?: string;
}

export class RecordedConsole {
  transcript = '';

  constructor(readonly recorder: Recorder) {
    recorder.onOutput((bytes) => {
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      this.transcript += s;
    });
  }

  /** Runs until the output after transcript offset `from` contains `text`. */
  waitFor(text: string, budgetTicks: bigint, from = this.transcript.length): void {
    const end = this.recorder.tick + budgetTicks;
    for (;;) {
      if (this.transcript.indexOf(text, from) >= 0) return;
      if (this.recorder.poweredOff) throw new PrnrError('GUEST_POWEROFF', `the guest powered off before printing ${JSON.stringify(text)}`);
      if (this.recorder.tick >= end) throw new PrnrError('GUEST_TIMEOUT', `the guest did not print ${JSON.stringify(text)} within ${budgetTicks} ticks (at tick ${this.recorder.tick})`);
      const next = this.recorder.tick + RUN_CHUNK_TICKS;
      this.recorder.run(next < end ? next : end);
    }
  }

  type(text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    this.recorder.input(bytes);
  }

  runUntilPoweroff(budgetTicks: bigint): void {
    const end = this.recorder.tick + budgetTicks;
    while (!this.recorder.poweredOff) {
      if (this.recorder.tick >= end) throw new PrnrError('GUEST_TIMEOUT', `the guest did not power off within ${budgetTicks} ticks`);
      const next = this.recorder.tick + RUN_CHUNK_TICKS;
      this.recorder.run(next < end ? next : end);
    }
  }
}

/** Types each command at the prompt, then powers off; finishes the recording. Returns the transcript. */
export function runSession(recorder: Recorder, options: SessionOptions, onCommand?: (index: number, command: string) => void): string {
  const budget = options.budgetTicks ?? 20_000_000_000n;
  const console = new RecordedConsole(recorder);
  console.waitFor(options.prompt, budget, 0);
  for (const [i, command] of options.commands.entries()) {
    onCommand?.(i, command);
    const from = console.transcript.length;
    console.type(`${command}\n`);
    console.waitFor(options.prompt, budget, from);
  }
  console.type(`${options.poweroff ?? 'poweroff -f'}\n`);
  console.runUntilPoweroff(budget);
  recorder.finish();
  return console.transcript;
}
