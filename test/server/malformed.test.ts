// A thousand malformed uploads (issue 13, reliability): truncated, bit-flipped,
// of another version, oversized, garbage, and a valid header over garbage.
// Each is refused with a 4xx and a message, the server stays up, and nothing
// is stored: no recording listed, no pack, nothing left in tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_HEADER_BYTES, FRAME_OVERHEAD } from '../../src/shared/recording/format';
import { recordMini } from '../record/helpers';
import { filesUnder, getJson, startTestServer, upload, type TestServer } from './helpers';

let server: TestServer;
let valid: Uint8Array;

beforeAll(async () => {
  valid = (await recordMini()).bytes;
  server = await startTestServer({ maxUploadBytes: valid.length * 2 });
});
afterAll(async () => {
  await server?.dispose();
});

/** A deterministic generator, so a failure names a case that can be run again. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function malformed(): Array<[string, Uint8Array]> {
  const r = rng(13);
  const random = (length: number) => Uint8Array.from({ length }, () => r(256));
  const cases: Array<[string, Uint8Array]> = [];
  for (let i = 0; i < 250; i++) {
    const at = r(valid.length - 1);
    cases.push([`truncated to ${at} bytes`, valid.slice(0, at)]);
  }
  for (let i = 0; i < 300; i++) {
    const copy = valid.slice();
    const bit = r(valid.length * 8);
    copy[bit >> 3] ^= 1 << (bit & 7);
    cases.push([`bit ${bit} flipped`, copy]);
  }
  for (let i = 0; i < 50; i++) {
    const copy = valid.slice();
    const version = i === 0 ? 1 : 3 + r(1000);
    new DataView(copy.buffer).setUint32(8, version, true);
    cases.push([`version ${version}`, copy]);
  }
  for (let i = 0; i < 20; i++) {
    const big = new Uint8Array(valid.length * 2 + 1 + r(valid.length));
    big.set(valid);
    cases.push([`oversized, ${big.length} bytes`, big]);
  }
  for (let i = 0; i < 180; i++) cases.push([`garbage ${i}`, random(r(i < 20 ? 20 : 100_000))]);
  // The file header and the HEADER record intact, then garbage.
  const headerRecord = new DataView(valid.buffer, valid.byteOffset).getUint32(FILE_HEADER_BYTES + 1, true);
  const headerEnd = FILE_HEADER_BYTES + FRAME_OVERHEAD + headerRecord;
  for (let i = 0; i < 200; i++) {
    const garbage = random(1 + r(60_000));
    const keep = i < 100 ? headerEnd : headerEnd + r(valid.length - headerEnd);
    const bytes = new Uint8Array(keep + garbage.length);
    bytes.set(valid.subarray(0, keep));
    bytes.set(garbage, keep);
    cases.push([`valid first ${keep} bytes over ${garbage.length} of garbage`, bytes]);
  }
  return cases;
}

describe('malformed uploads', () => {
  it('refuses each of 1,000 with a 4xx and a message, stays up and stores nothing', async () => {
    const cases = malformed();
    expect(cases.length).toBe(1000);
    const answers: Array<{ what: string; status: number; error: unknown }> = [];
    let next = 0;
    // Eight at a time: the server serves concurrent uploads.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < cases.length) {
          const [what, bytes] = cases[next++];
          const { status, body } = await upload(server.url, bytes);
          answers.push({ what, status, error: body.error });
        }
      }),
    );
    const wrong = answers.filter((a) => a.status < 400 || a.status >= 500 || typeof a.error !== 'string' || (a.error as string).length < 10);
    expect(wrong.slice(0, 5)).toEqual([]);
    // Each kind says what is wrong in the reader's words (or the size limit's).
    for (const a of answers) {
      if (a.what.startsWith('version')) expect(a.error, a.what).toMatch(/format version/);
      if (a.what.startsWith('oversized')) expect(a.status, a.what).toBe(413);
      if (a.what.startsWith('truncated') || a.what.startsWith('bit') || a.what.startsWith('garbage') || a.what.startsWith('valid')) expect(a.error, a.what).toMatch(/^recording (is truncated|is corrupt|has been tampered|has format version)/);
    }
    // Up, and nothing stored.
    expect(await getJson(server.url, '/api/recordings')).toEqual({ status: 200, body: [] });
    expect(filesUnder(server.dataDir).filter((f) => !/^prnr\.db(-wal|-shm)?$/.test(f))).toEqual([]);
    // And it still takes the valid one.
    expect((await upload(server.url, valid)).status).toBe(201);
  }, 240_000);
});
