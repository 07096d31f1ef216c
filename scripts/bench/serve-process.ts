// `prnr serve` in a child process on a free loopback port, for the server's
// tests (SIGKILL, restarts) and benchmarks (its memory measured apart from
// the clients'): started, its URL read from what it prints, stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { PRNR_BIN } from '../../test/prnr';

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** What it printed. */
  output(): string;
  /** SIGTERM, and its exit. */
  stop(): Promise<void>;
}

/** `prnr serve --port 0 --host 127.0.0.1 --data DIR` in a child process, once it prints its URL. */
export function spawnServe(dataDir: string, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [PRNR_BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, ...args], { env: { ...process.env, PRNR_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prnr serve printed no URL in 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          child,
          output: () => out,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`prnr serve exited (${code ?? signal}) before printing its URL:\n${out}`));
    });
  });
}

