// Replay and seek with the JIT and without (issues 11 and 14), side by side in
// one run, for scripts/bench/record.ts:
// - one-shot replay of every slice, as `prnr replay` runs it: a fresh process
//   (nothing compiled yet, neither by us nor by V8) starting a pool of 1 or 2
//   workers, JIT on and off; each worker's JIT cost from its stats; with
//   PRNR_BENCH_THRESHOLDS=1000,4000 (say) the JIT runs once per threshold
//   (PRNR_JIT_THRESHOLD in the child), an A/B in one run;
// - the same on a new pool in a process that replayed before: its workers are
//   seeded with the compiled translations the pool's thread holds
//   (src/engine/jit/translation-share.ts), as a second verify of a page is;
// - warm pools (workers that replayed every slice already), 1 and 2 workers,
//   JIT on and off;
// - seek latency over random ticks, JIT (installing cached code at once after
//   the restore, and not: PRNR_JIT_WARM=0) and interpreter machines interleaved.
// The load average is printed with the figures: on a shared 2-core host a
// second worker gets a core only when nobody else wants it.
// The fresh process is this file run as `--replay-child <path> <jobs>`. Alone,
// on any recording of the default image (e.g. a demo, gunzipped):
//   npx tsx scripts/bench/replay-pools.ts <recording.prnr> [--runs N]   (default 3)
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BootFiles } from '../../src/engine/images';
import type { JitStats } from '../../src/engine/jit/jit';
import { setJitDefault } from '../../src/engine/machine';
import { nodeSha256 } from '../../src/engine/node/hash';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { startNodeReplayPool } from '../../src/engine/node/replay-pool';
import { openRecordingFile, readSharedRecording } from '../../src/engine/node/recording-file';
import { bootConfigForRecording } from '../../src/engine/replay/boot';
import type { ReplayPool } from '../../src/engine/replay/pool';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import { seek } from '../../src/engine/replay/seek';
import type { Recording } from '../../src/shared/recording/reader';
import { median, percentile, type BenchRow } from './stats';

interface ReplayRun {
  /** Pool start (workers booted) and the replay of every slice (ms). */
  startMs: number;
  replayMs: number;
  jit: JitStats[];
}

/** PRNR_JIT as the workers read it (they copy the environment when they start) and this thread's default. */
function useJit(on: boolean): void {
  process.env.PRNR_JIT = on ? '1' : '0';
  setJitDefault(on);
}

async function imageFiles(): Promise<BootFiles> {
  const { config } = await loadNodeBootConfig('default');
  return { firmware: config.firmware, kernel: config.kernel, initrd: config.initrd, disk: config.disk };
}

async function replayAll(pool: ReplayPool, rec: Recording): Promise<number> {
  const started = performance.now();
  const results = await pool.replay(rec.slices.map((s) => s.index));
  if (!results.every((r) => r.ok)) throw new Error('a slice did not verify during the benchmark');
  return performance.now() - started;
}

/** Starts a pool, replays every slice once, closes it. */
async function onePool(path: string, files: BootFiles, jobs: number): Promise<ReplayRun> {
  const { recording: rec } = openRecordingFile(path);
  const started = performance.now();
  const pool = await startNodeReplayPool({ data: readSharedRecording(path), recovery: false, files, jobs });
  try {
    const startMs = performance.now() - started;
    const replayMs = await replayAll(pool, rec);
    return { startMs, replayMs, jit: await pool.jitStats() };
  } finally {
    await pool.close();
  }
}

