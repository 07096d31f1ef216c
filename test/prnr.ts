// The `prnr` command as a user runs it, for tests: a real node process on
// bin/prnr.js, with PRNR_DEBUG off so errors read as a user sees them.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PRNR_BIN = fileURLToPath(new URL('../bin/prnr.js', import.meta.url));

export interface PrnrResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `prnr ARGS...` to its end and returns its exit code, output and wall time. */
export function prnr(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<PrnrResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [PRNR_BIN, ...args], { env: { ...process.env, PRNR_DEBUG: '', ...options.env }, cwd: options.cwd, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Starts `prnr ARGS...` without waiting for it. */
export function spawnPrnr(args: string[]): ChildProcess {
  return spawn(process.execPath, [PRNR_BIN, ...args], { env: { ...process.env, PRNR_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
}
