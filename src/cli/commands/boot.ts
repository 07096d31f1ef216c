// `prnr boot`: boots a guest image in this process. Interactive by default
// (a live session paced to the wall clock, the terminal wired to the guest's
// serial console); with --cmd, headless and as fast as the machine runs:
// wait for the shell prompt, run one command, print its output, power off.
import { PrnrError, errorCode, errorMessage } from '../../shared/errors';
import { formatTick } from '../../shared/tick';
import { GuestConsole } from '../../engine/guest-console';
import { DEFAULT_IMAGE_NAME, type BootImage } from '../../engine/images';
import { LiveSession } from '../../engine/live-session';
import { Machine } from '../../engine/machine';
import { loadNodeBootConfig } from '../../engine/node/images';
import { nodeLiveHost } from '../../engine/node/live-host';
import { compileMachineModule } from '../../engine/node/machine-module';
import { commandUsage, parseCommandArgs, tickOption, type OptionTable, JIT_OPTIONS } from '../args';
import type { Command } from '../command';
import { useInterpreterOnly } from '../jit';
import { UsageError } from '../errors';

/** Default --budget: 20 G ticks, about 200 s of guest time at the nominal 100 M ticks per second. */
export const DEFAULT_BOOT_BUDGET = 20_000_000_000n;
/** Ctrl-]: leaves an interactive session (as in telnet). */
const LEAVE_KEY = 0x1d;

const options = {
  image: { type: 'string', arg: 'NAME', help: 'the guest image (default "default")' },
  cmd: { type: 'string', arg: 'COMMAND', help: 'run COMMAND headless and print its output' },
  budget: { type: 'string', arg: 'TICKS', help: `with --cmd: fail if the guest has not finished within TICKS ticks\n(default ${DEFAULT_BOOT_BUDGET}, about 200 s of guest time)` },
  ...JIT_OPTIONS,
} as const satisfies OptionTable;

interface Progress {
  update(tick: bigint): void;
  clear(): void;
}

/** "booting… tick N" on stderr, only when stderr is a terminal. */
function progressLine(label: string): Progress {
  const tty = process.stderr.isTTY;
  let shown = false;
  let lastMs = 0;
  return {
    update(tick) {
      const now = Date.now();
      if (!tty || now - lastMs < 200) return;
      lastMs = now;
      process.stderr.write(`\r\x1b[Kprnr: ${label}… tick ${formatTick(tick)}`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

/**
 * Boots headless, runs `cmd` at the shell prompt streaming its output to
 * stdout, powers off; all within `budget` ticks. Resolves to what a user
 * should be told of how the command ended, if it did not simply exit 0.
 */
function runCommand(machine: Machine, image: BootImage, cmd: string, budget: bigint): string | undefined {
  const progress = progressLine('booting');
  const guest = new GuestConsole(machine);
  const deadline = machine.tick + budget;
  const left = () => (deadline > machine.tick ? deadline - machine.tick : 0n);
  const outOfBudget = (what: string) => new PrnrError('GUEST_TIMEOUT', `${what} within its --budget of ${formatTick(budget)} ticks (at tick ${formatTick(machine.tick)}); raise --budget if it needs longer`);
  try {
    try {
      guest.waitFor(image.manifest.prompt, budget);
    } catch (err) {
      if (errorCode(err) === 'GUEST_TIMEOUT') throw outOfBudget(`the guest did not reach its shell prompt ${JSON.stringify(image.manifest.prompt)}`);
      throw err;
    }
    let ended: string | undefined;
    try {
      const { status, shellExited } = guest.runCommand(cmd, image.manifest.prompt, left(), {
        onOutput: (text) => {
          progress.clear();
          process.stdout.write(Buffer.from(text, 'latin1'));
        },
        onStep: (tick) => progress.update(tick),
      });
      if (shellExited) ended = `the shell exited with status ${status}`;
      else if (status !== 0) ended = `the command exited with status ${status}`;
    } catch (err) {
      // The command powered the guest off (or rebooted it): the session is over, nothing is left to do.
      if (errorCode(err) === 'GUEST_POWEROFF') return errorMessage(err);
      if (errorCode(err) === 'GUEST_TIMEOUT') throw outOfBudget('the command did not finish');
      throw err;
    }
    guest.powerOff(left());
    return ended;
  } finally {
    progress.clear();
  }
}

/** Boots with the terminal wired to the guest console, paced to the wall clock, until Ctrl-] or poweroff. */
async function runInteractive(machine: Machine, image: BootImage): Promise<void> {
  const session = new LiveSession(machine, nodeLiveHost);
  session.onConsole((bytes) => process.stdout.write(bytes));
  const stdin = process.stdin;
  const raw = stdin.isTTY;
  if (process.stderr.isTTY) process.stderr.write(`prnr: booting image "${image.name}" (Ctrl-] leaves)\r\n`);
  const onData = (data: Buffer) => {
    const leave = data.indexOf(LEAVE_KEY);
    session.sendInput(new Uint8Array(leave >= 0 ? data.subarray(0, leave) : data));
    if (leave >= 0) session.stop();
  };
  if (raw) stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  try {
    await session.start();
  } finally {
    stdin.off('data', onData);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    process.stdout.write('\n');
  }
}

export const command: Command = {
  name: 'boot',
  summary: 'boot a guest image to a shell (interactive, or run one command with --cmd)',
  usage: commandUsage('prnr boot [--image NAME] [--cmd COMMAND] [--budget TICKS]', [
    'Boots guest image NAME (default "default", from public/images or $PRNR_IMAGES_DIR)',
    'after checking every file against its manifest.',
    '',
    'Without --cmd, the terminal is the guest\'s serial console, in real time:',
    'type at the shell; Ctrl-] leaves. prnr exits when you leave or the guest powers off.',
    '',
    'With --cmd, boots headless as fast as the machine runs, waits for the shell',
    'prompt, runs COMMAND, prints only its output, then powers the guest off.',
    'How COMMAND ended, if not with status 0, is reported on stderr (its exit status, the shell',
    'exiting, the guest powering off or rebooting); prnr still exits 0.',
  ], options),
  async run(argv) {
    const { values } = parseCommandArgs('boot', argv, options);
    if (values['no-jit']) useInterpreterOnly();
    const budget = values.budget === undefined ? DEFAULT_BOOT_BUDGET : tickOption('budget', values.budget);
    if (values.cmd === '') throw new UsageError('--cmd needs a command');
    const name = values.image ?? DEFAULT_IMAGE_NAME;
    if (process.stderr.isTTY) process.stderr.write(`prnr: verifying image "${name}"…`);
    const [{ image, config }, module] = await Promise.all([loadNodeBootConfig(name), compileMachineModule()]).finally(() => {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    });
    const machine = await Machine.create(module);
    machine.boot(config);
    if (values.cmd === undefined) {
      await runInteractive(machine, image);
      return 0;
    }
    const ended = runCommand(machine, image, values.cmd, budget);
    if (ended) process.stderr.write(`prnr: ${ended}\n`);
    return 0;
  },
};
