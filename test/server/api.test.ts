// The server's API as its contract states it (issue 13; src/shared/server-api.ts):
// uploads checked and stored, listed, fetched whole and by range byte for
// byte, pages shared across recordings, notes (analysis partials:
// analyses.test.ts), and every mistake a 4xx with a sentence.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { openRecording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { toHex } from '../../src/shared/sha256';
import { MAX_UPLOADS_IN_FLIGHT } from '../../src/server/api';
import { demoBytes, getJson, startTestServer, upload, type TestServer } from './helpers';

const digestOf = (bytes: Uint8Array) => toHex(openRecording(bytesSource(bytes), nodeOpenOptions).digest);

let server: TestServer;
let tour: { id: string; bytes: Uint8Array };

beforeAll(async () => {
  server = await startTestServer();
  const bytes = demoBytes('first-tour');
  const { status, body } = await upload(server.url, bytes, '?title=First%20tour');
  expect(status).toBe(201);
  tour = { id: body.id as string, bytes };
});
afterAll(async () => {
  await server?.dispose();
});

describe('uploads', () => {
  it('answers 201 with the id (the recording digest, 256 bits) and its share link', async () => {
    expect(tour.id).toBe(digestOf(tour.bytes));
    const { body } = await getJson(server.url, `/api/recordings/${tour.id}`);
    expect(body).toMatchObject({ id: tour.id, title: 'First tour', slices: 14, bytes: tour.bytes.length, image: 'default', url: `${server.url}r/${tour.id}` });
    expect((body as { ticks: string }).ticks).toMatch(/^[1-9][0-9]*$/);
    expect(Date.parse((body as { created: string }).created)).toBeGreaterThan(Date.now() - 600_000);
  });

  it('stores a second recording of the same image mostly from the pages it already holds', async () => {
    const bytes = demoBytes('file-io');
    const { status, body } = await upload(server.url, bytes);
    expect(status).toBe(201);
    expect(body.id).toBe(digestOf(bytes));
    // Measured: about a quarter of its bytes are new; the rest are pages first-tour holds too.
    expect(body.storedBytes as number).toBeGreaterThan(0);
    expect(body.storedBytes as number).toBeLessThan(bytes.length / 2);
    const file = new Uint8Array(await (await fetch(new URL(`/api/recordings/${body.id as string}/file`, server.url))).arrayBuffer());
    expect(Buffer.compare(file, bytes)).toBe(0);
  });

  it('keeps answering while an upload is checked (on the upload worker, not the server\'s thread)', async () => {
    const bytes = demoBytes('diverge-b');
    const order: string[] = [];
    const uploading = upload(server.url, bytes).then((r) => order.push(`upload ${r.status}`));
    // Once the body is in tmp/, checking it reads and hashes every blob; a list meanwhile is answered first.
    const received = () => readdirSync(join(server.dataDir, 'tmp')).some((n) => n.startsWith('upload-') && statSync(join(server.dataDir, 'tmp', n)).size === bytes.length);
    for (let i = 0; i < 2000 && !received(); i++) await new Promise((r) => setTimeout(r, 2));
    expect(received()).toBe(true);
    const listing = getJson(server.url, '/api/recordings').then((r) => order.push(`list ${r.status}`));
    await Promise.all([uploading, listing]);
    expect(order).toEqual(['list 200', 'upload 201']);
  });

  it('takes the same recording again under the same id, storing nothing', async () => {
    const { status, body } = await upload(server.url, tour.bytes);
    expect(status).toBe(201);
    expect(body).toMatchObject({ id: tour.id, storedBytes: 0 });
    const { body: list } = await getJson(server.url, '/api/recordings');
    expect((list as Array<{ id: string }>).filter((r) => r.id === tour.id)).toHaveLength(1);
  });

  it('lists recordings with id, title, ticks, slices and created', async () => {
    const { status, body } = await getJson(server.url, '/api/recordings');
    expect(status).toBe(200);
    const list = body as Array<Record<string, unknown>>;
    expect(list.length).toBe(3);
    for (const r of list) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'title', 'ticks', 'slices', 'created']));
  });

  it('lists one recording by ?id=, or none (no 404: the app asks on every page)', async () => {
    const one = await getJson(server.url, `/api/recordings?id=${tour.id}`);
    expect((one.body as Array<{ id: string }>).map((r) => r.id)).toEqual([tour.id]);
    for (const id of ['0'.repeat(64), 'nope', '../x']) expect(await getJson(server.url, `/api/recordings?id=${encodeURIComponent(id)}`)).toEqual({ status: 200, body: [] });
  });

  it('refuses a recording that is not one, saying why', async () => {
    const cut = tour.bytes.slice(0, tour.bytes.length - 1000);
    const { status, body } = await upload(server.url, cut);
    expect(status).toBe(400);
    expect(body.error).toMatch(/recording is (truncated|corrupt)/);
  });

  it('takes so many uploads at once and answers 503 beyond them, until one ends', async () => {
    const busy = await startTestServer();
    const hanging: ClientRequest[] = [];
    try {
      for (let i = 0; i < MAX_UPLOADS_IN_FLIGHT; i++) {
        const req = request(new URL('/api/recordings', busy.url), { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': tour.bytes.length } });
        req.on('error', () => undefined);
        req.write(tour.bytes.subarray(0, 1000));
        hanging.push(req);
      }
      const tmp = join(busy.dataDir, 'tmp');
      for (let i = 0; i < 1000 && readdirSync(tmp).length < MAX_UPLOADS_IN_FLIGHT; i++) await new Promise((r) => setTimeout(r, 5));
      const refused = await upload(busy.url, tour.bytes);
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatch(/uploads are under way/);
      hanging.pop()!.destroy();
      for (let i = 0; i < 1000 && readdirSync(tmp).length >= MAX_UPLOADS_IN_FLIGHT; i++) await new Promise((r) => setTimeout(r, 5));
      expect((await upload(busy.url, tour.bytes)).status).toBe(201);
    } finally {
      for (const req of hanging) req.destroy();
      await busy.dispose();
    }
  });

  it('drops an upload whose body stops coming (408), storing nothing and freeing its place', async () => {
    const idle = await startTestServer({ uploadIdleMs: 300 });
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(new URL('/api/recordings', idle.url), { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': tour.bytes.length } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write(tour.bytes.subarray(0, 5000));
      });
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body).error).toMatch(/sent nothing for 0.3 s after 5000 bytes/);
      expect(readdirSync(join(idle.dataDir, 'tmp'))).toEqual([]);
      expect((await getJson(idle.url, '/api/recordings')).body).toEqual([]);
    } finally {
      await idle.dispose();
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const small = await startTestServer({ maxUploadBytes: 1 << 20 });
    try {
      const { status, body } = await upload(small.url, tour.bytes);
      expect(status).toBe(413);
      expect(body.error).toMatch(/at most 1048576 bytes/);
      expect((await getJson(small.url, '/api/recordings')).body).toEqual([]);
    } finally {
      await small.dispose();
    }
  });
});

