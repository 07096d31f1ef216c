// The QEMU oracle: boot a guest image in qemu-system-riscv64 (virt board, TCG),
// wait for the shell prompt, run commands, and return what they printed.
//
// Our machine mirrors QEMU's virt board, so QEMU running the same image is the
// reference for boot behaviour, command output and speed.  Used by
// `npm run oracle` (scripts/oracle.ts), the oracle tests and the benchmark.
//
// Console protocol: each command is typed as one line
//   echo "__prnr_""begin__"; eval '<command>'; echo "__prnr_""end__ $?"
// The quotes make the echoed input differ from the markers the shell prints,
// so the output is exactly what lies between the two printed markers, however
// the line editor redraws the typed line.

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrnrError } from '../../src/shared/errors.ts';
import { resolveImagesDir, unpackImage, type UnpackedImage } from './images.ts';

export const DEFAULT_IMAGE = 'default';
export const DEFAULT_TIMEOUT_SEC = 120;
export const QEMU_BINARY = 'qemu-system-riscv64';

/** Whether QEMU is on PATH: tests that compare with it run only then (CI installs it). */
export function qemuInstalled(binary: string = QEMU_BINARY): boolean {
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const BEGIN_MARKER = '__prnr_begin__';
const END_MARKER = '__prnr_end__';
// After printing the prompt, BusyBox's line editor may ask the terminal for
// the cursor position (ESC [ 6 n); nobody answers, and that is harmless.
const TRAILING_CONTROL = '(?:\\x1b\\[[0-9;?]*[A-Za-z])*';

/** Matches console text that ends with the prompt (and terminal queries). */
function promptAtEnd(prompt: string): RegExp {
  return new RegExp(`${escapeRegExp(prompt)}${TRAILING_CONTROL}$`);
}

export interface OracleOptions {
  /** Image name under the images directory (default "default"). */
  image?: string;
  /** Images directory (default $PRNR_IMAGES_DIR or public/images). */
  imagesDir?: string;
  /** Seconds to wait for the prompt, and for each command (default 120). */
  timeoutSec?: number;
  /** QEMU executable (default qemu-system-riscv64 on PATH). */
  qemuBinary?: string;
  /** Called with every chunk the guest prints (e.g. to mirror the console). */
  onOutput?: (text: string) => void;
}

export interface CommandResult {
  command: string;
  /** What the command printed, with the terminal's \r\n turned into \n. */
  output: string;
  /** The shell's $? after the command. */
  status: number;
}

/** The QEMU command line for an unpacked image (paths are the decompressed files). */
export function qemuArgs(image: UnpackedImage): string[] {
  const { manifest, paths } = image;
  const args = [
    '-M', 'virt',
    '-m', `${manifest.ramMiB}M`,
    '-smp', '1',
    '-nographic',
    '-serial', 'stdio',
    '-monitor', 'none',
    '-no-reboot',
    '-bios', need(paths.firmware, 'firmware'),
    '-kernel', need(paths.kernel, 'kernel'),
    '-initrd', need(paths.initrd, 'initrd'),
    '-append', manifest.kernelCmdline,
  ];
  if (paths.disk) {
    args.push('-drive', `file=${paths.disk},format=raw,if=none,id=data`, '-device', 'virtio-blk-device,drive=data');
  }
  args.push('-device', 'virtio-rng-device');
  return args;
}

function need(path: string | undefined, role: string): string {
  if (!path) throw new PrnrError('IMAGE_CORRUPT', `image has no ${role} file`);
  return path;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A running guest with a shell on its console. */
export class QemuGuest {
  /** Milliseconds from starting QEMU to the first prompt. */
  bootMs = 0;
  private console = '';
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private waiters: Array<() => void> = [];
  private readonly exitPromise: Promise<void>;

  private constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly workDir: string,
    readonly image: UnpackedImage,
    readonly timeoutSec: number,
    private readonly onOutput?: (text: string) => void,
  ) {
    proc.stdout.setEncoding('latin1');
    proc.stdout.on('data', (chunk: string) => this.receive(chunk));
    proc.stderr.setEncoding('latin1');
    proc.stderr.on('data', (chunk: string) => this.receive(chunk));
    this.exitPromise = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exited = { code, signal };
        this.wake();
        resolve();
      });
    });
    proc.stdin.on('error', () => {}); // a write racing QEMU's exit is reported through waitFor
  }

  /** Unpack and verify the image, start QEMU and wait for the shell prompt. */
  static async boot(options: OracleOptions = {}): Promise<QemuGuest> {
    const name = options.image ?? DEFAULT_IMAGE;
    const timeoutSec = options.timeoutSec ?? DEFAULT_TIMEOUT_SEC;
    const workDir = await mkdtemp(join(tmpdir(), 'prnr-oracle-'));
    let image: UnpackedImage;
    try {
      image = await unpackImage(resolveImagesDir(options.imagesDir), name, workDir);
    } catch (err) {
      await rm(workDir, { recursive: true, force: true });
      throw err;
    }
    const binary = options.qemuBinary ?? QEMU_BINARY;
    const started = performance.now();
    const proc = spawn(binary, qemuArgs(image), { stdio: ['pipe', 'pipe', 'pipe'] });
    const spawned = await new Promise<Error | null>((resolve) => {
      proc.once('spawn', () => resolve(null));
      proc.once('error', resolve);
    });
    if (spawned) {
      await rm(workDir, { recursive: true, force: true });
      throw new PrnrError('QEMU_NOT_FOUND', `cannot run ${binary}: ${spawned.message} (apt-get install qemu-system-misc)`);
    }
    const guest = new QemuGuest(proc, workDir, image, timeoutSec, options.onOutput);
    try {
      const prompt = promptAtEnd(image.manifest.prompt);
      await guest.waitFor((text) => prompt.test(text), 0, 'reach the shell prompt');
    } catch (err) {
      await guest.kill();
      throw err;
    }
    guest.bootMs = performance.now() - started;
    return guest;
  }

  /** Everything the guest printed so far (boot log included), \r\n kept. */
  get consoleText(): string {
    return this.console;
  }

  /** Run one shell command line and return its output and exit status. */
  async run(command: string): Promise<CommandResult> {
    const from = this.console.length;
    const line = `echo "__prnr_""begin__"; eval ${shellQuote(command)}; echo "__prnr_""end__ $?"\n`;
    this.proc.stdin.write(line);
    const endPattern = new RegExp(
      // between the marker and the prompt the shell may report finished jobs
      `${END_MARKER} (\\d+)\\r?\\n[\\s\\S]*?${promptAtEnd(this.image.manifest.prompt).source}`,
    );
    await this.waitFor((text) => endPattern.test(text), from, `finish the command "${command}"`);
    const text = this.console.slice(from);
    const begin = new RegExp(`(^|\\n)${BEGIN_MARKER}\\r?\\n`).exec(text);
    const end = endPattern.exec(text);
    if (!begin || !end) throw new PrnrError('ORACLE_PROTOCOL', `could not find the output of "${command}"`);
    const outputStart = begin.index + begin[0].length;
    const outputEnd = end.index; // output without a final newline runs into the marker
    return {
      command,
      output: text.slice(outputStart, outputEnd).replace(/\r\n/g, '\n'),
      status: Number(end[1]),
    };
  }

  /** `poweroff -f` and wait for QEMU to exit (killing it if it does not). */
  async poweroff(): Promise<void> {
    if (!this.exited) {
      this.proc.stdin.write('poweroff -f\n');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
      await this.exitPromise;
      clearTimeout(timer);
    }
    await rm(this.workDir, { recursive: true, force: true });
  }

  /** Stop QEMU at once and remove the unpacked files. */
  async kill(): Promise<void> {
    if (!this.exited) {
      this.proc.kill('SIGKILL');
      await this.exitPromise;
    }
    await rm(this.workDir, { recursive: true, force: true });
  }

  private receive(chunk: string): void {
    this.console += chunk;
    this.onOutput?.(chunk);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async waitFor(done: (text: string) => boolean, from: number, what: string): Promise<void> {
    const deadline = performance.now() + this.timeoutSec * 1000;
    for (;;) {
      if (done(this.console.slice(from))) return;
      if (this.exited) {
        throw new PrnrError(
          'GUEST_EXITED',
          `QEMU exited (${this.exited.signal ?? `code ${this.exited.code}`}) before the guest could ${what}; last output: ${lastLine(this.console)}`,
        );
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new PrnrError(
          'GUEST_TIMEOUT',
          `the guest did not ${what} within ${this.timeoutSec} s; last output: ${lastLine(this.console)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lastLine(text: string): string {
  const lines = text.replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
  return JSON.stringify(lines.at(-1) ?? '(nothing)');
}

/** Boot once, run each command in turn, power off; results in command order. */
export async function runCommands(commands: readonly string[], options: OracleOptions = {}): Promise<CommandResult[]> {
  const guest = await QemuGuest.boot(options);
  try {
    const results: CommandResult[] = [];
    for (const command of commands) results.push(await guest.run(command));
    await guest.poweroff();
    return results;
  } catch (err) {
    await guest.kill();
    throw err;
  }
}

/** Boot, run one command, power off; returns what it printed. */
export async function runCommand(command: string, options: OracleOptions = {}): Promise<CommandResult> {
  const [result] = await runCommands([command], options);
  return result!;
}

/** Wall-clock milliseconds from starting QEMU to the first shell prompt. */
export async function bootToPromptMs(options: OracleOptions = {}): Promise<number> {
  const guest = await QemuGuest.boot(options);
  await guest.poweroff();
  return guest.bootMs;
}
