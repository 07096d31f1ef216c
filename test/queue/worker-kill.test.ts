// A worker killed mid-job loses nothing (docs/design.md 6): two `prnr worker`
// processes take a replay's slice jobs, one is killed with SIGKILL while it
// runs a slice; its lock lapses, the other worker's stalled-job check puts
// the job back, the other runs it, and every slice verifies with the state
// roots of a local run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import type { SliceResult } from '../../src/engine/replay/replay-machine';
import { queueOption } from '../../src/cli/queue/connection';
import { startSliceRunner } from '../../src/cli/queue/runner';
import { useTempDir } from '../../src/cli/test-dir';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { demoFile, startWorker, type WorkerProcess } from './helpers';

const outcome = ({ ms: _ms, restoreMs: _restore, ...rest }: SliceResult) => rest;

describe('prnr worker killed mid-run', () => {
  const dir = useTempDir('queue-kill');
  let redis: RedisServer;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
  });

  it('runs the killed worker\'s job on the other one; the replay verifies every slice as a local run does', async () => {
    const file = demoFile(dir(), 'fork-and-pipe');
    const { recording: rec, recovery } = openRecordingFile(file);
    const slices = rec.slices.map((s) => s.index);
    const local = await startSliceRunner({ file, rec, recovery, jobs: 2 });
    const expected = (await local.replay(slices)).map(outcome);
    await local.close();

    workers = await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
    const [victim, survivor] = workers;
    const runner = await startSliceRunner({ file, rec, recovery, jobs: 1, queue: queueOption(redis.url) });
    try {
      const replay = runner.replay(slices);
      const [, killed] = await victim.waitFor(/slice (\d+) of [0-9a-f]+: running on thread/);
      await victim.stop('SIGKILL');
      expect(victim.output()).not.toMatch(new RegExp(`slice ${killed} of [0-9a-f]+: verified`));
      const results = (await replay).map(outcome);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results).toEqual(expected);
      // The slice the victim was running when it died was run again, to the end, by the survivor.
      expect(survivor.output()).toMatch(new RegExp(`slice ${killed} of [0-9a-f]+: verified`));
    } finally {
      await runner.close();
    }
  });
});
