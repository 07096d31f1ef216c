// Load on `prnr serve` (issue 13, reliability): clients on loopback, each
// seeking at random ticks in shared recordings: a seek fetches by range the
// bytes of the slice holding the tick (its pages, inputs, output and the
// snapshot that ends it), now and then the recording's metadata and notes
// too, and checks every byte against the recording it uploaded. Latency
// percentiles, request and byte rates, errors, and the server's resident
// memory (VmRSS from /proc, so Linux only) sampled before, during and after.
import { readFileSync } from 'node:fs';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { FILE_HEADER_BYTES } from '../../src/shared/recording/format';
import { openRecording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { percentile } from './stats';

export interface SharedForLoad {
  id: string;
  bytes: Uint8Array;
  endTick: bigint;
  /** Tick where each slice starts, and the byte range [start, end) of its records. */
  slices: Array<{ startTick: bigint; start: number; end: number }>;
}

/** What a client needs to seek in `bytes` (uploaded as `id`): each slice's ticks and bytes. */
export function sharedForLoad(id: string, bytes: Uint8Array): SharedForLoad {
  const rec = openRecording(bytesSource(bytes), nodeOpenOptions);
  // snapshotBytes[k]: the bytes from the end of snapshot k-1's record to the end of snapshot k's (slice k-1's records).
  const ends: number[] = [];
  let at = FILE_HEADER_BYTES;
  for (const n of rec.snapshotBytes) ends.push((at += n));
  return { id, bytes, endTick: rec.snapshots[rec.snapshots.length - 1].tick, slices: rec.slices.map((s) => ({ startTick: s.startTick, start: ends[s.index], end: ends[s.index + 1] })) };
}

export interface LoadResult {
  requests: number;
  errors: string[];
  bytes: number;
  seconds: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  rssBefore?: number;
  rssPeak?: number;
  rssAfter?: number;
}

/** Resident memory of process `pid` in bytes (Linux /proc), or undefined elsewhere. */
export function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

export interface LoadOptions {
  base: string;
  recordings: SharedForLoad[];
  clients: number;
  seconds: number;
  /** The server's pid, to sample its memory. */
  serverPid?: number;
  seed?: number;
}

/** `clients` loops for `seconds`, each request one seek's fetch (module comment); every answer checked. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  let seed = o.seed ?? 1;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % n;
  };
  const latencies: number[] = [];
  const errors: string[] = [];
  let bytes = 0;
  const rssBefore = rssOf(o.serverPid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    const rss = rssOf(o.serverPid);
    if (rss !== undefined && (rssPeak === undefined || rss > rssPeak)) rssPeak = rss;
  }, 250);
  const started = performance.now();
  const deadline = started + o.seconds * 1000;

  const seekOnce = async () => {
    const r = o.recordings[random(o.recordings.length)];
    const tick = BigInt(random(Number(r.endTick)));
    let k = r.slices.length - 1;
    while (k > 0 && r.slices[k].startTick > tick) k--;
    const { start, end } = r.slices[k];
    const t0 = performance.now();
    const response = await fetch(new URL(`/api/recordings/${r.id}/file`, o.base), { headers: { range: `bytes=${start}-${end - 1}` } });
    const got = new Uint8Array(await response.arrayBuffer());
    latencies.push(performance.now() - t0);
    bytes += got.length;
    if (response.status !== 206 || Buffer.compare(got, r.bytes.subarray(start, end)) !== 0) errors.push(`${r.id.slice(0, 8)} bytes ${start}-${end}: ${response.status}, ${got.length} bytes${response.status === 206 ? ' that differ' : ''}`);
    if (random(8) === 0) {
      for (const path of [`/api/recordings/${r.id}`, `/api/recordings/${r.id}/notes`]) {
        const t1 = performance.now();
        const meta = await fetch(new URL(path, o.base));
        await meta.arrayBuffer();
        latencies.push(performance.now() - t1);
        if (meta.status !== 200) errors.push(`${path}: ${meta.status}`);
      }
    }
  };

  await Promise.all(
    Array.from({ length: o.clients }, async () => {
      while (performance.now() < deadline) {
        try {
          await seekOnce();
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    }),
  );
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    errors,
    bytes,
    seconds,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: Math.max(...latencies) },
    rssBefore,
    rssPeak,
    rssAfter: rssOf(o.serverPid),
  };
}
