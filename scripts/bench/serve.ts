// `npm run bench -- --only serve`: prnr serve under load, and the time to a
// shared link's first frame (issue 13).
//
// load: 50 clients on loopback seeking at random ticks in the five demos,
//   shared on a `prnr serve` child process, for 30 s (serve-load.ts): latency
//   percentiles, requests and bytes per second, errors, the server's memory
//   before, at its peak and after.
// first frame: a large recording (a real session cut into 200+ slices, with
//   256 MiB of random pages between them, as a long memory-heavy session holds),
//   shared; then, as a colleague's machine would, the machine at a tick in
//   its middle: opened by parts over HTTP ranges (header and index, the
//   small records, the pages that slice's snapshot needs) against the whole
//   file downloaded first. Both arms then restore and run to the tick the
//   same way, so the difference is what they fetch. In Node, and in Chromium
//   (the link opened in a cold context until the registers show the tick),
//   on loopback and over an emulated 100 Mbit/s, 20 ms network.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BenchRow } from './stats';
import { runLoad, sharedForLoad, type SharedForLoad } from './serve-load';
import { spawnServe } from './serve-process';

const DEMOS = ['first-tour', 'file-io', 'diverge-a', 'diverge-b', 'fork-and-pipe'];
const MiB = 2 ** 20;

async function upload(base: string, bytes: Uint8Array): Promise<string> {
  const response = await fetch(new URL('/api/recordings', base), { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  const body = (await response.json()) as { id?: string; error?: string };
  if (response.status !== 201 || !body.id) throw new Error(`upload refused (${response.status}): ${body.error}`);
  return body.id;
}

export async function benchLoad(log: (line: string) => void): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-serve-'));
  const server = await spawnServe(dir);
  try {
    const recordings: SharedForLoad[] = [];
    for (const name of DEMOS) {
      const bytes = new Uint8Array(gunzipSync(readFileSync(new URL(`../../public/demos/${name}.prnr.gz`, import.meta.url))));
      recordings.push(sharedForLoad(await upload(server.url, bytes), bytes));
    }
    log('serve: 50 clients seeking at random ticks for 30 s…');
    const r = await runLoad({ base: server.url, recordings, clients: 50, seconds: 30, serverPid: server.child.pid, seed: 42 });
    if (r.errors.length > 0) log(`serve: ${r.errors.length} errors, the first: ${r.errors[0]}`);
    const rows: BenchRow[] = [
      { name: 'load: requests', value: r.requests / r.seconds, unit: '/s', note: `50 clients, ${r.seconds.toFixed(0)} s, ${r.requests} requests, ${r.errors.length} errors` },
      { name: 'load: latency p50', value: r.latencyMs.p50, unit: 'ms' },
      { name: 'load: latency p95', value: r.latencyMs.p95, unit: 'ms', note: `p99 ${r.latencyMs.p99.toFixed(1)} ms, max ${r.latencyMs.max.toFixed(1)} ms` },
      { name: 'load: served', value: r.bytes / MiB / r.seconds, unit: 'MiB/s' },
      { name: 'load: errors', value: r.errors.length, unit: '' },
    ];
    if (r.rssBefore !== undefined) {
      rows.push({ name: 'load: server memory', value: r.rssAfter! / MiB, unit: 'MiB', note: `before ${(r.rssBefore / MiB).toFixed(0)} MiB, peak ${(r.rssPeak! / MiB).toFixed(0)} MiB` });
    }
    return rows;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchServe(runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  const rows = await benchLoad(log);
  const { benchFirstFrame } = await import('./serve-first-frame');
  return [...rows, ...(await benchFirstFrame(runs, log))];
}
