// Analysis benchmarks (docs/design.md 5, 7), side by side in one run, on the
// fork-and-pipe demo recording (boot, forks, execs, pipes: ~1000 syscalls):
// - syscall analysis against plain replay of the same slices, one thread
//   (target: at most 1.2x);
// - three dimensions (syscalls, processes, hot spots) in one replay per slice
//   against three separate passes;
// - the syscall analysis on pools of 1 and 2 worker threads, against this
//   thread, with where a pool's time goes: the workers' restores and
//   replays (SliceResult.ms, restoreMs), the rest (messages, the merge,
//   idle workers), and translations compiled in the timed runs (jitStats);
// - syscalls decoded per second, with the replay and beyond it.
// Runs alternate (plain, analysed, 1 worker, 2 workers, plain, ...) so drift
// (other processes on the machine) hits all alike; each figure is the best
// of the runs, and the load average is printed with them. Callable from scripts/bench/main.ts
// (benchAnalysis) or alone: npx tsx scripts/bench/analysis.ts [--runs N]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SyscallsResult } from '../../src/analysis/dimensions/index';
import { createAnalysisRuntime } from '../../src/analysis/runtime';
import { LocalAnalyzer } from '../../src/engine/analyze/local';
import { analyzeRecording } from '../../src/engine/analyze/run';
import { nodeSha256 } from '../../src/engine/node/hash';
import { loadNodeAnalysisFiles } from '../../src/engine/node/images';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import { loadRecordingBootFiles } from '../../src/engine/node/recording-image';
import { startNodeReplayPool } from '../../src/engine/node/replay-pool';
import type { ReplayPool } from '../../src/engine/replay/pool';
import { bootConfigForRecording } from '../../src/engine/replay/boot';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import type { JitStats } from '../../src/engine/jit/jit';
import type { DimensionRequest } from '../../src/shared/analysis';
import type { BenchRow } from './stats';

const DEMO = new URL('../../public/demos/fork-and-pipe.prnr.gz', import.meta.url);
const WORKER = new URL('../../src/cli/workers/analysis.worker.ts', import.meta.url);
const SYSCALLS: DimensionRequest = { dimension: 'syscalls', params: {} };
const THREE: DimensionRequest[] = [SYSCALLS, { dimension: 'processes', params: {} }, { dimension: 'hotspots', params: {} }];

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** One pooled analysis: its wall time, and the sums over its slices of the workers' slice time (restore, run, verify) and restores. */
interface PooledRun {
  ms: number;
  sliceMs: number;
  restoreMs: number;
}

/** Translations a pool's workers compiled themselves (installed, less those served from a cache). */
const compiled = (stats: readonly JitStats[]) => stats.reduce((n, s) => n + s.translations - s.cacheHits, 0);

