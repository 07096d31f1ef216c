// prnr push and prnr replay|analyze on a share link, as a user runs them
// against a running prnr serve (issue 13 contract): push prints the link on
// its last line; replay and analyze take it in place of a file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { openRecording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { toHex } from '../../src/shared/sha256';
import { prnr } from '../prnr';
import { demoBytes, getJson, spawnServe, tempDataDir, type ServeProcess } from './helpers';

let server: ServeProcess;
const dataDir = tempDataDir();
const work = mkdtempSync(join(tmpdir(), 'prnr-push-'));
const env = { PRNR_CACHE_DIR: join(work, 'cache') };
const demo = demoBytes('diverge-a');
const demoFile = join(work, 'diverge-a.prnr');
let link: string;

beforeAll(async () => {
  writeFileSync(demoFile, demo);
  server = await spawnServe(dataDir);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('prnr push', () => {
  it('uploads a recording and prints its share link on the last line', async () => {
    const result = await prnr(['push', demoFile, '--server', server.url, '--title', 'diverge a'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const id = toHex(openRecording(bytesSource(demo), nodeOpenOptions).digest);
    link = lines[lines.length - 1];
    expect(link).toBe(`${server.url}r/${id}`);
    expect((await getJson(server.url, `/api/recordings/${id}`)).body).toMatchObject({ id, title: 'diverge a', slices: 10 });
  }, 60_000);

  it('refuses a file that is not a recording, in the reader\'s words, uploading nothing', async () => {
    const bad = join(work, 'bad.prnr');
    writeFileSync(bad, demo.subarray(0, 5000));
    const before = ((await getJson(server.url, '/api/recordings')).body as unknown[]).length;
    const result = await prnr(['push', bad, '--server', server.url], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/recording is (truncated|corrupt)/);
    expect(((await getJson(server.url, '/api/recordings')).body as unknown[]).length).toBe(before);
  }, 60_000);

  it('says so plainly when the server cannot be reached or --server is missing', async () => {
    const unreachable = await prnr(['push', demoFile, '--server', 'http://127.0.0.1:9'], { env });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
    const missing = await prnr(['push', demoFile], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --server URL/);
  }, 60_000);
});

describe('a share link in place of a file', () => {
  it('replays and verifies every slice of the recording behind the link', async () => {
    const result = await prnr(['replay', link, '--jobs', '2'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/10\/10 slices verified/);
  }, 240_000);

  it('analyses it as it analyses the file', async () => {
    const fromLink = await prnr(['analyze', link, '--console', '--jobs', '2', '-o', join(work, 'from-link')], { env });
    expect(fromLink.code).toBe(0);
    const fromFile = await prnr(['analyze', demoFile, '--console', '--jobs', '2', '-o', join(work, 'from-file')], { env });
    expect(fromFile.code).toBe(0);
    const summary = (out: string) => out.split('\n').find((l) => l.startsWith('console:'))?.replace(/ -> .*/, '');
    expect(summary(fromLink.stdout)).toBeDefined();
    expect(summary(fromLink.stdout)).toBe(summary(fromFile.stdout));
  }, 240_000);

  it('shares the partials through the server: a second machine (a fresh cache) replays nothing', async () => {
    const again = await prnr(['analyze', link, '--console', '--jobs', '2', '-o', join(work, 'elsewhere')], { env: { PRNR_CACHE_DIR: join(work, 'other-cache') } });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/all 10 slices of every analysis from the cache/);
  }, 240_000);

  it('gives 404 for a link to a recording the server does not have', async () => {
    const result = await prnr(['replay', `${server.url}r/${'0'.repeat(64)}`], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/answered 404: no recording/);
  }, 60_000);
});
