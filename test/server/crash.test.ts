// The server killed with SIGKILL during uploads, then restarted (issue 13,
// reliability): every recording acknowledged before is there and verifies
// (served byte for byte, opened and every blob checked by the reader); the
// interrupted one is not listed and not served; and the data directory holds
// nothing but the database and the packs it names (tmp/ empty).
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { openRecording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { toHex } from '../../src/shared/sha256';
import { rewriteWithPadding } from '../../scripts/bench/pad-recording';
import { PAGE_BYTES } from '../../src/shared/recording/format';
import { recordMini } from '../record/helpers';
import { demoBytes, filesUnder, getJson, spawnServe, tempDataDir, upload, type ServeProcess } from './helpers';

const digestOf = (bytes: Uint8Array) => toHex(openRecording(bytesSource(bytes), nodeOpenOptions).digest);
const running: ServeProcess[] = [];

afterAll(async () => {
  for (const s of running) await s.stop();
});

async function serve(dir: string): Promise<ServeProcess> {
  const s = await spawnServe(dir);
  running.push(s);
  return s;
}

async function kill(s: ServeProcess): Promise<void> {
  const exited = new Promise((done) => s.child.once('exit', done));
  s.child.kill('SIGKILL');
  await exited;
}

/** Every acknowledged recording is listed, served byte for byte and verifies; nothing else is listed. */
async function expectExactly(url: string, acknowledged: Map<string, Uint8Array>): Promise<void> {
  const { body } = await getJson(url, '/api/recordings');
  expect((body as Array<{ id: string }>).map((r) => r.id).sort()).toEqual([...acknowledged.keys()].sort());
  for (const [id, bytes] of acknowledged) {
    const served = new Uint8Array(await (await fetch(new URL(`/api/recordings/${id}/file`, url))).arrayBuffer());
    expect(Buffer.compare(served, bytes), id).toBe(0);
    const rec = openRecording(bytesSource(served), nodeOpenOptions);
    expect(toHex(rec.digest)).toBe(id);
    rec.verifyBlobs();
  }
}

/** Nothing but the database and the packs it names; tmp/ empty. */
function expectNoStrayFiles(dir: string): void {
  const db = new Database(join(dir, 'prnr.db'), { fileMustExist: true });
  const packs = new Set(db.prepare<[], { name: string }>('SELECT name FROM packs').all().map((r) => `packs/${r.name}`));
  db.close();
  const stray = filesUnder(dir).filter((f) => !/^prnr\.db(-wal|-shm)?$/.test(f) && !packs.has(f));
  expect(stray).toEqual([]);
  expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  for (const p of packs) expect(filesUnder(dir)).toContain(p);
}

/** Sends the first `sent` bytes of an upload of `total` bytes and leaves the request open. */
function partialUpload(url: string, bytes: Uint8Array, sent: number): void {
  const req = request(new URL('/api/recordings', url), { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': bytes.length } });
  req.on('error', () => undefined);
  req.write(bytes.subarray(0, sent));
}

async function waitFor(check: () => boolean, what: string, everyMs = 25): Promise<void> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('SIGKILL during an upload', () => {
  const dir = tempDataDir();
  const acknowledged = new Map<string, Uint8Array>();

  it('keeps what was acknowledged and nothing of an upload cut off mid-body', async () => {
    const first = await serve(dir);
    for (const commands of [['one'], ['two', 'three']]) {
      const { bytes } = await recordMini({ commands });
      const { status, body } = await upload(first.url, bytes);
      expect(status).toBe(201);
      acknowledged.set(body.id as string, bytes);
    }
    const tour = demoBytes('first-tour');
    const answer = await upload(first.url, tour);
    expect(answer.status).toBe(201);
    acknowledged.set(answer.body.id as string, tour);

    const interrupted = demoBytes('file-io');
    partialUpload(first.url, interrupted, interrupted.length >> 1);
    await waitFor(() => readdirSync(join(dir, 'tmp')).length > 0, 'the upload to reach tmp/');
    await kill(first);
    expect(readdirSync(join(dir, 'tmp')).length).toBeGreaterThan(0);

    const second = await serve(dir);
    await expectExactly(second.url, acknowledged);
    expect((await getJson(second.url, `/api/recordings/${digestOf(interrupted)}`)).status).toBe(404);
    expectNoStrayFiles(dir);
    await kill(second);
  }, 120_000);

  /** Uploads `bytes` to a fresh server, kills it at `moment`, restarts and checks; returns what tmp/ held at the kill. */
  async function killDuring(bytes: Uint8Array, moment: { delay: number } | { pack: true }): Promise<string[]> {
    const id = digestOf(bytes);
    const tmp = join(dir, 'tmp');
    const s = await serve(dir);
    let answered = false;
    const pending = upload(s.url, bytes).then((a) => ((answered = true), a), () => undefined);
    if ('delay' in moment) await new Promise((r) => setTimeout(r, moment.delay));
    else await waitFor(() => answered || readdirSync(tmp).some((n) => n.startsWith('pack-')), 'a pack being written', 1);
    const inFlight = readdirSync(tmp);
    await kill(s);
    const answer = await pending;
    // Acknowledged before the kill: it must be there from now on.
    if (answer?.status === 201) acknowledged.set(id, bytes);
    const again = await serve(dir);
    const listed = ((await getJson(again.url, '/api/recordings')).body as Array<{ id: string }>).some((r) => r.id === id);
    if (!acknowledged.has(id) && listed) acknowledged.set(id, bytes); // committed just before the kill, unanswered: whole, so verified below
    await expectExactly(again.url, acknowledged);
    expectNoStrayFiles(dir);
    await kill(again);
    return inFlight;
  }

  it('keeps what was acknowledged when killed while receiving or checking an upload', async () => {
    const bytes = demoBytes('diverge-a');
    const inFlight: string[][] = [];
    for (const delay of [60, 250, 400]) {
      inFlight.push(await killDuring(bytes, { delay }));
      if (acknowledged.has(digestOf(bytes))) break;
    }
    // The kills did land while an upload was under way.
    expect(inFlight.some((names) => names.some((n) => n.startsWith('upload-')))).toBe(true);
  }, 240_000);

  it('keeps what was acknowledged when killed while the pack of an upload is written', async () => {
    // Recordings with 32 MiB of pages no other holds: their pack takes a while to write and fsync.
    const base = openRecording(bytesSource((await recordMini({ commands: ['pack'] })).bytes), nodeOpenOptions);
    const work = mkdtempSync(join(tmpdir(), 'prnr-crash-pack-'));
    try {
      let seen = false;
      for (let attempt = 0; attempt < 4 && !seen; attempt++) {
        const file = join(work, `padded-${attempt}.prnr`);
        rewriteWithPadding(base, file, 32 * 2 ** 20, PAGE_BYTES);
        const inFlight = await killDuring(new Uint8Array(readFileSync(file)), { pack: true });
        seen = inFlight.some((n) => n.startsWith('pack-'));
      }
      expect(seen).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);

  it('removes what a crash between the pack and its transaction would leave', async () => {
    writeFileSync(join(dir, 'packs', `${'ab'.repeat(32)}.pack`), 'a pack no transaction named');
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'tmp', 'upload-0123'), 'half an upload');
    const s = await serve(dir);
    expect(s.output()).toMatch(/removed 2 unfinished files/);
    await expectExactly(s.url, acknowledged);
    expectNoStrayFiles(dir);
    await s.stop();
  }, 60_000);
});
