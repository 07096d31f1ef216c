// `prnr record`: boots a guest image headless, types each command at the shell
// prompt as a user would, powers off and writes the recording (written as it
// goes to <out>.partial, renamed to <out> when finished).
import { readFile } from 'node:fs/promises';
import { DEFAULT_IMAGE_NAME } from '../../engine/images';
import { Machine } from '../../engine/machine';
import { nodeSha256 } from '../../engine/node/hash';
import { loadNodeBootConfig } from '../../engine/node/images';
import { compileMachineModule } from '../../engine/node/machine-module';
import { SnapshotWorkerPipeline } from '../../engine/node/snapshot-worker';
import { DEFAULT_SLICE_TICKS, Recorder } from '../../engine/record/recorder';
import { runSession } from '../../engine/record/session';
import { describeImageFiles } from '../../engine/replay/boot';
import { commandUsage, parseCommandArgs, tickOption, type OptionTable } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';

const options = {
  cmd: { type: 'string', multiple: true, arg: 'COMMAND', help: 'a command line to type (repeatable; typed as one line, ";" included)' },
  script: { type: 'string', arg: 'FILE', help: 'a file of command lines, one per line (blank lines skipped)' },
  output: { type: 'string', short: 'o', arg: 'OUT', help: 'the recording file (written as OUT.partial until finished)' },
  'slice-ticks': { type: 'string', arg: 'N', help: `snapshot interval in ticks (default ${DEFAULT_SLICE_TICKS})` },
  image: { type: 'string', arg: 'NAME', help: 'guest image (default "default")' },
  budget: { type: 'string', arg: 'TICKS', help: 'fail if a prompt takes longer than TICKS ticks (default 20000000000)' },
  force: { type: 'boolean', help: 'overwrite OUT (and a stale OUT.partial)' },
} as const satisfies OptionTable;

export const command: Command = {
  name: 'record',
  summary: 'record a scripted session: boot, type commands at the prompt, power off',
  usage: commandUsage('prnr record (--cmd COMMAND ... | --script FILE) -o OUT.prnr [options]', [
    'Boots the guest image headless, types each command line at the shell prompt, waits for the',
    'next prompt, then powers off (poweroff -f) and writes the recording to OUT.prnr.',
  ], options),
  async run(argv) {
    const { values } = parseCommandArgs('record', argv, options);
    if (!values.output) throw new UsageError('record needs -o OUT.prnr');
    const commands = [...(values.cmd ?? [])];
    if (values.script) {
      const text = await readFile(values.script, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`--script: cannot read ${values.script}: ${err.code ?? err.message}`);
      });
      commands.push(...text.split(/\r?\n/).filter((line) => line.trim() !== ''));
    }
    if (commands.length === 0) throw new UsageError('record needs at least one --cmd or a --script');
    const sliceTicks = values['slice-ticks'] ? tickOption('slice-ticks', values['slice-ticks']) : DEFAULT_SLICE_TICKS;
    if (sliceTicks === 0n) throw new UsageError('--slice-ticks must be positive');
    const budget = values.budget ? tickOption('budget', values.budget) : undefined;

    const { image, config } = await loadNodeBootConfig(values.image ?? DEFAULT_IMAGE_NAME);
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    // Snapshots are hashed and written on a worker; the machine only pauses to copy what changed.
    const pipeline = new SnapshotWorkerPipeline(values.output, { force: values.force });
    const tty = process.stderr.isTTY;
    let recorder: Recorder | undefined;
    try {
      recorder = new Recorder({
        machine: await Machine.create(await compileMachineModule()),
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
      runSession(rec, { prompt: image.manifest.prompt, commands, budgetTicks: budget }, (i, cmd) => {
        const line = `prnr: [${i + 1}/${commands.length}] tick ${rec.tick}: ${cmd}`;
        process.stderr.write(tty ? `\r\x1b[K${line.slice(0, (process.stderr.columns ?? 80) - 1)}` : `${line}\n`);
      });
      if (tty) process.stderr.write('\r\x1b[K');
      const stats = rec.stats;
      const pauses = stats.map((s) => s.pauseMs).sort((a, b) => a - b);
      console.log(`recorded ${values.output}: ${rec.tick} ticks, ${stats.length - 1} slices, ${commands.length} commands, ${rec.bytesWritten} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const work = stats.map((s) => s.processed?.processMs ?? 0).sort((a, b) => a - b);
      console.log(`snapshot pause: median ${pauses[pauses.length >> 1].toFixed(1)} ms, max ${pauses[pauses.length - 1].toFixed(1)} ms; hashing and writing on a worker: median ${work[work.length >> 1].toFixed(1)} ms`);
      return 0;
    } catch (err) {
      // Keep the .partial (it replays up to its last snapshot) unless nothing was recorded at all.
      if (recorder) pipeline.abort();
      else pipeline.discard();
      throw err;
    }
  },
};
