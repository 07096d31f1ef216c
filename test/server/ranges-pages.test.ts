// The routes the app's library, its notes and its reading by parts lean on
// (issue 13): several ranges of a file in one multipart/byteranges answer,
// byte for byte; the list of recordings a page at a time with the total; a
// recording's notes after a given one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHttpRecording, parseMultipartRanges } from '../../src/engine/http-range';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { loadSnapshot, openRecordingByParts } from '../../src/shared/recording/open-parts';
import type { RangeReader } from '../../src/shared/recording/source';
import { latin1FromBytes } from '../../src/shared/bytes';
import { MULTIPART_RANGES_HEADER, TOTAL_COUNT_HEADER, type SharedNote, type SharedRecording } from '../../src/shared/server-api';
import { demoBytes, getJson, startTestServer, upload, type TestServer } from './helpers';

let server: TestServer;
const ids: string[] = [];
let tour: Uint8Array;

beforeAll(async () => {
  server = await startTestServer();
  tour = demoBytes('first-tour');
  for (const name of ['first-tour', 'file-io', 'diverge-a'] as const) {
    const { status, body } = await upload(server.url, demoBytes(name), `?title=${name}`);
    expect(status).toBe(201);
    ids.push(body.id as string);
  }
});
afterAll(async () => {
  await server?.dispose();
});

const fileUrl = (id: string) => new URL(`/api/recordings/${id}/file`, server.url).href;

describe('several ranges in one request', () => {
  it('answers them as one multipart/byteranges body, each part byte for byte, in file order, overlapping ones joined', async () => {
    const size = tour.length;
    const response = await fetch(fileUrl(ids[0]), { headers: { range: `bytes=${size - 100}-,0-15,5000-5999,5500-6499,-10` } });
    expect(response.status).toBe(206);
    expect(response.headers.get(MULTIPART_RANGES_HEADER)).toBe('multipart');
    const type = response.headers.get('content-type')!;
    const boundary = /boundary=(\S+)/.exec(type)![1];
    expect(type).toMatch(/^multipart\/byteranges; boundary=/);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(body.length);
    // RFC 9110 14.6 as written: each part's own headers, the close delimiter at the end.
    expect(latin1FromBytes(body.subarray(0, 200))).toMatch(new RegExp(`^--${boundary}\\r\\ncontent-type: application/octet-stream\\r\\ncontent-range: bytes 0-15/${size}\\r\\n\\r\\n`));
    expect(latin1FromBytes(body.subarray(body.length - boundary.length - 8))).toBe(`\r\n--${boundary}--\r\n`);
    const parts = parseMultipartRanges(body, boundary);
    expect(parts.map((p) => [p.start, p.start + p.bytes.length])).toEqual([
      [0, 16],
      [5000, 6500],
      [size - 100, size],
    ]);
    for (const p of parts) expect(Buffer.compare(p.bytes, tour.subarray(p.start, p.start + p.bytes.length))).toBe(0);
  });

  it('serves one range plainly, refuses ranges all outside the file (416) and gives the whole file for a malformed header', async () => {
    const one = await fetch(fileUrl(ids[0]), { headers: { range: 'bytes=10-19,15-25' } });
    expect(one.status).toBe(206);
    expect(one.headers.get('content-range')).toBe(`bytes 10-25/${tour.length}`);
    expect(Buffer.compare(new Uint8Array(await one.arrayBuffer()), tour.subarray(10, 26))).toBe(0);
    const outside = await fetch(fileUrl(ids[0]), { headers: { range: `bytes=${tour.length}-,${tour.length + 5}-${tour.length + 9}` } });
    expect(outside.status).toBe(416);
    const garbled = await fetch(fileUrl(ids[0]), { headers: { range: 'bytes=0-9,x-y' } });
    expect(garbled.status).toBe(200);
    expect(Number(garbled.headers.get('content-length'))).toBe(tour.length);
    await garbled.arrayBuffer();
  });

  it('is what the engine reads by: the tail first, then many ranges in one request', async () => {
    const reader = await openHttpRecording(fileUrl(ids[0]));
    if (reader instanceof Uint8Array) throw new Error('the server should answer ranges');
    expect(reader.size).toBe(tour.length);
    expect(reader.initial!.start + reader.initial!.bytes.length).toBe(tour.length);
    const ranges: Array<[number, number]> = [
      [0, 16],
      [70_000, 4096],
      [1_000_000, 30],
      [tour.length - 1, 1],
    ];
    const got = await reader.readRanges!(ranges);
    ranges.forEach(([offset, length], i) => expect(Buffer.compare(got[i], tour.subarray(offset, offset + length))).toBe(0));
    const plain = await openHttpRecording(fileUrl(ids[0]), { multipart: false });
    expect(plain instanceof Uint8Array ? 'bytes' : plain.readRanges).toBeUndefined();
  });

  it('opens a recording in two requests (its tail, then its small records) and loads a snapshot in one more', async () => {
    let requests = 0;
    const fetched = globalThis.fetch;
    globalThis.fetch = (...args: Parameters<typeof fetch>) => (requests++, fetched(...args));
    try {
      const reader = (await openHttpRecording(fileUrl(ids[0]))) as RangeReader;
      const { rec, source } = await openRecordingByParts(reader, nodeOpenOptions);
      expect(requests).toBe(2);
      expect(source.loadedBytes).toBeLessThan(tour.length / 4);
      const k = rec.snapshots.length - 1;
      await loadSnapshot(rec, source, k);
      expect(requests).toBe(3);
    } finally {
      globalThis.fetch = fetched;
    }
  });
});

