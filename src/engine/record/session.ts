// Drives a recorder the way a user at the console would: wait for the shell
// prompt, type a command line, wait for the next prompt, ...; then type
// `poweroff -f` and run until the guest powers off. The recorder owns the run
// loop (every snapshot boundary and input tick is exact); GuestConsole drives
// it as it drives a plain machine.
import { GuestConsole } from '../guest-console';
import type { Recorder } from './recorder';

export interface SessionOptions {
  prompt: string;
  commands: readonly string[];
  /** Ticks to wait for each prompt (and for the poweroff). */
  budgetTicks?: bigint;
  /** The command that powers the guest off at the end. */
  poweroff?: string;
}

/** Types each command at the prompt, then powers off; finishes the recording. Returns the transcript. */
export function runSession(recorder: Recorder, options: SessionOptions, onCommand?: (index: number, command: string) => void): string {
  const budget = options.budgetTicks ?? 20_000_000_000n;
  const guest = new GuestConsole(recorder);
  guest.waitFor(options.prompt, budget, 0);
  for (const [i, command] of options.commands.entries()) {
    onCommand?.(i, command);
    const from = guest.transcript.length;
    guest.type(`${command}\n`);
    guest.waitFor(options.prompt, budget, from);
  }
  guest.powerOff(budget, options.poweroff);
  recorder.finish();
  return guest.transcript;
}
