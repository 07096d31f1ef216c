// For the CLI's tests: a fresh temporary folder for a describe block.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Makes a folder prnr-NAME-… before the block's tests (and its later beforeAll hooks) and removes it after them; returns its path, once made. */
export function useTempDir(name: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `prnr-${name}-`));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('useTempDir: the folder is made in beforeAll');
    return dir;
  };
}
