// Queue benchmark (docs/design.md 6, scale-out), side by side in one run on
// the fork-and-pipe demo (10 slices) and a longer recording made here (a boot
// and `ls /` in 1M-tick slices, 47): slice jobs per second replayed and verified
// - on the local pool, 1 and 2 worker threads (ReplayPool.replay);
// - through BullMQ on a throwaway redis-server, with 1 and 2 `prnr worker`
//   processes of one thread each (QueueRunner.replay, as prnr replay --queue).
// Every runner gets WARM_RUNS untimed runs first (the JIT compiles on over a
// second pass); each new worker process is also warmed alone on every slice,
// the others stopped (SIGSTOP) meanwhile, since processes share no JIT code
// and a late one would otherwise be cold on the slices it gets. The queue is
// emptied before each queued run, since a repeated job is answered from its
// kept result and would not run. The last queued run of each prints, per
// job, the thread that ran it and BullMQ's queued->active and
// active->completed times. Each figure is the median of the runs; the load
// average is printed with them. Callable from scripts/bench/main.ts
// (benchQueue) or alone: npx tsx scripts/bench/queue.ts [--runs N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { QUEUE_NAME, queueOption } from '../../src/cli/queue/connection';
import { startSliceRunner, type SliceRunner } from '../../src/cli/queue/runner';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import { startRedisServer } from '../../test/helpers/redis-server';
import { PRNR_BIN } from '../../test/prnr';
import { demoFile, startWorker, type WorkerProcess } from '../../test/queue/helpers';
import { median, type BenchRow } from './stats';

/** Untimed runs before the timed ones on every runner: the JIT goes on compiling in a second pass over the same slices. */
const WARM_RUNS = 2;
/** The longer recording: a boot and `ls /` in slices of this many ticks (47 slices). */
const LONG_SLICE_TICKS = '1000000';

export async function benchQueue(runs = 3, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-queue-'));
  const redis = await startRedisServer();
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
  const workers: WorkerProcess[] = [];
  try {
    const long = join(dir, 'long.prnr');
    execFileSync(process.execPath, [PRNR_BIN, 'record', '--cmd', 'ls /; echo $((6*7))', '--slice-ticks', LONG_SLICE_TICKS, '-o', long], { stdio: 'ignore' });
    const recordings = [
      { name: 'fork-and-pipe', file: demoFile(dir, 'fork-and-pipe') },
      { name: 'boot and ls', file: long },
    ];
    /** Slice jobs per second of each of `runs` replays of every slice on `runner` (after WARM_RUNS untimed ones), `before` each. */
    const rates = async (name: string, slices: number[], runner: SliceRunner, queued: boolean, timed = runs) => {
      const samples: number[] = [];
      for (let run = 0; run < WARM_RUNS + timed; run++) {
        if (queued) await queue.obliterate({ force: true });
        const started = performance.now();
        const results = await runner.replay(slices);
        const seconds = (performance.now() - started) / 1000;
        if (!results.every((r) => r.ok)) throw new Error(`${name}: a slice did not verify`);
        if (run >= WARM_RUNS) samples.push(slices.length / seconds);
        if (queued && timed > 0 && run === WARM_RUNS + timed - 1) log(`queue: ${name}, last run, slice@thread queued->active+active->completed ms: ${await jobBreakdown(queue)}`);
      }
      if (timed === 0) return Number.NaN;
      log(`queue: ${name}: ${samples.map((s) => s.toFixed(1)).join(', ')} jobs/s`);
      return median(samples);
    };
    const rows: BenchRow[] = [];
    for (const r of recordings) {
      const { recording: rec, recovery } = openRecordingFile(r.file);
      const slices = rec.slices.map((s) => s.index);
      const figures: Record<string, number> = {};
      for (const jobs of [1, 2]) {
        const pool = await startSliceRunner({ file: r.file, rec, recovery, jobs });
        try {
          figures[`local ${jobs}`] = await rates(`${r.name}: local pool, ${jobs} thread${jobs === 1 ? '' : 's'}`, slices, pool, false);
        } finally {
          await pool.close();
        }
      }
      const runner = await startSliceRunner({ file: r.file, rec, recovery, jobs: 1, queue: queueOption(redis.url) });
      try {
        for (const count of [1, 2]) {
          while (workers.length < count) {
            const fresh = await startWorker(redis.url, 1);
            // Each process compiles its own JIT code: warm the new one alone on every slice (the others
            // stopped meanwhile), or it would get a few slices of the warm-up and be cold on the rest.
            for (const w of workers) process.kill(w.pid, 'SIGSTOP');
            try {
              await rates(`${r.name}: warming worker process ${workers.length + 1} alone`, slices, runner, true, 0);
            } finally {
              for (const w of workers) process.kill(w.pid, 'SIGCONT');
            }
            workers.push(fresh);
          }
          figures[`queue ${count}`] = await rates(`${r.name}: BullMQ, ${count} worker process${count === 1 ? '' : 'es'}`, slices, runner, true);
        }
      } finally {
        await runner.close();
      }
      // The next recording starts again from one worker process.
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      const note = `${slices.length} slices of ${r.name}, median of ${runs} after ${WARM_RUNS} untimed runs`;
      rows.push(
        { name: `${r.name}: local pool, 1 thread`, value: figures['local 1'], unit: 'jobs/s', note },
        { name: `${r.name}: local pool, 2 threads`, value: figures['local 2'], unit: 'jobs/s' },
        { name: `${r.name}: BullMQ, 1 worker process (1 thread)`, value: figures['queue 1'], unit: 'jobs/s', note: 'prnr replay --queue: a job per slice through Redis' },
        { name: `${r.name}: BullMQ, 2 worker processes (1 thread each)`, value: figures['queue 2'], unit: 'jobs/s' },
        { name: `${r.name}: BullMQ 1 worker / local pool 1 thread`, value: figures['queue 1'] / figures['local 1'], unit: 'x', note: "the queue's cost per slice (Redis round trips, progress and result through it)" },
        { name: `${r.name}: BullMQ 2 workers / 1 worker`, value: figures['queue 2'] / figures['queue 1'], unit: 'x', note: 'speedup of the second worker process (each compiles its own JIT code; the local pool\'s threads share theirs)' },
        { name: `${r.name}: local pool 2 threads / 1 thread`, value: figures['local 2'] / figures['local 1'], unit: 'x' },
      );
    }
    rows.push({ name: 'load average (1 min) at the end', value: loadavg()[0], unit: '' });
    return rows;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each job of the run just done, in slice order, from BullMQ's timestamps:
 * the worker thread that ran it (from its result), queued->active and
 * active->completed in ms.
 */
async function jobBreakdown(queue: Queue): Promise<string> {
  const jobs = await queue.getJobs(['completed']);
  const rows = jobs
    .map((j) => ({ slice: (j.data as { slice: number }).slice, worker: String(JSON.parse(String(j.returnvalue)).worker ?? '?').replace(/^.*:/, ''), wait: (j.processedOn ?? 0) - j.timestamp, run: (j.finishedOn ?? 0) - (j.processedOn ?? 0) }))
    .sort((a, b) => a.slice - b.slice);
  return rows.map((r) => `${r.slice}@${r.worker} ${r.wait}+${r.run}`).join(', ');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--runs');
  const rows = await benchQueue(i > 0 ? Number(process.argv[i + 1]) : 3, (line) => console.error(line));
  const { printTable } = await import('./stats');
  printTable(rows);
}
