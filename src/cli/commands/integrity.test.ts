// Chain of custody from the command line: what `prnr info` and `prnr verify`
// say about a recording's digest and signature, and what they refuse.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR } from '../../engine/node/images';
import { openRecordingFile } from '../../engine/node/recording-file';
import { toHex } from '../../shared/sha256';
import { prnr } from '../../../test/prnr';

const hasDefaultImage = existsSync(join(DEFAULT_IMAGES_DIR, 'default', 'manifest.json'));

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
});
