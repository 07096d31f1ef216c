// `prnr replay FILE --jobs N`: replays every slice on a pool of workers (or
// with --queue, as slice jobs on BullMQ for `prnr worker` processes),
// verifies each against the next snapshot's state root, prints a line per
// slice and a summary; exit code 0 only if every slice verified.
import type { PoolEvent } from '../../engine/replay/pool';
import { openRecordingFile } from '../../engine/node/recording-file';
import type { SliceResult } from '../../engine/replay/replay-machine';
import { commandUsage, parseCommandArgs, type OptionTable } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { JOBS_HELP, jobsOption } from '../jobs';
import { QUEUE_HELP, queueOption } from '../queue/connection';
import { startSliceRunner } from '../queue/runner';
import { isRecordingUrl, localRecordingFile } from '../remote';

function sliceLine(r: SliceResult): string {
  const span = `[${r.startTick}, ${r.endTick})`;
  if (r.ok) return `slice ${String(r.index).padStart(4)} ${span.padEnd(28)} verified  ${r.ms.toFixed(0).padStart(5)} ms`;
  // No root: the slice could not even start (its snapshot is damaged), which is not a divergence of the replay.
  return `slice ${String(r.index).padStart(4)} ${span.padEnd(28)} ${r.root === '' ? 'FAILED' : 'DIVERGED'}: ${r.divergence}`;
}

/** One line per worker (as many as have run a slice: a queue's come and go), redrawn in place on a terminal; plain lines per finished slice otherwise. */
function progressDisplay(total: number): { onEvent(e: PoolEvent): void; done(): void } {
  const tty = process.stdout.isTTY === true;
  const status: string[] = [];
  let finished = 0;
  let drawn = 0;
  const draw = () => {
    if (drawn > 0) process.stdout.write(`\x1b[${drawn}A`);
    for (const line of status) process.stdout.write(`\r\x1b[K${line ?? ''}\n`);
    drawn = status.length;
  };
  return {
    onEvent(e) {
      if (e.state === 'done' && e.result) {
        finished++;
        if (!tty) console.log(sliceLine(e.result));
        status[e.worker] = `worker ${e.worker + 1}: ${sliceLine(e.result)}  (${finished}/${total})`;
      } else {
        status[e.worker] = `worker ${e.worker + 1}: slice ${e.slice} running…`;
      }
      if (tty) draw();
    },
    done() {
      if (tty && drawn > 0) {
        process.stdout.write(`\x1b[${drawn}A`);
        for (let i = 0; i < drawn; i++) process.stdout.write('\r\x1b[K\n');
        process.stdout.write(`\x1b[${drawn}A`);
      }
    },
  };
}

const options = {
  jobs: { type: 'string', short: 'j', arg: 'N', help: JOBS_HELP },
  queue: { type: 'string', arg: 'redis://HOST:PORT', help: QUEUE_HELP },
} as const satisfies OptionTable;

export const command: Command = {
  name: 'replay',
  summary: 'replay every slice of a recording in parallel and verify each',
  usage: commandUsage('prnr replay FILE.prnr|URL [--jobs N] [--queue redis://HOST:PORT]', [
    'Replays every slice from its snapshot on a pool of worker threads (or, with --queue, on prnr worker',
    'processes anywhere) and checks that it ends in the next snapshot\'s state root; prints one line per',
    'slice and a summary. Exits 0 only if every slice verified. A URL (a prnr serve share link, or any',
    'http(s) URL of a .prnr file) is fetched into a cache first (src/cli/remote.ts).',
  ], options),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('replay', argv, options, { positionals: true });
    if (positionals.length !== 1) throw new UsageError('replay takes one recording file');
    const jobs = jobsOption(values.jobs);
    const queue = values.queue === undefined ? undefined : queueOption(values.queue);
    const file = await localRecordingFile(positionals[0]);
    const { recording: rec, recovery } = openRecordingFile(file);
    const started = Date.now();
    const pool = await startSliceRunner({ file, url: isRecordingUrl(positionals[0]) ? positionals[0] : undefined, rec, recovery, jobs, queue, onNote: (line) => process.stderr.write(`prnr: ${line}\n`) });
    let results: SliceResult[];
    const display = progressDisplay(rec.slices.length);
    try {
      results = await pool.replay(rec.slices.map((s) => s.index), display.onEvent);
    } finally {
      display.done();
      await pool.close();
    }
    // Every slice's outcome on a terminal; in a pipe or file, every slice that failed (the count covers the rest).
    const failed = results.filter((r) => !r.ok);
    for (const r of process.stdout.isTTY ? results : failed) console.log(sliceLine(r));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${results.length - failed.length}/${results.length} slices verified in ${seconds} s on ${pool.size} worker${pool.size === 1 ? '' : 's'}${queue ? ` of ${queue.url}` : ''}${rec.complete ? '' : ' (recovered recording: up to its last snapshot)'}`);
    if (failed.length > 0) console.log(`first divergence: slice ${failed[0].index}: ${failed[0].divergence}`);
    return failed.length === 0 ? 0 : 1;
  },
};