export async function benchAnalysis(runs = 3, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-analysis-'));
  try {
    const file = join(dir, 'fork-and-pipe.prnr');
    writeFileSync(file, gunzipSync(readFileSync(DEMO)));
    const { recording: rec } = openRecordingFile(file);
    const files = await loadRecordingBootFiles(rec.header);
    const inputs = await loadNodeAnalysisFiles(rec.header.image.name);
    const runtime = createAnalysisRuntime();
    const machine = await ReplayMachine.create(await compileMachineModule(), rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256);
    const local = new LocalAnalyzer(machine, runtime);
    const slices = rec.slices.map((s) => s.index);
    // No cache: every pass replays every slice.
    const analyse = (requests: DimensionRequest[], separate = false) => analyzeRecording({ rec, requests, runtime, inputs, separate, analyzer: async () => local });
    const plain = async () => {
      for (const i of slices) if (!machine.replaySlice(i).ok) throw new Error(`slice ${i} diverged`);
    };
    const pooledRun = async (pool: ReplayPool): Promise<PooledRun> => {
      const run = { sliceMs: 0, restoreMs: 0 };
      const { ms } = await timed(() =>
        analyzeRecording({
          rec, requests: [SYSCALLS], runtime, inputs,
          analyzer: async () => ({
            analyze: (s, requests, i, onEvent) => pool.analyze(s, requests, i, (event, analysis) => {
              if (event.state === 'done' && event.result) {
                run.sliceMs += event.result.ms;
                run.restoreMs += event.result.restoreMs;
              }
              onEvent?.(event, analysis);
            }),
          }),
        }),
      );
      return { ms, ...run };
    };
    const pools: ReplayPool[] = [];
    try {
      for (const jobs of [1, 2]) pools.push(await startNodeReplayPool({ path: file, recovery: false, files, jobs, entry: WORKER }));
      const best = { plain: Infinity, syscalls: Infinity, three: Infinity, separate: Infinity };
      const pooled = pools.map((): PooledRun => ({ ms: Infinity, sliceMs: 0, restoreMs: 0 }));
      let calls = 0;
      await plain(); // warm the machine and the JIT
      for (const pool of pools) await pooledRun(pool); // warm each worker (its first slice loads the analyses and decodes the blobs it restores)
      const jitBefore = await Promise.all(pools.map((p) => p.jitStats()));
      const load = loadavg()[0];
      for (let run = 0; run < runs; run++) {
        best.plain = Math.min(best.plain, (await timed(plain)).ms);
        const s = await timed(() => analyse([SYSCALLS]));
        best.syscalls = Math.min(best.syscalls, s.ms);
        calls = (s.value.dimensions[0].result as SyscallsResult).calls.length;
        for (const [k, pool] of pools.entries()) {
          const r = await pooledRun(pool);
          if (r.ms < pooled[k].ms) pooled[k] = r;
        }
        best.three = Math.min(best.three, (await timed(() => analyse(THREE))).ms);
        best.separate = Math.min(best.separate, (await timed(() => analyse(THREE, true))).ms);
        log(`analysis: run ${run + 1}/${runs}: plain ${best.plain.toFixed(0)} ms, syscalls ${best.syscalls.toFixed(0)} ms, 1 worker ${pooled[0].ms.toFixed(0)} ms, 2 workers ${pooled[1].ms.toFixed(0)} ms, three at once ${best.three.toFixed(0)} ms, three passes ${best.separate.toFixed(0)} ms (best so far)`);
      }
      const jitAfter = await Promise.all(pools.map((p) => p.jitStats()));
      const loadNote = `load average ${load.toFixed(2)} before the timed runs, ${loadavg()[0].toFixed(2)} after`;
      const breakdown = (k: number): BenchRow[] => {
        const workers = `${k + 1} worker${k === 0 ? '' : 's'}`;
        const p = pooled[k];
        return [
          { name: `syscall analysis, ${workers}`, value: p.ms, unit: 'ms', note: k === 0 ? loadNote : undefined },
          { name: `  ${workers}: slice time in the workers, summed`, value: p.sliceMs, unit: 'ms', note: `restore + replay + verify, of which restores ${p.restoreMs.toFixed(0)} ms` },
          { name: `  ${workers}: wall time x workers - slice time`, value: p.ms * (k + 1) - p.sliceMs, unit: 'ms', note: 'messages, partials, merge, idle workers' },
          { name: `  ${workers}: translations compiled in the timed runs`, value: compiled(jitAfter[k]) - compiled(jitBefore[k]), unit: '', note: 'the warm-up should leave none' },
        ];
      };
      const ticks = Number(rec.slices[rec.slices.length - 1].endTick);
      return [
        { name: 'plain replay, one thread', value: best.plain, unit: 'ms', note: `${slices.length} slices, ${(ticks / 1e6).toFixed(1)} M ticks (fork-and-pipe demo)` },
        { name: 'syscall analysis, one thread', value: best.syscalls, unit: 'ms', note: `${calls} calls decoded` },
        { name: 'syscall analysis / plain replay', value: best.syscalls / best.plain, unit: 'x', note: 'target <= 1.2' },
        { name: 'syscalls decoded per second', value: calls / (best.syscalls / 1000), unit: 'calls/s', note: 'replay included' },
        { name: 'syscalls decoded per second, beyond replay', value: calls / (Math.max(1, best.syscalls - best.plain) / 1000), unit: 'calls/s', note: 'calls over (analysis - plain replay) time' },
        { name: 'syscalls+processes+hotspots, one replay', value: best.three, unit: 'ms' },
        { name: 'syscalls+processes+hotspots, three passes', value: best.separate, unit: 'ms' },
        { name: 'three passes / one replay', value: best.separate / best.three, unit: 'x', note: 'one replay feeding every dimension is the default' },
        ...breakdown(0),
        ...breakdown(1),
        { name: '1 worker / one thread', value: pooled[0].ms / best.syscalls, unit: 'x', note: 'the cost of the pool itself' },
        { name: '1 worker / 2 workers', value: pooled[0].ms / pooled[1].ms, unit: 'x', note: 'speedup of the second worker (2 cores)' },
      ];
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--runs');
  const rows = await benchAnalysis(i > 0 ? Number(process.argv[i + 1]) : 3, (line) => console.error(line));
  const { printTable } = await import('./stats');
  printTable(rows);
}
