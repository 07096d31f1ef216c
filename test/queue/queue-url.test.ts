// A worker on another machine finds the recording by URL (docs/design.md 6):
// the job names a path that is not on the worker's machine and the share
// link of a prnr serve; the worker fetches the recording into its own cache
// (src/cli/remote.ts, as prnr replay LINK does), checks its digest, and every
// slice verifies.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueOption } from '../../src/cli/queue/connection';
import { QueueRunner } from '../../src/cli/queue/submit';
import { useTempDir } from '../../src/cli/test-dir';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import { toHex } from '../../src/shared/sha256';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { prnr } from '../prnr';
import { spawnServe, tempDataDir, type ServeProcess } from '../server/helpers';
import { demoFile, startWorker, type WorkerProcess } from './helpers';

describe('a queue worker fetching the recording by URL', () => {
  const dir = useTempDir('queue-url');
  const dataDir = tempDataDir();
  let redis: RedisServer;
  let server: ServeProcess;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    [redis, server] = await Promise.all([startRedisServer(), spawnServe(dataDir)]);
  });

  afterAll(async () => {
    await worker?.stop();
    await Promise.all([redis?.stop(), server?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fetches the share link when the job\'s path is not on its machine, checks the digest, and verifies every slice', async () => {
    const file = demoFile(dir(), 'fork-and-pipe');
    const pushed = await prnr(['push', file, '--server', server.url], { env: { PRNR_CACHE_DIR: join(dir(), 'push-cache') } });
    expect(pushed.code, pushed.stderr).toBe(0);
    const link = pushed.stdout.trim().split('\n').pop()!;
    const { recording: rec } = openRecordingFile(file);
    const digest = toHex(rec.digest);
    const cache = join(dir(), 'worker-cache');
    worker = await startWorker(redis.url, 1, { PRNR_CACHE_DIR: cache });
    const runner = await QueueRunner.connect({ target: queueOption(redis.url), recording: { digest, path: join(dir(), 'elsewhere', 'fork-and-pipe.prnr'), url: link, recovery: false } });
    try {
      const results = await runner.replay(rec.slices.map((s) => s.index));
      expect(results.map((r) => [r.index, r.ok])).toEqual(rec.slices.map((s) => [s.index, true]));
    } finally {
      await runner.close();
    }
    expect(existsSync(cache) && readdirSync(cache)).toEqual([`${digest}.prnr`]);
  });
});
