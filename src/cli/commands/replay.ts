// `prnr replay FILE --jobs N`: replays every slice on a pool of workers,
// verifies each against the next snapshot's state root, prints a line per
// slice and a summary; exit code 0 only if every slice verified.
import { parseArgs } from 'node:util';
import { defaultJobs, startNodeReplayPool } from '../../engine/node/replay-pool';
import type { PoolEvent } from '../../engine/replay/pool';
import { loadRecordingBootFiles } from '../../engine/node/recording-image';
import { openRecordingFile } from '../../engine/node/recording-file';
import type { SliceResult } from '../../engine/replay/replay-machine';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { jobsOption } from '../jobs';

function sliceLine(r: SliceResult): string {
  const span = `[${r.startTick}, ${r.endTick})`;
  if (r.ok) return `slice ${String(r.index).padStart(4)} ${span.padEnd(28)} verified  ${r.ms.toFixed(0).padStart(5)} ms`;
  // No root: the slice could not even start (its snapshot is damaged), which is not a divergence of the replay.
  return `slice ${String(r.index).padStart(4)} ${span.padEnd(28)} ${r.root === '' ? 'FAILED' : 'DIVERGED'}: ${r.divergence}`;
}

/** One line per worker, redrawn in place on a terminal; plain lines per finished slice otherwise. */
function progressDisplay(jobs: number, total: number): { onEvent(e: PoolEvent): void; done(): void } {
  const tty = process.stdout.isTTY === true;
  const status = Array.from({ length: jobs }, (_, w) => `worker ${w + 1}: starting`);
  let finished = 0;
  let drawn = false;
  const draw = () => {
    if (drawn) process.stdout.write(`\x1b[${jobs}A`);
    for (const line of status) process.stdout.write(`\r\x1b[K${line}\n`);
    drawn = true;
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
      if (tty && drawn) {
        process.stdout.write(`\x1b[${jobs}A`);
        for (let i = 0; i < jobs; i++) process.stdout.write('\r\x1b[K\n');
        process.stdout.write(`\x1b[${jobs}A`);
      }
    },
  };
}

export const command: Command = {
  name: 'replay',
  summary: 'replay every slice of a recording in parallel and verify each',
  usage: [
    'prnr replay FILE.prnr [--jobs N]',
    '',
    'Replays every slice from its snapshot on a pool of worker threads and checks that it ends in',
    'the next snapshot\'s state root; prints one line per slice and a summary. Exits 0 only if every',
    'slice verified.',
    '',
    'Options:',
    `  --jobs N   worker threads (default ${defaultJobs()})`,
  ].join('\n'),
  async run(argv) {
    let values: { jobs?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args: argv, options: { jobs: { type: 'string', short: 'j' } }, strict: true, allowPositionals: true }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (positionals.length !== 1) throw new UsageError('replay takes one recording file');
    const jobs = jobsOption(values.jobs);
    const { recording: rec, recovery } = openRecordingFile(positionals[0]);
    const files = await loadRecordingBootFiles(rec.header);
    const started = Date.now();
    const pool = await startNodeReplayPool({ path: positionals[0], recovery, files, jobs: Math.min(jobs, Math.max(1, rec.slices.length)) });
    let results: SliceResult[];
    const display = progressDisplay(pool.size, rec.slices.length);
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
    console.log(`${results.length - failed.length}/${results.length} slices verified in ${seconds} s on ${pool.size} worker${pool.size === 1 ? '' : 's'}${rec.complete ? '' : ' (recovered recording: up to its last snapshot)'}`);
    if (failed.length > 0) console.log(`first divergence: slice ${failed[0].index}: ${failed[0].divergence}`);
    return failed.length === 0 ? 0 : 1;
  },
};
