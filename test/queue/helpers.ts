// For the queue's tests: `prnr worker` processes whose output is kept and
// waited on, stopped by their PID; a demo recording unpacked to a file.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PRNR_BIN } from '../prnr';

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output, now or later. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Lines saying a slice started running. */
  started(): number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startWorker(queue: string, concurrency = 1, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [PRNR_BIN, 'worker', '--queue', queue, '--concurrency', String(concurrency)], { env: { ...process.env, PRNR_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
      for (const w of waiters.splice(0)) w();
    }),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.match(pattern);
        if (m) resolve(m);
        else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`worker exited without printing ${pattern}:\n${out}`));
        else waiters.push(check);
      };
      check();
    });
  const w: WorkerProcess = {
    child,
    pid: child.pid!,
    output: () => out,
    waitFor,
    started: () => out.match(/: running on thread/g)?.length ?? 0,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
      await exited;
    },
  };
  await waitFor(/taking slice jobs from/);
  return w;
}

/** Unpacks public/demos/NAME.prnr.gz into `dir`; returns the file's path. */
export function demoFile(dir: string, name: string): string {
  const path = join(dir, `${name}.prnr`);
  writeFileSync(path, gunzipSync(readFileSync(new URL(`../../public/demos/${name}.prnr.gz`, import.meta.url))));
  return path;
}
