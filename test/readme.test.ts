// The README's command-line examples are true: each `npx prnr ...` line of its
// "Using it from the command line" block runs, in order, in one directory, and
// exits 0 (the interactive `prnr boot` excepted, which needs a terminal).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const hasDefaultImage = existsSync(join(root, 'public/images/default/manifest.json'));

/** The `npx prnr` lines of the README's command-line section, comments dropped. */
function examples(): string[] {
  const section = readme.slice(readme.indexOf('## Using it from the command line'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => line.startsWith('npx prnr '))
    .map((line) => line.replace(/\s+#.*$/, ''));
}

describe.skipIf(!hasDefaultImage)('the README', () => {
  it('has command-line examples that run', async () => {
    const lines = examples();
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.includes(' record '))).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'prnr-readme-'));
    try {
      for (const line of lines) {
        if (line.trim() === 'npx prnr boot') continue; // interactive
        const command = line.replace(/^npx prnr /, `${JSON.stringify(process.execPath)} ${JSON.stringify(join(root, 'bin/prnr.js'))} `);
        const result = await promisify(execFile)('sh', ['-c', command], { cwd: dir, env: { ...process.env, PRNR_DEBUG: '' }, maxBuffer: 16 << 20 }).then(
          () => ({ line, code: 0, stderr: '' }),
          (err: { code: number; stderr: string }) => ({ line, code: err.code, stderr: err.stderr }),
        );
        expect(result).toEqual({ line, code: 0, stderr: expect.any(String) as string });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
