// `npm start` stopped by the PID of npm, as a process manager or a user with
// `kill` would: the server must stop with it, whether npm passes the signal
// on (SIGINT, SIGTERM) or is killed outright (SIGKILL).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function serving(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)('stops serving when npm is sent %s', async (signal) => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], { cwd: root, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    npm.stderr.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    const deadline = Date.now() + 180_000;
    let url: string | undefined;
    while (!(url = /prnr is running at (\S+)/.exec(out)?.[1])) {
      if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`npm start did not come up; it printed: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await serving(url)).toBe(true);
    npm.kill(signal);
    await exited;
    // Gone within a few seconds (a server whose npm was SIGKILLed notices within half a second).
    const gone = Date.now() + 5000;
    while ((await serving(url)) && Date.now() < gone) await new Promise((r) => setTimeout(r, 200));
    expect(await serving(url)).toBe(false);
  }, 240_000);
});
