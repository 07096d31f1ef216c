// Scale-out on BullMQ (docs/design.md 6), as a user runs it: a throwaway
// redis-server, `prnr worker` processes, and prnr replay / analyze --queue on
// a demo recording. The queued run verifies every slice and equals the local
// run; a queued analysis writes the local one's result byte for byte; the
// same submission again runs no job; a file with another digest is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createAnalysisRuntime } from '../../src/analysis/runtime';
import { loadNodeAnalysisFiles } from '../../src/engine/node/images';
import { toHex } from '../../src/shared/sha256';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import type { SliceResult } from '../../src/engine/replay/replay-machine';
import { probeQueue, QUEUE_NAME, queueOption } from '../../src/cli/queue/connection';
import { startSliceRunner } from '../../src/cli/queue/runner';
import { QueueRunner } from '../../src/cli/queue/submit';
import { useTempDir } from '../../src/cli/test-dir';
import { freePort, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { prnr, spawnPrnr } from '../prnr';
import { demoFile, startWorker, type WorkerProcess } from './helpers';

/** A slice's outcome without its timings (which differ run to run). */
const outcome = ({ ms: _ms, restoreMs: _restore, ...rest }: SliceResult) => rest;
/** prnr replay's slice lines without their timings, in slice order. */
const sliceLines = (stdout: string) => stdout.split('\n').filter((l) => /^slice /.test(l)).map((l) => l.replace(/\s+\d+ ms$/, '')).sort();

describe('prnr replay and analyze --queue, prnr worker', () => {
  const dir = useTempDir('queue');
  let redis: RedisServer;
  let queue: Queue;
  let workers: WorkerProcess[] = [];
  let file: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
    file = demoFile(dir(), 'fork-and-pipe');
    workers = await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await queue?.close();
    await redis?.stop();
  });

  it('replays every slice on the workers, verified, as the local run does', async () => {
    const local = await prnr(['replay', file, '--jobs', '1']);
    const queued = await prnr(['replay', file, '--queue', redis.url]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stdout).toMatch(new RegExp(`^10/10 slices verified in [\\d.]+ s on [12] workers? of ${redis.url}$`, 'm'));
    expect(sliceLines(queued.stdout)).toEqual(sliceLines(local.stdout));
    expect(sliceLines(queued.stdout)).toHaveLength(10);
    // Both workers took jobs (ten slices of ~0.1 s, one thread each).
    expect(workers.every((w) => w.started() > 0)).toBe(true);
    expect(await queue.getJobCounts('completed', 'failed', 'active', 'wait')).toEqual({ completed: 10, failed: 0, active: 0, wait: 0 });
  });

  it('gives the same state roots as the local pool, slice for slice', async () => {
    const { recording: rec, recovery } = openRecordingFile(file);
    const slices = rec.slices.map((s) => s.index);
    const run = async (queued: boolean) => {
      const runner = await startSliceRunner({ file, rec, recovery, jobs: 2, queue: queued ? queueOption(redis.url) : undefined });
      try {
        return (await runner.replay(slices)).map(outcome);
      } finally {
        await runner.close();
      }
    };
    const queued = await run(true);
    expect(queued.every((r) => r.ok)).toBe(true);
    expect(queued).toEqual(await run(false));
  });

  it('runs no job again for the same submission: the kept results answer it', async () => {
    const before = await queue.getCompleted();
    const started = workers.map((w) => w.started());
    const again = await prnr(['replay', file, '--queue', redis.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^10\/10 slices verified/m);
    expect(workers.map((w) => w.started())).toEqual(started);
    const after = await queue.getCompleted();
    expect(after).toHaveLength(10);
    const finished = (jobs: typeof before) => Object.fromEntries(jobs.map((j) => [j.id, [j.processedOn, j.finishedOn, j.attemptsStarted]]));
    expect(finished(after)).toEqual(finished(before));
  });

  it('writes the queued syscalls analysis byte for byte as the local prnr analyze', async () => {
    const localDir = join(dir(), 'local.analysis');
    const queuedDir = join(dir(), 'queued.analysis');
    const local = await prnr(['analyze', file, '--syscalls', '--jobs', '2', '-o', localDir]);
    expect(local.code, local.stderr).toBe(0);
    const started = workers.reduce((n, w) => n + w.started(), 0);
    const queued = await prnr(['analyze', file, '--syscalls', '--queue', redis.url, '-o', queuedDir]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stdout).toMatch(/^syscalls {2}10\/10 slices, done in [\d.]+ s$/m);
    expect(queued.stdout).toMatch(new RegExp(`^10 slice replays on [12] workers? of ${redis.url}, every one verified`, 'm'));
    expect(workers.reduce((n, w) => n + w.started(), 0)).toBe(started + 10);
    const result = readFileSync(join(queuedDir, 'syscalls.json'));
    expect(result.equals(readFileSync(join(localDir, 'syscalls.json')))).toBe(true);
    expect(JSON.parse(result.toString()).result.calls.length).toBeGreaterThan(100);
    // And so does the local one read back from its cache (partials through JSON, as the queue's results are).
    expect((await prnr(['analyze', file, '--syscalls', '-o', localDir])).stdout).toMatch(/10 from the cache/);
    expect(readFileSync(join(localDir, 'syscalls.json')).equals(result)).toBe(true);
  });

  it('refuses a job whose file is another recording (digest mismatch), for good', async () => {
    const runner = await QueueRunner.connect({ target: queueOption(redis.url), recording: { digest: 'ab'.repeat(32), path: file, recovery: false } });
    try {
      await expect(runner.replay([0])).rejects.toThrow(/^slice 0 failed on the queue: refusing the job: .*fork-and-pipe\.prnr has digest [0-9a-f]{16}…, the job names abababababababab…/);
    } finally {
      await runner.close();
    }
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 1 });
  });
  it('retries a job that fails with backoff, then reports it; submitted again with a good path, it runs', async () => {
    const runtime = createAnalysisRuntime();
    // A recording no worker has open yet (an open one needs no path).
    const other = demoFile(dir(), 'diverge-b');
    const { recording: rec } = openRecordingFile(other);
    const inputs = await loadNodeAnalysisFiles(rec.header.image.name);
    // A job of its own, of slice 0.
    const requests = [{ dimension: 'syscalls', params: runtime.describe({ dimension: 'syscalls', params: { strsize: 7 } }).params }];
    const submit = async (path: string) => {
      const runner = await QueueRunner.connect({ target: queueOption(redis.url), runtime, recording: { digest: toHex(rec.digest), path, recovery: false } });
      try {
        return await runner.analyze([0], requests, inputs);
      } finally {
        await runner.close();
      }
    };
    const missing = join(dir(), 'moved-away', 'diverge-b.prnr');
    await expect(submit(missing)).rejects.toThrow(`slice 0 failed on the queue: recording ${toHex(rec.digest).slice(0, 16)}… is not on this machine (${missing}) and the job names no URL to fetch it from`);
    const [failed, ...others] = (await queue.getFailed()).filter((j) => j.data.kind === 'analyze');
    expect(others).toEqual([]);
    expect(failed.attemptsMade).toBe(3);
    const [again] = await submit(other);
    expect(again.slice).toMatchObject({ index: 0, ok: true });
    expect((await queue.getJob(failed.id!))!.data.recording.path).toBe(other);
  });
});

