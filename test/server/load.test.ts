// A short run of the load benchmark (npm run bench -- --only serve has the
// 50-client, 30-second one): clients seeking at random ticks in two shared
// recordings get every byte right and no error, and the server's memory
// stays bounded. No timing is asserted.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, sharedForLoad, type SharedForLoad } from '../../scripts/bench/serve-load';
import { demoBytes, spawnServe, tempDataDir, upload, type ServeProcess } from './helpers';

let server: ServeProcess;
const dataDir = tempDataDir();
const recordings: SharedForLoad[] = [];

beforeAll(async () => {
  server = await spawnServe(dataDir);
  for (const name of ['first-tour', 'fork-and-pipe'] as const) {
    const bytes = demoBytes(name);
    const { status, body } = await upload(server.url, bytes);
    expect(status).toBe(201);
    recordings.push(sharedForLoad(body.id as string, bytes));
  }
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('load', () => {
  it('serves 10 clients seeking for 3 s with every byte right and memory bounded', async () => {
    const result = await runLoad({ base: server.url, recordings, clients: 10, seconds: 3, serverPid: server.child.pid });
    expect(result.errors).toEqual([]);
    expect(result.requests).toBeGreaterThan(10);
    if (result.rssBefore !== undefined) expect(result.rssPeak!).toBeLessThan(result.rssBefore + 256 * 2 ** 20);
  }, 60_000);
});