describe('the list a page at a time', () => {
  it('answers ?limit=&offset= newest first with the total in a header, the whole list without them', async () => {
    const all = await fetch(new URL('/api/recordings', server.url));
    const whole = (await all.json()) as SharedRecording[];
    expect(whole.map((r) => r.id)).toEqual([...ids].reverse());
    expect(all.headers.get(TOTAL_COUNT_HEADER)).toBe('3');
    const page = await fetch(new URL('/api/recordings?limit=2&offset=1', server.url));
    expect(page.headers.get(TOTAL_COUNT_HEADER)).toBe('3');
    expect(((await page.json()) as SharedRecording[]).map((r) => r.id)).toEqual([ids[1], ids[0]]);
    const past = await getJson(server.url, '/api/recordings?limit=5&offset=9');
    expect(past.body).toEqual([]);
  });

  it('refuses a limit or offset that is not a whole number in range, saying so', async () => {
    for (const query of ['limit=-1', 'limit=abc', 'limit=501', 'offset=1.5', 'offset=']) {
      const { status, body } = await getJson(server.url, `/api/recordings?${query}`);
      expect(status, query).toBe(400);
      expect((body as { error: string }).error).toMatch(/whole number/);
    }
  });
});

describe('notes after a given one', () => {
  it('lists only the notes added after ?since=', async () => {
    const post = (text: string) => getJson(server.url, `/api/recordings/${ids[1]}/notes`, { method: 'POST', body: JSON.stringify({ author: 'Ada', text, tick: '10' }), headers: { 'content-type': 'application/json' } });
    const first = (await post('one')).body as SharedNote;
    await post('two');
    await post('three');
    const after = (await getJson(server.url, `/api/recordings/${ids[1]}/notes?since=${first.id}`)).body as SharedNote[];
    expect(after.map((n) => n.text)).toEqual(['two', 'three']);
    const none = (await getJson(server.url, `/api/recordings/${ids[1]}/notes?since=${after[1].id}`)).body;
    expect(none).toEqual([]);
    expect((await getJson(server.url, `/api/recordings/${ids[1]}/notes?since=x`)).status).toBe(400);
  });
});