describe('--queue on bad input', () => {
  const dir = useTempDir('queue-bad');

  it('says in one line that Redis cannot be reached', async () => {
    const port = await freePort();
    const file = demoFile(dir(), 'fork-and-pipe');
    for (const args of [['replay', file], ['analyze', file, '--syscalls', '-o', join(dir(), 'a')], ['worker']]) {
      const r = await prnr([...args, '--queue', `redis://127.0.0.1:${port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`prnr: cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    }
    await expect(probeQueue(queueOption(`redis://127.0.0.1:${port}`))).rejects.toMatchObject({ code: 'QUEUE_UNREACHABLE' });
  });

  it('says in one line that Redis went away while the jobs waited', async () => {
    const redis = await startRedisServer();
    try {
      const child = spawnPrnr(['replay', demoFile(dir(), 'fork-and-pipe'), '--queue', redis.url]);
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve) =>
        child.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('the 10 slice jobs wait for one')) resolve();
        }),
      );
      await redis.stop();
      expect(await exited).toBe(1);
      // How the socket ends is Redis's and the kernel's choice (a close, or a reset when the stop races a read): either way, one line.
      const [waiting, lost, rest] = stderr.split('\n');
      expect(waiting).toBe(`prnr: no prnr worker is connected to ${redis.url} yet; the 10 slice jobs wait for one (start one: prnr worker --queue ${redis.url})`);
      expect([`prnr: lost Redis at ${redis.url}: the connection closed`, `prnr: lost Redis at ${redis.url}: read ECONNRESET`]).toContain(lost);
      expect(rest).toBe('');
    } finally {
      await redis.stop();
    }
  });

  it('rejects a --queue that is not redis://HOST:PORT as a usage error', async () => {
    const file = demoFile(dir(), 'fork-and-pipe');
    for (const [url, why] of [['http://127.0.0.1:6379', 'has the scheme http, not redis'], ["127.0.0.1:6379", "is not a URL"], ['redis://', 'names no host'], ['nonsense', 'is not a URL'], ['redis://h:1/99', 'names a database that is not a number from 0 to 15']]) {
      const r = await prnr(['replay', file, '--queue', url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`prnr: --queue takes redis://HOST:PORT, e.g. redis://127.0.0.1:6379; ${JSON.stringify(url)} ${why}\n`);
    }
    const none = await prnr(['worker']);
    expect(none).toMatchObject({ code: 2, stderr: 'prnr: worker needs --queue redis://HOST:PORT\n' });
    const bad = await prnr(['worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '0']);
    expect(bad).toMatchObject({ code: 2, stderr: 'prnr: --concurrency must be a whole number from 1 to 64, got 0\n' });
  });
});
