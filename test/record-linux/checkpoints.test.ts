// Seeking through in-memory checkpoints (src/engine/replay/checkpoints.ts) on
// real Linux recordings: a seek that starts from a checkpoint reaches exactly
// the state a seek from the snapshot reaches (CPU, devices, all of RAM, the
// disk), in any order of seeks, and a slice replayed after checkpoint seeks
// still verifies (the dirty maps a checkpoint leaves behind are right).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/engine/node/hash';
import { loadNodeBootImage } from '../../src/engine/node/images';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { bootConfigForImage } from '../../src/engine/replay/boot';
import { CHECKPOINT_TICKS, CheckpointCache, checkpointTicks, type Checkpoint } from '../../src/engine/replay/checkpoints';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import { seek } from '../../src/engine/replay/seek';
import { openRecording, type Recording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { toHex } from '../../src/shared/sha256';

let module: WebAssembly.Module;

function demo(name: string): Recording {
  const bytes = new Uint8Array(gunzipSync(readFileSync(new URL(`../../public/demos/${name}.prnr.gz`, import.meta.url))));
  return openRecording(bytesSource(bytes), nodeOpenOptions);
}

async function machineFor(rec: Recording): Promise<ReplayMachine> {
  const image = await loadNodeBootImage(rec.header.image.name);
  return ReplayMachine.create(module, rec, bootConfigForImage(rec.header, image), nodeSha256);
}

/** The whole machine: CPU, devices and RAM (the machine's own hash) and the disk. */
function fingerprint(rm: ReplayMachine): string {
  return `${rm.machine.stateHash().toString(16)} ${toHex(nodeSha256(rm.machine.diskView()))} @${rm.tick}`;
}

/** A deterministic shuffle (so the test seeks in the same scrambled order every run). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

beforeAll(async () => {
  module = await compileMachineModule();
});

describe('checkpoint ticks and the cache', () => {
  it('names the multiples of CHECKPOINT_TICKS after `from`, up to and including `to`', () => {
    const step = CHECKPOINT_TICKS;
    expect(checkpointTicks(0n, step * 3n)).toEqual([step, step * 2n, step * 3n]);
    expect(checkpointTicks(step, step * 2n - 1n)).toEqual([]);
    expect(checkpointTicks(step - 1n, step)).toEqual([step]);
  });

  it('finds the latest in a range and drops the least recently used over its budget', () => {
    const c = (tick: bigint): Checkpoint => ({ tick, base: 0, state: new Uint8Array(0), ram: { ids: new Uint32Array(0), data: new Uint8Array(0) }, disk: { ids: new Uint32Array(0), data: new Uint8Array(0) }, bytes: 100 });
    const cache = new CheckpointCache(300);
    for (const t of [10n, 20n, 30n]) cache.add(c(t));
    expect(cache.latest(0n, 25n)?.tick).toBe(20n);
    expect(cache.latest(20n, 25n)).toBeUndefined();
    cache.add(c(40n)); // over budget: 10 goes (20 was used since)
    expect([10n, 20n, 30n, 40n].map((t) => cache.has(t))).toEqual([false, true, true, true]);
    expect(cache.bytes).toBe(300);
    expect(cache.fits(1)).toBe(false);
  });
});

describe.each(['first-tour', 'file-io'])('seeking %s through checkpoints', (name) => {
  let rec: Recording;
  const expected = new Map<bigint, string>();
  let ticks: bigint[];

  beforeAll(async () => {
    rec = demo(name);
    const end = rec.snapshots.at(-1)!.tick;
    // In every slice: just after a checkpoint tick, in the middle, on one, and just before the next snapshot.
    ticks = rec.slices.flatMap((s) => [s.startTick + CHECKPOINT_TICKS + 7n, (s.startTick + s.endTick) / 2n, s.startTick + 2n * CHECKPOINT_TICKS, s.endTick - 1n]).filter((t) => t > 0n && t < end);
    const plain = await machineFor(rec);
    for (const t of ticks) {
      seek(plain, t);
      expected.set(t, fingerprint(plain));
    }
  }, 240_000);

  it('reaches the same state from a checkpoint as from the snapshot, in any order, and starts from checkpoints', async () => {
    const rm = await machineFor(rec);
    const cache = new CheckpointCache(512 * 1024 * 1024);
    let resumed = 0;
    const resume = rm.resume.bind(rm);
    rm.resume = (c) => {
      resumed++;
      resume(c);
    };
    // Twice over in scrambled orders: the first pass takes checkpoints, the second mostly starts from them.
    for (const t of [...shuffled(ticks, 1), ...shuffled(ticks, 2)]) {
      seek(rm, t, cache);
      expect(fingerprint(rm), `seek to ${t}`).toBe(expected.get(t));
    }
    expect(cache.size).toBeGreaterThan(rec.slices.length);
    expect(resumed).toBeGreaterThan(ticks.length / 2);
  }, 240_000);

  it('verifies every slice after seeks through checkpoints', async () => {
    const rm = await machineFor(rec);
    const cache = new CheckpointCache(512 * 1024 * 1024);
    for (const t of shuffled(ticks, 3)) seek(rm, t, cache);
    for (const [i, s] of rec.slices.entries()) {
      // Into the slice through a checkpoint, then the slice from its snapshot: the root must match the next snapshot's.
      seek(rm, s.startTick + CHECKPOINT_TICKS + 7n < s.endTick ? s.startTick + CHECKPOINT_TICKS + 7n : s.startTick, cache);
      const result = rm.replaySlice(i);
      expect(result.ok, `slice ${i}: ${result.divergence}`).toBe(true);
    }
  }, 240_000);
});
