// A shared link's file kept by the engine's host (the browser keeps it in
// OPFS, src/engine/web/link-cache.ts; here a map stands in): fetched by parts
// the first time and kept once whole, read from the host the next time with
// no request, and a kept file that is not the recording the link names is
// dropped and the link fetched again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type LinkCache } from '../../src/engine/engine';
import { nodeEngineHost } from '../../src/engine/node/host';
import { bytesRangeReader } from '../../src/shared/recording/source';
import { demoBytes, startTestServer, upload, type TestServer } from './helpers';

let server: TestServer;
let id: string;
const tour = demoBytes('first-tour');

beforeAll(async () => {
  server = await startTestServer();
  id = (await upload(server.url, tour)).body.id as string;
});
afterAll(async () => {
  await server?.dispose();
});

function mapCache(): LinkCache & { files: Map<string, Uint8Array>; dropped: string[] } {
  const files = new Map<string, Uint8Array>();
  const dropped: string[] = [];
  return {
    files,
    dropped,
    open: async (key) => (files.has(key) ? bytesRangeReader(files.get(key)!) : undefined),
    keep: async (key, bytes) => void files.set(key, bytes.slice()),
    drop: async (key) => void (dropped.push(key), files.delete(key)),
  };
}

/** Counts the requests for the file while `run` runs. */
async function fileRequests(run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const fetched = globalThis.fetch;
  globalThis.fetch = (input, init) => (String(input).includes('/file') && count++, fetched(input, init));
  try {
    await run();
  } finally {
    globalThis.fetch = fetched;
  }
  return count;
}

describe('a shared link kept by the host', () => {
  it('is kept once whole and opened again from there with no request', async () => {
    const cache = mapCache();
    const link = `${server.url}api/recordings/${id}/file`;
    const first = new Engine({ ...nodeEngineHost(), linkCache: cache });
    expect(await fileRequests(async () => {
      const info = await first.openRecording({ url: link });
      expect(info.id).toBe(id);
      // A verify reads all of it: then the file is kept.
      await first.verifySlices(id, { jobs: 1 });
    })).toBeGreaterThan(0);
    await expect.poll(() => cache.files.get(id)?.length).toBe(tour.length);
    expect(Buffer.compare(cache.files.get(id)!, tour)).toBe(0);

    const second = new Engine({ ...nodeEngineHost(), linkCache: cache });
    expect(await fileRequests(async () => expect((await second.openRecording({ url: link })).id).toBe(id))).toBe(0);
  });

  it('drops a kept file that is another recording, and fetches the link', async () => {
    const cache = mapCache();
    cache.files.set(id, demoBytes('file-io'));
    const engine = new Engine({ ...nodeEngineHost(), linkCache: cache });
    const requests = await fileRequests(async () => expect((await engine.openRecording({ url: `${server.url}api/recordings/${id}/file` })).id).toBe(id));
    expect(requests).toBeGreaterThan(0);
    expect(cache.dropped).toEqual([id]);
  });
});