describe('the file', () => {
  it('is served whole, byte for byte, with its length and ranges accepted', async () => {
    const response = await fetch(new URL(`/api/recordings/${tour.id}/file`, server.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(response.headers.get('content-length'))).toBe(tour.bytes.length);
    expect(Buffer.compare(new Uint8Array(await response.arrayBuffer()), tour.bytes)).toBe(0);
  });

  it('serves any byte range exactly (206), across pieces', async () => {
    const size = tour.bytes.length;
    const ranges: Array<[string, number, number]> = [
      ['bytes=0-15', 0, 16],
      [`bytes=${size - 163}-`, size - 163, size],
      ['bytes=-500', size - 500, size],
      [`bytes=${size - 10}-${size + 1000}`, size - 10, size],
    ];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 30; i++) {
      const start = rand(size);
      const end = Math.min(size, start + 1 + rand(300_000));
      ranges.push([`bytes=${start}-${end - 1}`, start, end]);
    }
    for (const [header, start, end] of ranges) {
      const response = await fetch(new URL(`/api/recordings/${tour.id}/file`, server.url), { headers: { range: header } });
      expect(response.status, header).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end - 1}/${size}`);
      expect(Buffer.compare(new Uint8Array(await response.arrayBuffer()), tour.bytes.subarray(start, end)), header).toBe(0);
    }
  });

  it('answers 416 for a range outside the file', async () => {
    const response = await fetch(new URL(`/api/recordings/${tour.id}/file`, server.url), { headers: { range: `bytes=${tour.bytes.length}-` } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${tour.bytes.length}`);
  });
});

describe('ids and paths', () => {
  it('answers 404 with a message for an unknown id, a malformed one and traversal attempts', async () => {
    const paths = [
      `/api/recordings/${'0'.repeat(64)}`,
      `/api/recordings/${'0'.repeat(64)}/file`,
      `/api/recordings/${'0'.repeat(64)}/notes`,
      '/api/recordings/not-an-id',
      '/api/recordings/..%2F..%2F..%2Fetc%2Fpasswd/file',
      '/api/recordings/%2e%2e/file',
      `/api/recordings/${tour.id.toUpperCase()}/file`,
      `/api/recordings/${tour.id}%00/file`,
      '/api/recordings/../../../../etc/passwd',
      '/api/nothing',
    ];
    for (const path of paths) {
      const { status, body } = await getJson(server.url, path);
      expect(status, path).toBe(404);
      expect((body as { error: string }).error, path).toMatch(/no recording|nothing at|no API/);
    }
  });
});

