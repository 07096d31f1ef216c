// Queue benchmark (docs/design.md 6, scale-out), side by side in one run on
// the fork-and-pipe demo: slice jobs per second replayed and verified
// - on the local pool, 1 and 2 worker threads (ReplayPool.replay);
// - through BullMQ on a throwaway redis-server, with 1 and 2 `prnr worker`
//   processes of one thread each (QueueRunner.replay, as prnr replay --queue).
// Workers and pools are started and warmed first (their start is not timed);
// the queue is emptied before each queued run, since a repeated job is
// answered from its kept result and would not run. Each figure is the
// median of the runs. Callable from scripts/bench/main.ts (benchQueue) or
// alone: npx tsx scripts/bench/queue.ts [--runs N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { QUEUE_NAME, queueOption } from '../../src/cli/queue/connection';
import { startSliceRunner, type SliceRunner } from '../../src/cli/queue/runner';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import { startRedisServer } from '../../test/helpers/redis-server';
import { demoFile, startWorker, type WorkerProcess } from '../../test/queue/helpers';
import { median, type BenchRow } from './stats';

export async function benchQueue(runs = 3, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-queue-'));
  const redis = await startRedisServer();
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
  const workers: WorkerProcess[] = [];
  try {
    const file = demoFile(dir, 'fork-and-pipe');
    const { recording: rec, recovery } = openRecordingFile(file);
    const slices = rec.slices.map((s) => s.index);
    /** Slice jobs per second of each of `runs` replays of every slice on `runner` (after one untimed warm-up), `before` each. */
    const rates = async (name: string, runner: SliceRunner, before: () => Promise<void> = async () => {}) => {
      const samples: number[] = [];
      for (let run = 0; run <= runs; run++) {
        await before();
        const started = performance.now();
        const results = await runner.replay(slices);
        const seconds = (performance.now() - started) / 1000;
        if (!results.every((r) => r.ok)) throw new Error(`${name}: a slice did not verify`);
        if (run > 0) samples.push(slices.length / seconds);
      }
      log(`queue: ${name}: ${samples.map((s) => s.toFixed(1)).join(', ')} jobs/s`);
      return median(samples);
    };
    const figures: Record<string, number> = {};
    for (const jobs of [1, 2]) {
      const pool = await startSliceRunner({ file, rec, recovery, jobs });
      try {
        figures[`local ${jobs}`] = await rates(`local pool, ${jobs} thread${jobs === 1 ? '' : 's'}`, pool);
      } finally {
        await pool.close();
      }
    }
    const runner = await startSliceRunner({ file, rec, recovery, jobs: 1, queue: queueOption(redis.url) });
    try {
      for (const count of [1, 2]) {
        while (workers.length < count) workers.push(await startWorker(redis.url, 1));
        figures[`queue ${count}`] = await rates(`BullMQ, ${count} worker process${count === 1 ? '' : 'es'}`, runner, () => queue.obliterate({ force: true }));
      }
    } finally {
      await runner.close();
    }
    const note = `${slices.length} slices of the fork-and-pipe demo, median of ${runs}`;
    return [
      { name: 'local pool, 1 thread', value: figures['local 1'], unit: 'jobs/s', note },
      { name: 'local pool, 2 threads', value: figures['local 2'], unit: 'jobs/s' },
      { name: 'BullMQ, 1 worker process (1 thread)', value: figures['queue 1'], unit: 'jobs/s', note: 'prnr replay --queue: a job per slice through Redis' },
      { name: 'BullMQ, 2 worker processes (1 thread each)', value: figures['queue 2'], unit: 'jobs/s' },
      { name: 'BullMQ 1 worker / local pool 1 thread', value: figures['queue 1'] / figures['local 1'], unit: 'x', note: 'the queue\'s cost per slice (Redis round trips, progress and result through it)' },
      { name: 'BullMQ 2 workers / 1 worker', value: figures['queue 2'] / figures['queue 1'], unit: 'x', note: 'speedup of the second worker process (2 cores; alternate slices cost each a restore)' },
    ];
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--runs');
  const rows = await benchQueue(i > 0 ? Number(process.argv[i + 1]) : 3, (line) => console.error(line));
  const { printTable } = await import('./stats');
  printTable(rows);
}
