// `prnr record`: boots a guest image headless, types each command at the shell
// prompt as a user would, powers off and writes the recording (written as it
// goes to <out>.partial, renamed to <out> when finished). Ctrl-C (SIGINT, or
// SIGTERM) stops it cleanly: the session pauses for the event loop every
// few tens of milliseconds, sees the signal, lets the snapshot worker write
// every snapshot it was given, and leaves <out>.partial, which keeps every
// slice up to its last snapshot; prnr says what was kept and how to open it.
// A second Ctrl-C quits at once (the .partial still holds what was written).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errorCode, errorMessage } from '../../shared/errors';
import { PARTIAL_SUFFIX } from '../../shared/recording/format';
import { checkRecordingPath, openRecordingFile } from '../../engine/node/recording-file';
import { DEFAULT_IMAGE_NAME } from '../../engine/images';
import { Machine } from '../../engine/machine';
import { nodeSha256 } from '../../engine/node/hash';
import { loadNodeBootConfig } from '../../engine/node/images';
import { fileErrorText } from '../../engine/node/file-errors';
import { compileMachineModule } from '../../engine/node/machine-module';
import { SnapshotWorkerPipeline } from '../../engine/node/snapshot-worker';
import { DEFAULT_SLICE_TICKS, MAX_SLICE_TICKS, MIN_SLICE_TICKS, Recorder, sliceTicksProblem } from '../../engine/record/recorder';
import { runSessionInterruptibly } from '../../engine/record/session';
import { describeImageFiles } from '../../engine/replay/boot';
import { commandUsage, parseCommandArgs, tickOption, u64Option, type OptionTable, JIT_OPTIONS } from '../args';
import type { Command } from '../command';
import { useInterpreterOnly } from '../jit';
import { UsageError } from '../errors';
import { readSigningKey } from '../keys';

const options = {
  cmd: { type: 'string', multiple: true, arg: 'COMMAND', help: 'a command line to type (repeatable; typed as one line, ";" included)' },
  script: { type: 'string', arg: 'FILE', help: 'a file of command lines, one per line (blank lines skipped)' },
  output: { type: 'string', short: 'o', arg: 'OUT', help: 'the recording file (written as OUT.partial until finished)' },
  'slice-ticks': { type: 'string', arg: 'N', help: `snapshot interval in ticks, ${MIN_SLICE_TICKS} to ${MAX_SLICE_TICKS} (default ${DEFAULT_SLICE_TICKS})` },
  image: { type: 'string', arg: 'NAME', help: 'guest image (default "default")' },
  budget: { type: 'string', arg: 'TICKS', help: 'fail if a prompt takes longer than TICKS ticks (default 20000000000)' },
  force: { type: 'boolean', help: 'overwrite an existing OUT (never an OUT.partial: that is another\nrecording, running or interrupted)' },
  seed: { type: 'string', arg: 'N', help: 'the guest\'s entropy seed, 0 to 2^64-1 (default: a fresh one from the host for\nevery recording; the same seed and commands make a byte-identical recording)' },
  sign: { type: 'string', arg: 'KEY.pem', help: 'sign the recording with this Ed25519 private key (PEM; prnr keygen writes one)' },
  ...JIT_OPTIONS,
} as const satisfies OptionTable;

/** Exit status after an interruption, as shells report a process ended by SIGINT. */
const EXIT_INTERRUPTED = 130;

