// Analysis partials on the server (issue 13; src/server/analyses.ts): stored
// by (recording, dimension, version, code, params, slice), listed per
// recording; a second value for a key never replaced by a submitter but
// settled by the server's own derivation of the slice (or, where it cannot
// derive it, the key disputed and served to no one); bodies and keys
// size-limited; and the engine's server cache
// (src/engine/analyze/server-partials.ts) over it.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layeredCache, serverOfLink, serverPartials } from '../../src/engine/analyze/server-partials';
import { MemoryAnalysisCache } from '../../src/engine/analyze/memory-cache';
import { createAnalysisRuntime } from '../../src/analysis/runtime';
import { createNodeEngine } from '../../src/engine/node/host';
import { canonicalParams, encodeAnalysisJson } from '../../src/shared/analysis';
import { analysesPath, MAX_PARTIAL_BYTES, PARTIAL_CONTENT_TYPE, partialPath, VERIFIED_HEADER, type PartialAnswer, type PartialKeyFields, type SharedAnalysis } from '../../src/shared/server-api';
import { demoBytes, getJson, startTestServer, upload, type TestServer } from './helpers';

let server: TestServer;
let id: string;
const key = { dimension: 'syscalls', version: 2, code: 'abc123', params: { strsize: 32 }, slice: 3 };
const partial = JSON.stringify({ calls: [{ tick: { $bigint: '12' } }] });
const put = (path: string, body: string) => fetch(new URL(path, server.url), { method: 'PUT', body, headers: { 'content-type': PARTIAL_CONTENT_TYPE } });
const get = (path: string) => fetch(new URL(path, server.url));

beforeAll(async () => {
  server = await startTestServer();
  const { status, body } = await upload(server.url, demoBytes('first-tour'));
  expect(status).toBe(201);
  id = body.id as string;
});
afterAll(async () => {
  await server?.dispose();
});

