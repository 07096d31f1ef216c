// prnr worker on SIGTERM (or Ctrl-C): it stops taking jobs and finishes the
// running one, then exits 0; a second signal gives the running job back to
// the queue at once (another worker runs it) and exits 1. Either way the
// submitted analysis completes, every slice verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisRuntime } from '../../src/analysis/runtime';
import { queueOption } from '../../src/cli/queue/connection';
import { QueueRunner } from '../../src/cli/queue/submit';
import { useTempDir } from '../../src/cli/test-dir';
import { loadNodeAnalysisFiles } from '../../src/engine/node/images';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import type { DimensionRequest } from '../../src/shared/analysis';
import { toHex } from '../../src/shared/sha256';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { demoFile, startWorker, type WorkerProcess } from './helpers';

describe('prnr worker stopped by a signal', () => {
  const dir = useTempDir('queue-signals');
  let redis: RedisServer;
  let helper: WorkerProcess;
  const stopped: WorkerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    helper = await startWorker(redis.url);
  });

  afterAll(async () => {
    await Promise.all([helper, ...stopped].map((w) => w?.stop()));
    await redis?.stop();
  });

  /** Analyses every slice (a fresh job per slice: `strsize` differs per run) while `w` is signalled as it starts its first job. */
  async function analyseWhile(w: WorkerProcess, strsize: number, signal: (w: WorkerProcess) => Promise<void> | void): Promise<string> {
    const file = demoFile(dir(), 'fork-and-pipe');
    const { recording: rec, recovery } = openRecordingFile(file);
    const runtime = createAnalysisRuntime();
    const inputs = await loadNodeAnalysisFiles(rec.header.image.name);
    const requests: DimensionRequest[] = [runtime.describe({ dimension: 'syscalls', params: { strsize } })].map((d) => ({ dimension: d.dimension, params: d.params }));
    const runner = await QueueRunner.connect({ target: queueOption(redis.url), runtime, recording: { digest: toHex(rec.digest), path: file, recovery } });
    try {
      const run = runner.analyze(rec.slices.map((s) => s.index), requests, inputs);
      const [, slice] = await w.waitFor(/slice (\d+) of [0-9a-f]+: running on thread/);
      await signal(w);
      const results = await run;
      expect(results.map((r) => [r.slice.index, r.slice.ok])).toEqual(rec.slices.map((s) => [s.index, true]));
      return slice;
    } finally {
      await runner.close();
    }
  }

  it('finishes the running job on SIGTERM, then exits 0', async () => {
    const w = await startWorker(redis.url);
    stopped.push(w);
    const slice = await analyseWhile(w, 40, (x) => {
      process.kill(x.pid, 'SIGTERM');
    });
    await w.stop();
    expect(w.child.exitCode).toBe(0);
    expect(w.output()).toMatch(new RegExp(`SIGTERM: finishing 1 running job[^\\n]*\\n(.*\\n)*prnr worker: slice ${slice} of [0-9a-f]+: analysed \\(syscalls\\) and verified in \\d+ ms\\n(.*\\n)*prnr worker: stopped\\n`));
  });

  it('gives the running job back on a second signal; another worker runs it', async () => {
    const w = await startWorker(redis.url);
    stopped.push(w);
    const before = helper.output().length;
    const slice = await analyseWhile(w, 48, async (x) => {
      process.kill(x.pid, 'SIGTERM');
      // Two signals sent at once may arrive as one: the second once the first is taken.
      await x.waitFor(/SIGTERM: finishing/);
      process.kill(x.pid, 'SIGTERM');
    });
    await w.stop();
    expect(w.child.exitCode).toBe(1);
    expect(w.output()).toMatch(/SIGTERM: giving 1 running job back to the queue/);
    expect(w.output()).not.toMatch(new RegExp(`slice ${slice} of [0-9a-f]+: analysed`));
    expect(helper.output().slice(before)).toMatch(new RegExp(`slice ${slice} of [0-9a-f]+: analysed \\(syscalls\\) and verified`));
  });
});