/** Until disposed, SIGINT and SIGTERM ask the recording to stop (the first time) or end the process (the second). */
function stopOnSignals(partialPath: string): { requested: () => boolean; dispose(): void } {
  let requested = false;
  const onSignal = () => {
    if (requested) {
      process.stderr.write(`\nprnr: stopped at once; ${partialPath} keeps what was written\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    requested = true;
    process.stderr.write('\nprnr: stopping the recording (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested: () => requested,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** What an interrupted recording kept, read back from the file itself. */
function keptReport(partialPath: string, tick: bigint, command: string): string[] {
  const lines = [`prnr: interrupted at tick ${tick}${command}`];
  try {
    const { recording, source } = openRecordingFile(partialPath);
    source.close();
    const last = recording.snapshots[recording.snapshots.length - 1];
    const slices = recording.slices.length;
    lines.push(
      `prnr: kept ${slices} slice${slices === 1 ? '' : 's'}, ticks 0 to ${last.tick} (up to the last snapshot), in ${partialPath}`,
      `prnr: it opens in recovery mode: prnr info ${partialPath}, prnr replay ${partialPath}, prnr seek ${partialPath} --tick T`,
    );
  } catch (err) {
    lines.push(`prnr: ${partialPath} is left as written, but does not open: ${errorMessage(err)}`);
  }
  return lines;
}

export const command: Command = {
  name: 'record',
  summary: 'record a scripted session: boot, type commands at the prompt, power off',
  usage: commandUsage('prnr record (--cmd COMMAND ... | --script FILE) -o OUT.prnr [options]', [
    'Boots the guest image headless, types each command line at the shell prompt, waits for the',
    'next prompt, then powers off (poweroff -f) and writes the recording to OUT.prnr. A command',
    'that powers the guest off or reboots it ends the session there, recorded to its end.',
    '',
    'Ctrl-C stops it cleanly: OUT.prnr.partial keeps every slice up to the last snapshot and',
    'opens in recovery mode (prnr info, replay and seek take it); prnr exits 130.',
  ], options),
  async run(argv) {
    const { values } = parseCommandArgs('record', argv, options);
    if (values['no-jit']) useInterpreterOnly();
    if (!values.output) throw new UsageError('record needs -o OUT.prnr');
    const commands = [...(values.cmd ?? [])];
    if (values.script) {
      const text = await readFile(values.script, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`--script: cannot read ${values.script}: ${fileErrorText(err) ?? err.message}`);
      });
      commands.push(...text.split(/\r?\n/).filter((line) => line.trim() !== ''));
    }
    if (commands.length === 0) throw new UsageError('record needs at least one --cmd or a --script');
    const sliceTicks = values['slice-ticks'] ? tickOption('slice-ticks', values['slice-ticks']) : DEFAULT_SLICE_TICKS;
    const sliceProblem = sliceTicksProblem(sliceTicks);
    if (sliceProblem) throw new UsageError(`--slice-ticks: ${sliceProblem}`);
    const budget = values.budget ? tickOption('budget', values.budget) : undefined;
    const signing = values.sign === undefined ? undefined : readSigningKey('--sign', values.sign);
    // Every source of randomness the guest sees derives from this seed (docs/design.md 2), stored in the header.
    const entropySeed = values.seed === undefined ? randomBytes(8).readBigUInt64LE() : u64Option('seed', values.seed, 'a seed');

    const output = values.output;
    checkRecordingPath(output, { force: values.force });
    const partialPath = output + PARTIAL_SUFFIX;
    const stop = stopOnSignals(partialPath);
    try {
      const { image, config } = await loadNodeBootConfig(values.image ?? DEFAULT_IMAGE_NAME, { entropySeed });
      const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
      const module = await compileMachineModule();
      if (stop.requested()) {
        process.stderr.write('prnr: interrupted before recording began; nothing was written\n');
        return EXIT_INTERRUPTED;
      }
      // Snapshots are hashed and written on a worker; the machine only pauses to copy what changed.
      const pipeline = new SnapshotWorkerPipeline(output, { force: values.force, signingKeyPem: signing?.pem });
      const tty = process.stderr.isTTY;
      let recorder: Recorder | undefined;
      let current = -1;
      try {
        recorder = new Recorder({
          machine: await Machine.create(module),
          config,
          image: { name: image.name, files: describeImageFiles(image) },
          output: { pipeline },
          sha256: nodeSha256,
          sliceTicks,
          createdBy: `prnr ${pkg.version}`,
          commands,
        });
        const started = Date.now();
        const rec = recorder;
        await runSessionInterruptibly(rec, { prompt: image.manifest.prompt, commands, budgetTicks: budget }, { interrupted: stop.requested, yieldToHost: () => new Promise((resolve) => setImmediate(resolve)) }, (i, cmd) => {
          current = i;
          const line = `prnr: [${i + 1}/${commands.length}] tick ${rec.tick}: ${cmd}`;
          process.stderr.write(tty ? `\r\x1b[K${line.slice(0, (process.stderr.columns ?? 80) - 1)}` : `${line}\n`);
        });
        if (tty) process.stderr.write('\r\x1b[K');
        const stats = rec.stats;
        const pauses = stats.map((s) => s.pauseMs).sort((a, b) => a - b);
        console.log(`recorded ${output}: ${rec.tick} ticks, ${stats.length - 1} slices, ${commands.length} commands, ${rec.bytesWritten} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s${signing ? `, signed by Ed25519 key ${signing.publicKey}` : ''}`);
        const work = stats.map((s) => s.processed?.processMs ?? 0).sort((a, b) => a - b);
        console.log(`snapshot pause: median ${pauses[pauses.length >> 1].toFixed(1)} ms, max ${pauses[pauses.length - 1].toFixed(1)} ms; hashing and writing on a worker: median ${work[work.length >> 1].toFixed(1)} ms`);
        return 0;
      } catch (err) {
        if (tty) process.stderr.write('\r\x1b[K');
        // Keep the .partial (it replays up to its last snapshot) unless nothing was recorded at all.
        if (!recorder || errorCode(err) !== 'INTERRUPTED') {
          if (recorder) pipeline.abort();
          else pipeline.discard();
          throw err;
        }
        if (recorder.stats.length < 2) {
          pipeline.discard();
          process.stderr.write(`prnr: interrupted at tick ${recorder.tick}, before the first snapshot after boot; nothing was kept\n`);
          return EXIT_INTERRUPTED;
        }
        pipeline.abort();
        const during = current < 0 ? ', while the guest booted' : `, during command ${current + 1} of ${commands.length} (${JSON.stringify(commands[current])})`;
        process.stderr.write(keptReport(partialPath, recorder.tick, during).join('\n') + '\n');
        return EXIT_INTERRUPTED;
      }
    } finally {
      stop.dispose();
    }
  },
};
