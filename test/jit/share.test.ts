// Compiled JIT code shared across the threads of a replay pool (docs/design.md
// 2, The JIT; src/engine/jit/translation-share.ts): a slice replayed on one
// worker thread, then on another, is served on the second by the modules the
// first compiled; a pool started later is seeded by the pool's thread; and the
// state roots are the recorded ones, which the interpreter alone computes too.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootFiles } from '../../src/engine/images';
import type { JitStats } from '../../src/engine/jit/jit';
import { cachedTranslationCount } from '../../src/engine/jit/translation-cache';
import { jitDefault, setJitDefault } from '../../src/engine/machine';
import { nodeSha256 } from '../../src/engine/node/hash';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { startNodeReplayPool } from '../../src/engine/node/replay-pool';
import { bootConfigForRecording } from '../../src/engine/replay/boot';
import type { ReplayPool } from '../../src/engine/replay/pool';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import { open } from '../record/helpers';

const data = new Uint8Array(gunzipSync(readFileSync(new URL('../../public/demos/fork-and-pipe.prnr.gz', import.meta.url))));
const rec = open(data);
let files: BootFiles;
const pools: ReplayPool[] = [];
const initialDefault = jitDefault();

beforeAll(async () => {
  setJitDefault(true); // the workers' default is the environment's (PRNR_JIT): these tests need the JIT there
  const { config } = await loadNodeBootConfig('default');
  files = { firmware: config.firmware, kernel: config.kernel, initrd: config.initrd, disk: config.disk };
});

afterAll(async () => {
  setJitDefault(initialDefault);
  await Promise.all(pools.map((p) => p.close()));
});

async function pool(jobs: number): Promise<ReplayPool> {
  const started = await startNodeReplayPool({ data, recovery: false, files, jobs });
  pools.push(started);
  return started;
}

/** Translations a worker compiled itself. */
const compiledBy = (s: JitStats) => s.translations - s.cacheHits;

/** Waits until this (the pool's) thread holds `count` translations: the hub forwards each as it takes it in. */
async function hubHolds(count: number): Promise<void> {
  for (let i = 0; i < 1000 && cachedTranslationCount() < count; i++) await new Promise((r) => setTimeout(r, 5));
  expect(cachedTranslationCount()).toBeGreaterThanOrEqual(count);
}

/** The slice's root on this thread with the interpreter alone. */
async function interpreterRoot(slice: number): Promise<string> {
  setJitDefault(false);
  try {
    const machine = await ReplayMachine.create(await compileMachineModule(), rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256);
    const result = machine.replaySlice(slice);
    expect(result.ok).toBe(true);
    expect(machine.machine.jitStats().translations).toBe(0);
    return result.root;
  } finally {
    setJitDefault(true);
  }
}

describe('JIT translations shared by a replay pool', () => {
  it('a slice the first worker compiled is served on the second by its modules, to the interpreter\u2019s state root', async () => {
    const p = await pool(2);
    const first = await p.replayOn(0, 2);
    const [w0] = await p.jitStats();
    expect(compiledBy(w0!)).toBeGreaterThan(5);
    expect(w0!.sharedHits).toBe(0);
    await hubHolds(compiledBy(w0!));

    const second = await p.replayOn(1, 2);
    const [, w1] = await p.jitStats();
    // Every translation compiled by the first worker, none by the second, which installs them
    // at their first execution after the snapshot restore (Jit.restored), so it runs more translated.
    expect(w1!.warmed).toBeGreaterThan(0);
    expect(w1!.sharedHits).toBe(w1!.translations);
    expect(w1!.instructions).toBe(0);
    expect(w1!.compileMs).toBe(0);
    expect(w1!.executed).toBeGreaterThan(w0!.executed);

    const root = await interpreterRoot(2);
    expect(first).toMatchObject({ ok: true, root });
    expect(second).toMatchObject({ ok: true, root });
  });

  it('a pool started later is seeded by the pool thread\u2019s cache, and every slice verifies', async () => {
    const before = cachedTranslationCount();
    const a = await pool(1);
    await a.replayOn(0, 5);
    const [wa] = await a.jitStats();
    expect(compiledBy(wa!)).toBeGreaterThan(0);
    await hubHolds(before + compiledBy(wa!));
    pools.splice(pools.indexOf(a), 1);
    await a.close();

    const b = await pool(1);
    const result = await b.replayOn(0, 5);
    const [wb] = await b.jitStats();
    expect(wb!.instructions).toBe(0);
    expect(wb!.sharedHits).toBe(wb!.translations);
    expect(wb!.executed).toBeGreaterThanOrEqual(wa!.executed);
    expect(result).toMatchObject({ ok: true, root: await interpreterRoot(5) });
    const all = await b.replay(rec.slices.map((s) => s.index));
    expect(all.map((r) => r.ok)).toEqual(rec.slices.map(() => true));
  });
});
