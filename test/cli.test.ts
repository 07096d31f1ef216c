// The `prnr` command as a user runs it: a real node process on bin/prnr.js.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MACHINE_API_VERSION } from '../src/engine/machine';

const bin = fileURLToPath(new URL('../bin/prnr.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

async function prnr(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, PRNR_DEBUG: '' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('prnr CLI', () => {
  it('prints the package version and the machine API version loaded from wasm', async () => {
    const result = await prnr('version');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`prnr ${pkg.version}\nmachine API ${MACHINE_API_VERSION}\n`);
  });

  it('rejects an unknown command with one plain line and exit code 2', async () => {
    const result = await prnr('nonsense');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('prnr: unknown command "nonsense"; run prnr --help for the list\n');
  });

  it('lists every command in --help', async () => {
    const result = await prnr('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: prnr <command>/);
    expect(result.stdout).toMatch(/^ {2}version {2}print the prnr version/m);
  });

  it('reports bad arguments as a usage error', async () => {
    const result = await prnr('version', 'extra');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('version takes no arguments');
  });
});
