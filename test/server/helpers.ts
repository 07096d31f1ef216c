// Shared by the server tests: demo recordings, a server in this process (on
// a free loopback port, a fresh data directory) or as `prnr serve` in a
// child process (for SIGKILL; scripts/bench/serve-process.ts), uploads, and
// the files a data directory holds.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server';
export { spawnServe, type ServeProcess } from '../../scripts/bench/serve-process';

const demos = new Map<string, Uint8Array>();

/** A bundled demo recording's bytes (public/demos/<name>.prnr.gz, inflated). */
export function demoBytes(name: 'first-tour' | 'file-io' | 'diverge-a' | 'diverge-b' | 'fork-and-pipe'): Uint8Array {
  let bytes = demos.get(name);
  if (!bytes) demos.set(name, (bytes = new Uint8Array(gunzipSync(readFileSync(new URL(`../../public/demos/${name}.prnr.gz`, import.meta.url))))));
  return bytes;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'prnr-server-'));
}

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Closes the server and removes its data directory. */
  dispose(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const server = await startServer({ appDir: null, port: 0, host: '127.0.0.1', ...options, dataDir });
  return {
    ...server,
    dataDir,
    async dispose() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function upload(base: string, bytes: Uint8Array, query = ''): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(`/api/recordings${query}`, base), { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson(base: string, path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, base), init);
  return { status: response.status, body: await response.json() };
}

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}
