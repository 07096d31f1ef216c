// A recording of more than 4 GiB (a real Linux session, rewritten through the
// writer with 4 MiB blobs of random bytes between its slices, as a long
// memory-heavy session would hold) opens in bounded memory: `prnr info` and
// `prnr seek` stay under 300 MB of resident memory, and every slice still
// verifies. Format v1 read the whole file into memory (and failed at 2 GiB).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import type { Recording } from '../../src/shared/recording/reader';
import { rewriteWithPadding } from '../../scripts/bench/pad-recording';

const bin = fileURLToPath(new URL('../../bin/prnr.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prnr-large-'));
const small = join(dir, 'small.prnr');
const large = join(dir, 'large.prnr');
const PADDING_BYTES = 4.25 * 2 ** 30;
const MEMORY_LIMIT = 300 * 1024 * 1024;

/** Runs the CLI and reports its peak resident memory (bytes), measured by the child itself at exit. */
async function prnrMeasured(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; maxRss: number }> {
  const script = `process.on('exit', () => process.stderr.write('\\nmaxrss=' + process.resourceUsage().maxRSS * 1024 + '\\n')); process.argv = [process.argv[0], ${JSON.stringify(bin)}, ...${JSON.stringify(args)}]; await import(${JSON.stringify(bin)});`;
  const result = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, PRNR_DEBUG: '' }, maxBuffer: 1 << 24 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
  const maxRss = Number(/maxrss=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  return { ...result, stderr: result.stderr.replace(/\nmaxrss=\d+\n/, ''), maxRss };
}

let rec: Recording;

beforeAll(async () => {
  const made = await prnrMeasured('record', '--cmd', 'ls /; echo $((6*7))', '--slice-ticks', '20000000', '-o', small);
  expect(made.code, made.stderr).toBe(0);
  const opened = openRecordingFile(small);
  rewriteWithPadding(opened.recording, large, PADDING_BYTES);
  opened.source.close();
  rec = openRecordingFile(large).recording;
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a recording larger than 4 GiB', () => {
  it('is larger than 4 GiB and opens through its index', () => {
    expect(statSync(large).size).toBeGreaterThan(4 * 2 ** 30);
    expect(rec.complete).toBe(true);
    expect(rec.slices.length).toBeGreaterThan(2);
  });

  it('prnr info reads it in bounded memory', async () => {
    const info = await prnrMeasured('info', large);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain('complete');
    expect(info.maxRss).toBeLessThan(MEMORY_LIMIT);
  }, 120_000);

  it('prnr seek shows the machine at a late tick in bounded memory, as in the small recording', async () => {
    const tick = String(rec.slices[rec.slices.length - 1].startTick + 1000n);
    const seekLarge = await prnrMeasured('seek', large, '--tick', tick, '--regs');
    const seekSmall = await prnrMeasured('seek', small, '--tick', tick, '--regs');
    expect(seekLarge.code, seekLarge.stderr).toBe(0);
    expect(seekLarge.stdout.replace(large, 'X')).toBe(seekSmall.stdout.replace(small, 'X'));
    expect(seekLarge.maxRss).toBeLessThan(MEMORY_LIMIT);
  }, 120_000);

  it('every slice verifies on replay', async () => {
    const replay = await prnrMeasured('replay', large, '--jobs', '2');
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(new RegExp(`${rec.slices.length}/${rec.slices.length} slices verified`));
  }, 300_000);
});