describe('partials by key', () => {
  it('stores a partial by (recording, dimension, version, code, params, slice) and serves it back as sent', async () => {
    expect((await get(partialPath(id, key))).status).toBe(404);
    const first = await put(partialPath(id, key), partial);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ stored: true, served: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const response = await get(partialPath(id, key));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(partial);
    // Another slice, version, code or parameter is another key.
    for (const other of [{ ...key, slice: 4 }, { ...key, version: 3 }, { ...key, code: 'def' }, { ...key, params: { strsize: 64 } }]) {
      expect((await get(partialPath(id, other))).status).toBe(404);
    }
  });

  it('takes the same bytes again as agreement (200), naming the value it serves', async () => {
    const again = await put(partialPath(id, key), partial);
    expect(again.status).toBe(200);
    const first = (await (await put(partialPath(id, key), partial)).json()) as { stored: boolean; served: string };
    expect(first.stored).toBe(false);
    expect((await again.json()) as object).toMatchObject({ stored: false, served: first.served });
  });

  it('refuses bad keys and bodies with a reason', async () => {
    const bad = [
      partialPath(id, { ...key, slice: 14 }),
      partialPath(id, { ...key, dimension: '../etc' }).replace('..%2Fetc', '..'),
      `${analysesPath(id)}/syscalls/1?version=2&code=x&params=${encodeURIComponent('{"b":1,"a":2}')}`,
      `${analysesPath(id)}/syscalls/1?version=0&code=x&params=${encodeURIComponent(canonicalParams({}))}`,
      `${analysesPath(id)}/Sys/1?version=1&code=x&params=%7B%7D`,
      partialPath('f'.repeat(64), key),
    ];
    for (const path of bad) {
      const { status, body } = await getJson(server.url, path);
      expect(status, path).toBeGreaterThanOrEqual(400);
      expect(status, path).toBeLessThan(500);
      expect(typeof (body as { error: string }).error).toBe('string');
    }
    expect((await put(partialPath(id, { ...key, slice: 5 }), '{not json')).status).toBe(400);
    const plain = await fetch(new URL(partialPath(id, { ...key, slice: 5 }), server.url), { method: 'PUT', body: partial, headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
  });
});

describe('two submitters who disagree', () => {
  const contested = { ...key, slice: 7 };

  it('never replace the first value; where the server cannot derive it, the second is a 409 saying so, and the key is served to no one', async () => {
    expect((await put(partialPath(id, contested), partial)).status).toBe(201);
    const other = JSON.stringify({ calls: [] });
    const refused = await put(partialPath(id, contested), other);
    expect(refused.status).toBe(409);
    const answer = (await refused.json()) as { stored: boolean; served?: string; error: string };
    expect(answer.stored).toBe(false);
    expect(answer.served).toBeUndefined();
    expect(answer.error).toMatch(/differs from the one sent first .*this server cannot derive it \(this server runs syscalls version \d+ .*not version 2 \(code abc123\)\).*neither replaces the other.*disputed/);
    // Neither value is served now: a client computes the slice itself.
    const got = await get(partialPath(id, contested));
    expect(got.status).toBe(404);
    expect(((await got.json()) as { error: string }).error).toMatch(/disputed/);
    // The first value sent again does not settle it either.
    expect((await put(partialPath(id, contested), partial)).status).toBe(200);
    expect((await get(partialPath(id, contested))).status).toBe(404);
    // Other keys are untouched.
    expect(await (await get(partialPath(id, key))).text()).toBe(partial);
  });

  it('are listed: which slices of which analysis are served, which disputed', async () => {
    const processes = { dimension: 'processes', version: 1, code: '', params: {}, slice: 0 };
    expect((await put(partialPath(id, processes), '{"tasks":[]}')).status).toBe(201);
    const { status, body } = await getJson(server.url, analysesPath(id));
    expect(status).toBe(200);
    const list = body as SharedAnalysis[];
    expect(list).toHaveLength(2);
    expect(list.find((a) => a.dimension === 'syscalls')).toEqual({ dimension: 'syscalls', version: 2, code: 'abc123', params: { strsize: 32 }, slices: [3], disputed: [7] });
    expect(list.find((a) => a.dimension === 'processes')).toEqual({ dimension: 'processes', version: 1, code: '', params: {}, slices: [0], disputed: [] });
    expect((await getJson(server.url, analysesPath('f'.repeat(64)))).status).toBe(404);
    expect((await getJson(server.url, analysesPath('nope'))).status).toBe(404);
  });
});

describe('limits', () => {
  it(`refuses a partial over ${MAX_PARTIAL_BYTES} bytes with a 413 before reading it, and stores nothing`, async () => {
    const at = new URL(partialPath(id, { ...key, slice: 9 }), server.url);
    // Declared too large: answered from the header alone (the body is never sent).
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(at, { method: 'PUT', headers: { 'content-type': PARTIAL_CONTENT_TYPE, 'content-length': MAX_PARTIAL_BYTES + 1 } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status.status).toBe(413);
    expect((JSON.parse(status.body) as { error: string }).error).toMatch(new RegExp(`a partial is at most ${MAX_PARTIAL_BYTES} bytes of JSON; this one is ${MAX_PARTIAL_BYTES + 1}`));
    // Sent in chunks without a length: stopped at the limit.
    const big = `"${'x'.repeat(MAX_PARTIAL_BYTES)}"`;
    const chunked = await fetch(at, { method: 'PUT', body: new Blob([big]).stream(), headers: { 'content-type': PARTIAL_CONTENT_TYPE }, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: string }).error).toMatch(/a partial is at most/);
    expect((await get(at.pathname + at.search)).status).toBe(404);
  });
});

describe("the engine's server cache", () => {
  // A version no server runs: these partials are taken as sent, never derived.
  const pkey = { recording: '', dimension: 'console', version: 999, code: '', params: {}, slice: 2 };

  const origin = () => server.url.replace(/\/$/, '');

  it('reads what it finds on the server, sends what it computed, and layers a local cache over it', async () => {
    const k = { ...pkey, recording: id };
    const remote = serverPartials(origin(), id);
    expect(await remote.get(k)).toBeUndefined();
    const value = { writes: [{ tick: 5n, bytes: new Uint8Array([104, 105]) }] };
    await remote.put(k, value);
    expect(await (await get(partialPath(id, k))).text()).toBe(encodeAnalysisJson(value));
    // The next run (a fresh cache, as every analysis makes one) finds it.
    const local = new MemoryAnalysisCache();
    const layered = layeredCache(local, serverPartials(origin(), id));
    expect(await layered.get(k)).toEqual(value);
    // The server's hit is kept locally.
    expect(local.get(k)).toEqual(value);
    // A key of another recording is not asked of this server.
    expect(await remote.get({ ...k, recording: 'a'.repeat(64) })).toBeUndefined();
  });

  it('notes once that a server which cannot be reached is not used, and answers nothing', async () => {
    const notes: string[] = [];
    const remote = serverPartials('http://127.0.0.1:9', id, (line) => notes.push(line));
    expect(await remote.get({ ...pkey, recording: id })).toBeUndefined();
    await remote.put({ ...pkey, recording: id }, { writes: [] });
    expect(notes).toEqual([expect.stringMatching(/^analyses are not shared through http:\/\/127\.0\.0\.1:9: /)]);
  });

  it('notes a dispute the server reports, and goes on sharing the rest', async () => {
    const notes: string[] = [];
    const remote = serverPartials(origin(), id, (line) => notes.push(line));
    const k = { ...pkey, recording: id, slice: 3 };
    await remote.put(k, { writes: [] });
    await remote.put(k, { writes: [{ tick: 1n }] });
    expect(notes).toEqual([expect.stringMatching(/disputes this analysis: .*disputed/)]);
    await remote.put({ ...k, slice: 4 }, { writes: [] });
    const next = serverPartials(origin(), id);
    expect(await next.get({ ...k, slice: 4 })).toEqual({ writes: [] });
    // The disputed slice is not served: the next run computes it.
    expect(await next.get(k)).toBeUndefined();
  });

  it('finds the server and recording of a share link or an API URL', () => {
    expect(serverOfLink(`http://127.0.0.1:4173/r/${id}?t=5&view=syscalls`)).toEqual({ origin: 'http://127.0.0.1:4173', id });
    expect(serverOfLink(`https://Example.org/api/recordings/${id}/file`)).toEqual({ origin: 'https://example.org', id });
    expect(serverOfLink('https://example.org/demos/first-tour.prnr')).toBeUndefined();
    expect(serverOfLink('not a url')).toBeUndefined();
  });
});

describe('partials the server derives itself', () => {
  /** The console partial of `slice`, as any prnr computes it (the Node engine over the same file). */
  async function computed(slice: number): Promise<{ key: PartialKeyFields; json: string }> {
    const runtime = createAnalysisRuntime();
    const description = runtime.describe({ dimension: 'console', params: {} });
    const engine = createNodeEngine({ analyses: { runtime } });
    const { id: opened } = await engine.openRecording({ bytes: demoBytes('first-tour') });
    let partial: unknown;
    await engine.analyze(opened, { dimensions: [{ dimension: 'console', params: {} }], slices: [slice], jobs: 1 }, { onProgress: (p) => void (partial = p.partial) });
    await engine.closeRecording(opened);
    return { key: { dimension: 'console', version: description.version, code: description.code, params: description.params, slice }, json: encodeAnalysisJson(partial) };
  }
  const sha = async (text: string) => Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))).toString('hex');

  it('verifies a partial on request (?verify=1) by replaying the slice, and says so when serving it', async () => {
    const right = await computed(4);
    const response = await put(`${partialPath(id, right.key)}&verify=1`, right.json);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ stored: true, served: await sha(right.json), verified: true } satisfies PartialAnswer);
    const got = await get(partialPath(id, right.key));
    expect(got.headers.get(VERIFIED_HEADER)).toBe('true');
    expect(await got.text()).toBe(right.json);
  }, 120_000);

  it('settles a dispute with its own derivation: a wrong first value is replaced by the right one, and a wrong one sent later refused', async () => {
    const right = await computed(6);
    const wrong = encodeAnalysisJson({ ...(JSON.parse(right.json) as object), forged: true });
    // A lone first value is believed (the XXX in analyses.ts)...
    expect((await put(partialPath(id, right.key), wrong)).status).toBe(201);
    const believed = await get(partialPath(id, right.key));
    expect(believed.headers.get(VERIFIED_HEADER)).toBe('false');
    expect(await believed.text()).toBe(wrong);
    // ...until another submitter disagrees: the server replays the slice and serves what it derived.
    const settled = await put(partialPath(id, right.key), right.json);
    expect(settled.status).toBe(200);
    expect(await settled.json()).toEqual({ stored: false, served: await sha(right.json), verified: true } satisfies PartialAnswer);
    const got = await get(partialPath(id, right.key));
    expect(got.headers.get(VERIFIED_HEADER)).toBe('true');
    expect(await got.text()).toBe(right.json);
    // The wrong value again: refused, naming the served one.
    const refused = await put(partialPath(id, right.key), wrong);
    expect(refused.status).toBe(409);
    const answer = (await refused.json()) as PartialAnswer;
    expect(answer).toMatchObject({ stored: false, served: await sha(right.json), verified: true });
    expect(answer.error).toMatch(/differs from the one this server derived by replaying the slice itself .*that one is served/);
    // Listed as served, not disputed.
    const listed = ((await getJson(server.url, analysesPath(id))).body as SharedAnalysis[]).find((a) => a.dimension === 'console' && a.version === right.key.version);
    expect(listed).toMatchObject({ slices: [4, 6], disputed: [] });
  }, 120_000);
});
