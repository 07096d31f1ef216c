// `prnr replay --jobs N` on a machine with fewer cores than N: more workers
// than cores only compete for them and each holds a machine's memory, so
// prnr uses as many as there are cores and says so.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR } from '../../engine/node/images';
import { useTempDir } from '../test-dir';
import { prnr } from '../../../test/prnr';

const hasDefaultImage = existsSync(join(DEFAULT_IMAGES_DIR, 'default', 'manifest.json'));

describe.skipIf(!hasDefaultImage)('prnr replay --jobs', () => {
  const dir = useTempDir('jobs');
  let out: string;
  beforeAll(async () => {
    out = join(dir(), 'many-slices.prnr');
    // About 10 slices: more than this machine's cores (if it has fewer than 10).
    expect((await prnr(['record', '--cmd', 'true', '--slice-ticks', '5000000', '-o', out])).code).toBe(0);
  }, 120_000);

  it.skipIf(availableParallelism() >= 8)('caps --jobs above the host\'s cores to them, with a one-line note', async () => {
    const cores = availableParallelism();
    const result = await prnr(['replay', out, '--jobs', '64']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`prnr: --jobs 64: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores} workers (more would only compete for them, each with a machine's memory)\n`);
    expect(result.stdout).toMatch(new RegExp(`^(\\d+)/\\1 slices verified in [\\d.]+ s on ${cores} workers?$`, 'm'));
    const atCores = await prnr(['replay', out, '--jobs', String(cores)]);
    expect(atCores).toMatchObject({ code: 0, stderr: '' });
  });
});