describe('the app', () => {
  it('serves the app\'s files and index.html for its routes, never a file outside it', async () => {
    const appDir = mkdtempSync(join(tmpdir(), 'prnr-app-'));
    writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>prnr</title>');
    writeFileSync(join(appDir, 'app.js'), 'console.log(1)');
    const withApp = await startTestServer({ appDir });
    try {
      const index = await fetch(new URL(`/r/${tour.id}?t=5&view=registers`, withApp.url));
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<title>prnr</title>');
      expect(index.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(index.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await (await fetch(new URL('/app.js', withApp.url))).text()).toBe('console.log(1)');
      for (const path of ['/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..\\..\\etc\\passwd', `/${'..%2f'.repeat(12)}etc/passwd`]) {
        const response = await fetch(new URL(path, withApp.url));
        const text = await response.text();
        expect(text, path).not.toMatch(/root:/);
        expect([200, 400, 403, 404], path).toContain(response.status);
      }
    } finally {
      await withApp.dispose();
      rmSync(appDir, { recursive: true, force: true });
    }
  });
});

describe('notes', () => {
  const post = (body: unknown, id = tour.id, type = 'application/json') => getJson(server.url, `/api/recordings/${id}/notes`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': type } });

  it('adds a note with the server time and lists them in order', async () => {
    const a = await post({ author: 'Ada', text: 'the fork happens here', tick: '1200345' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ author: 'Ada', text: 'the fork happens here', tick: '1200345' });
    const b = await post({ author: 'Bo', text: '<script>alert(1)</script>', tick: '0' });
    expect(b.status).toBe(201);
    const { body } = await getJson(server.url, `/api/recordings/${tour.id}/notes`);
    expect((body as Array<{ author: string; text: string }>).map((n) => [n.author, n.text])).toEqual([
      ['Ada', 'the fork happens here'],
      ['Bo', '<script>alert(1)</script>'],
    ]);
    expect(Date.parse((body as Array<{ created: string }>)[0].created)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('keeps one of the same note (tick, author, text) sent twice', async () => {
    const again = await post({ author: 'Ada', text: 'the fork happens here', tick: '1200345' });
    expect(again.status).toBe(200);
    const { body } = await getJson(server.url, `/api/recordings/${tour.id}/notes`);
    expect((body as unknown[]).length).toBe(2);
  });

  it('refuses malformed notes with 400 and a reason', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ text: 'x', tick: '1' }, /needs "author"/],
      [{ author: 'a', tick: '1' }, /needs "text"/],
      [{ author: 'a', text: 'x' }, /needs "tick"/],
      [{ author: 'a', text: 'x', tick: 5 }, /needs "tick", a decimal string/],
      [{ author: 'a', text: 'x', tick: '-5' }, /tick: a tick is a decimal/],
      [{ author: 'a', text: 'x', tick: '999999999999' }, /after the recording's end/],
      [{ author: 'a'.repeat(81), text: 'x', tick: '1' }, /"author" is at most 80/],
      [{ author: 'a', text: 'x'.repeat(4001), tick: '1' }, /"text" is at most 4000/],
      [{ author: '   ', text: 'x', tick: '1' }, /non-empty "author"/],
      [{ author: 'a\u0007', text: 'x', tick: '1' }, /control characters/],
      [{ author: 'a', text: 'x', tick: '1', admin: true }, /not "admin"/],
      [[1, 2], /JSON object/],
      ['{"author": ', /not JSON/],
    ];
    for (const [body, message] of cases) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect((answer.body as { error: string }).error).toMatch(message);
    }
  });

  it('limits the JSON body (413) and wants JSON (415)', async () => {
    const big = await post({ author: 'a', text: 'x'.repeat(20_000), tick: '1' });
    expect(big.status).toBe(413);
    expect((big.body as { error: string }).error).toMatch(/too large|body/i);
    const text = await post('author=a', tour.id, 'text/plain');
    expect(text.status).toBe(415);
    expect(typeof (text.body as { error: string }).error).toBe('string');
  });

  it('has none on an unknown recording (404)', async () => {
    expect((await post({ author: 'a', text: 'x', tick: '1' }, 'f'.repeat(64))).status).toBe(404);
  });
});
