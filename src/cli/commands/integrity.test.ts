// Chain of custody from the command line: what `prnr info` and `prnr verify`
// say about a recording's digest and signature, and what they refuse.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR } from '../../engine/node/images';
import { openRecordingFile } from '../../engine/node/recording-file';
import { crc32 } from '../../shared/crc32';
import { FILE_HEADER_BYTES, FRAME_OVERHEAD, RecordType } from '../../shared/recording/format';
import { toHex } from '../../shared/sha256';
import { prnr } from '../../../test/prnr';

const hasDefaultImage = existsSync(join(DEFAULT_IMAGES_DIR, 'default', 'manifest.json'));

/** The records of a recording file: offset, type and payload length of each. */
function frames(data: Uint8Array): Array<{ at: number; type: number; length: number }> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = [];
  for (let at = FILE_HEADER_BYTES; at < data.length; at += FRAME_OVERHEAD + view.getUint32(at + 1, true)) out.push({ at, type: data[at], length: view.getUint32(at + 1, true) });
  return out;
}

/** A copy of `path` with the last byte of the first record of `type` flipped, its CRC recomputed if `reseal`. */
function damaged(path: string, to: string, type: RecordType, reseal: boolean): string {
  const data = new Uint8Array(readFileSync(path));
  const f = frames(data).find((r) => r.type === type)!;
  data[f.at + 5 + f.length - 1] ^= 0x01;
  if (reseal) new DataView(data.buffer).setUint32(f.at + 5 + f.length, crc32(data.subarray(f.at, f.at + 5 + f.length)), true);
  writeFileSync(to, data);
  return to;
}

describe.skipIf(!hasDefaultImage)('prnr info and verify', () => {
  let dir: string;
  let plain: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prnr-integrity-'));
    plain = join(dir, 'plain.prnr');
    const recorded = await prnr(['record', '--cmd', 'echo hi', '-o', plain]);
    expect(recorded.stderr).not.toMatch(/^prnr: (?!\[)/m);
    expect(recorded.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('info prints the digest that seals the recording, says it is unsigned, and how much its blobs were compressed', async () => {
    const { recording, source } = openRecordingFile(plain);
    source.close();
    const info = await prnr(['info', plain]);
    expect(info).toMatchObject({ code: 0, stderr: '' });
    expect(info.stdout).toContain(`\ndigest: ${toHex(recording.digest)}\n`);
    expect(info.stdout).toContain('\nsignature: none (unsigned)\n');
    expect(info.stdout).toMatch(/\nblobs: \d+ \(\d+ bytes stored of \d+ content bytes, \d+(\.\d)?%\)/);
  });

  it('verify checks the chain and every blob, prints the digest and signature, and exits 0', async () => {
    const info = await prnr(['info', plain]);
    const verify = await prnr(['verify', plain]);
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    const lines = verify.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^verified ${plain}: the integrity chain from the header to END; \\d+ snapshots, \\d+ slices, ticks 0 to \\d+$`));
    expect(lines[1]).toMatch(/^blobs: \d+ \(\d+ bytes stored of \d+ content bytes, [\d.]+%\), every one checked$/);
    expect(lines.slice(2)).toEqual(info.stdout.split('\n').filter((l) => /^(digest|signature): /.test(l)));
  });

  it('verify finds a damaged blob that info does not read, and a forged one whose checksum was recomputed, in one line, exit 1', async () => {
    const flipped = damaged(plain, join(dir, 'flipped.prnr'), RecordType.blob, false);
    expect((await prnr(['info', flipped])).code).toBe(0);
    expect(await prnr(['verify', flipped])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(new RegExp(`^prnr: ${flipped} fails verification: recording is corrupt: blob record at byte \\d+ fails its checksum\n$`, 'i')) });
    const forged = damaged(plain, join(dir, 'forged.prnr'), RecordType.blob, true);
    const result = await prnr(['verify', forged]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(new RegExp(`^prnr: ${forged} fails verification: recording (has been tampered with|is corrupt): blob record at byte \\d+[^\n]*\n$`, 'i'));
  });

  it('verify names an edited console output record (checksum recomputed) as tampered', async () => {
    const edited = damaged(plain, join(dir, 'edited.prnr'), RecordType.output, true);
    const result = await prnr(['verify', edited]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(new RegExp(`^prnr: ${edited} fails verification: recording has been tampered with: the records of slice \\d+ .* do not match the integrity chain`));
  });

  it('has its own usage, from prnr help verify and prnr verify --help', async () => {
    const help = await prnr(['help', 'verify']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^prnr verify FILE\.prnr/);
    expect(help.stdout).toMatch(/^ {2}--key KEY +also require a valid signature/m);
    expect(await prnr(['verify', '--help'])).toEqual({ ...help, ms: expect.any(Number) });
    expect((await prnr(['--help'])).stdout).toMatch(/^ {2}verify +check a recording's integrity chain/m);
    expect(await prnr(['verify'])).toMatchObject({ code: 2, stderr: 'prnr: verify takes one recording file\n' });
    expect(await prnr(['verify', join(dir, 'none.prnr')])).toMatchObject({ code: 1, stderr: `prnr: no recording at ${join(dir, 'none.prnr')}\n` });
  });
});