/** A fresh process running onePool (the JIT as `jit` says, translating after `threshold` executions if given). */
function freshProcess(path: string, jobs: number, jit: boolean, threshold: number | undefined): ReplayRun {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--replay-child', path, String(jobs)], {
    env: { ...process.env, PRNR_JIT: jit ? '1' : '0', ...(threshold ? { PRNR_JIT_THRESHOLD: String(threshold) } : {}) },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`replay child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ReplayRun;
}

const total = (run: ReplayRun, key: 'compileMs' | 'translateMs' | 'sharedHits' | 'cacheHits' | 'translations') => run.jit.reduce((s, j) => s + j[key], 0);
const jitCost = (runs: ReplayRun[]) => {
  const r = runs[0]!;
  return `JIT per worker (first run): ${r.jit.map((j) => `${j.translations} translations, ${j.translations - j.cacheHits} compiled (${j.compileMs.toFixed(0)} ms compile, ${j.translateMs.toFixed(0)} ms translate), ${j.sharedHits} shared`).join('; ')}`;
};

export async function benchReplayPools(path: string, runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  const files = await imageFiles();
  const { recording: rec } = openRecordingFile(path);
  const loadBefore = loadavg()[0]!;
  const rows: BenchRow[] = [];
  const configs = [[true, 1], [true, 2], [false, 1], [false, 2]] as const;
  const label = (jit: boolean, jobs: number) => `${jobs} worker${jobs > 1 ? 's' : ''}, ${jit ? 'JIT' : 'interpreter'}`;

  // One-shot: interleaved, so drift hits every configuration alike; the JIT once per threshold of the A/B.
  const thresholds = (process.env.PRNR_BENCH_THRESHOLDS ?? '').split(',').filter(Boolean).map(Number);
  const oneShot = configs.flatMap(([jit, jobs]) => (jit && thresholds.length > 0 ? thresholds : [undefined]).map((threshold) => ({ jit, jobs, threshold, label: `${label(jit, jobs)}${jit && threshold ? `, threshold ${threshold}` : ''}` })));
  const fresh = new Map<string, ReplayRun[]>();
  for (let run = 0; run < runs; run++) {
    for (const c of oneShot) {
      log(`record: one-shot replay in a fresh process, ${c.label} (run ${run + 1}/${runs})`);
      fresh.set(c.label, [...(fresh.get(c.label) ?? []), freshProcess(path, c.jobs, c.jit, c.threshold)]);
    }
  }
  const freshMs = (jit: boolean, jobs: number) => median(fresh.get(oneShot.find((c) => c.jit === jit && c.jobs === jobs)!.label)!.map((r) => r.startMs + r.replayMs));
  for (const c of oneShot) {
    const samples = fresh.get(c.label)!;
    rows.push({ name: `one-shot replay, ${c.label}`, value: median(samples.map((r) => r.startMs + r.replayMs)), unit: 'ms', note: `fresh process: pool start (median ${median(samples.map((r) => r.startMs)).toFixed(0)} ms) + ${rec.slices.length} slices, median of ${runs}${c.jit ? `; ${jitCost(samples)}` : ''}` });
  }
  rows.push({ name: 'one-shot speedup 2 vs 1 workers, JIT', value: freshMs(true, 1) / freshMs(true, 2), unit: 'x' });
  rows.push({ name: 'one-shot speedup 2 vs 1 workers, interpreter', value: freshMs(false, 1) / freshMs(false, 2), unit: 'x' });
  rows.push({ name: 'one-shot JIT vs interpreter, 1 worker', value: freshMs(false, 1) / freshMs(true, 1), unit: 'x', note: 'above 1: the JIT is faster' });
  rows.push({ name: 'one-shot JIT vs interpreter, 2 workers', value: freshMs(false, 2) / freshMs(true, 2), unit: 'x' });

  // A new pool in this process after one replayed: seeded by this thread's translations.
  useJit(true);
  log('record: a pool replays once, then new pools are seeded by what it compiled');
  const first = await onePool(path, files, 2);
  const seeded = new Map<number, ReplayRun[]>();
  for (let run = 0; run < runs; run++) for (const jobs of [1, 2]) seeded.set(jobs, [...(seeded.get(jobs) ?? []), await onePool(path, files, jobs)]);
  for (const jobs of [1, 2]) {
    const samples = seeded.get(jobs)!;
    rows.push({ name: `new pool seeded, ${label(true, jobs)}`, value: median(samples.map((r) => r.startMs + r.replayMs)), unit: 'ms', note: `pool start + first replay; ${median(samples.map((r) => total(r, 'sharedHits')))} translations shared, ${median(samples.map((r) => total(r, 'translations') - total(r, 'cacheHits')))} compiled (the first pool compiled ${total(first, 'translations') - total(first, 'cacheHits')})` });
  }

  // Warm pools: every worker replayed every slice before.
  const warm = new Map<string, number>();
  for (const [jit, jobs] of configs) {
    useJit(jit);
    const pool = await startNodeReplayPool({ data: readSharedRecording(path), recovery: false, files, jobs });
    try {
      await replayAll(pool, rec);
      const samples: number[] = [];
      for (let run = 0; run < runs; run++) samples.push(await replayAll(pool, rec));
      warm.set(label(jit, jobs), median(samples));
      log(`record: warm pool, ${label(jit, jobs)}: ${warm.get(label(jit, jobs))!.toFixed(0)} ms`);
    } finally {
      await pool.close();
    }
  }
  for (const [jit, jobs] of configs) rows.push({ name: `replay warm pool, ${label(jit, jobs)}`, value: warm.get(label(jit, jobs))!, unit: 'ms', note: `${rec.slices.length} slices, median of ${runs}` });
  rows.push({ name: 'replay speedup 2 vs 1, warm, JIT', value: warm.get(label(true, 1))! / warm.get(label(true, 2))!, unit: 'x', note: 'target >= 1.7x' });
  rows.push({ name: 'replay speedup 2 vs 1, warm, interpreter', value: warm.get(label(false, 1))! / warm.get(label(false, 2))!, unit: 'x' });
  rows.push({ name: 'replay JIT vs interpreter, warm, 1 worker', value: warm.get(label(false, 1))! / warm.get(label(true, 1))!, unit: 'x', note: 'above 1: the JIT is faster' });

  // Seeks: JIT machines (cached code installed at its first execution after the restore, and
  // counted to the threshold again: PRNR_JIT_WARM=0) and an interpreter machine on this thread,
  // the same random ticks interleaved.
  log('record: seek latency, JIT and interpreter');
  const module = await compileMachineModule();
  const machines: ReplayMachine[] = [];
  for (const [jit, warm] of [[true, true], [true, false], [false, true]] as const) {
    useJit(jit);
    process.env.PRNR_JIT_WARM = warm ? '1' : '0';
    machines.push(await ReplayMachine.create(module, rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256));
  }
  delete process.env.PRNR_JIT_WARM;
  useJit(true);
  const endTick = Number(rec.snapshots[rec.snapshots.length - 1]!.tick);
  const seekMs: number[][] = [[], [], []];
  let seed = 7;
  for (let i = 0; i < 40; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const tick = BigInt(Math.floor((seed / 0x7fffffff) * endTick));
    machines.forEach((rm, m) => {
      const started = performance.now();
      seek(rm, tick);
      rm.machine.registers();
      seekMs[m]!.push(performance.now() - started);
    });
  }
  const loadAfter = loadavg()[0]!;
  rows.push({ name: 'seek latency p50, JIT', value: percentile(seekMs[0]!, 50), unit: 'ms', note: `${seekMs[0]!.length} random ticks; p95 ${percentile(seekMs[0]!, 95).toFixed(0)} ms; the thread's cache warm from the replays, cached code installed at its first execution; ${machines[0]!.machine.jitStats().warmed} entries marked` });
  rows.push({ name: 'seek latency p50, JIT counting again after restores', value: percentile(seekMs[1]!, 50), unit: 'ms', note: `p95 ${percentile(seekMs[1]!, 95).toFixed(0)} ms; PRNR_JIT_WARM=0: each entry counts to the threshold before its cached module is installed` });
  rows.push({ name: 'seek latency p50, interpreter', value: percentile(seekMs[2]!, 50), unit: 'ms', note: `p95 ${percentile(seekMs[2]!, 95).toFixed(0)} ms; target p95 < 150 ms` });
  rows.push({ name: 'load average (1 min)', value: loadAfter, unit: '', note: `${loadBefore.toFixed(2)} before these replays, on ${availableParallelism()} cores` });
  return rows;
}

if (process.argv[2] === '--replay-child') {
  const [path, jobs] = [process.argv[3]!, Number(process.argv[4])];
  console.log(JSON.stringify(await onePool(path, await imageFiles(), jobs)));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const runsArg = process.argv.indexOf('--runs');
  const { printTable } = await import('./stats');
  printTable(await benchReplayPools(process.argv[2]!, runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3, (line) => console.error(line)));
}
