// Analysis benchmarks (docs/design.md 5, 7), side by side in one run, on the
// fork-and-pipe demo recording (boot, forks, execs, pipes: ~1000 syscalls):
// - syscall analysis against plain replay of the same slices, one thread
//   (target: at most 1.2x);
// - three dimensions (syscalls, processes, hot spots) in one replay per slice
//   against three separate passes;
// - the syscall analysis on pools of 1 and 2 worker threads;
// - syscalls decoded per second, with the replay and beyond it.
// Runs alternate (plain, analysed, plain, ...) so drift hits both alike; each
// figure is the best of the runs. Callable from scripts/bench/main.ts
// (benchAnalysis) or alone: npx tsx scripts/bench/analysis.ts [--runs N]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { bootConfigForRecording } from '../../src/engine/replay/boot';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
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
    const best = { plain: Infinity, syscalls: Infinity, three: Infinity, separate: Infinity };
    let calls = 0;
    await plain(); // warm the machine and the JIT
    for (let run = 0; run < runs; run++) {
      best.plain = Math.min(best.plain, (await timed(plain)).ms);
      const s = await timed(() => analyse([SYSCALLS]));
      best.syscalls = Math.min(best.syscalls, s.ms);
      calls = (s.value.dimensions[0].result as SyscallsResult).calls.length;
      best.three = Math.min(best.three, (await timed(() => analyse(THREE))).ms);
      best.separate = Math.min(best.separate, (await timed(() => analyse(THREE, true))).ms);
      log(`analysis: run ${run + 1}/${runs}: plain ${best.plain.toFixed(0)} ms, syscalls ${best.syscalls.toFixed(0)} ms, three at once ${best.three.toFixed(0)} ms, three passes ${best.separate.toFixed(0)} ms (best so far)`);
    }
    const pooled: Record<number, number> = {};
    for (const jobs of [1, 2]) {
      const pool = await startNodeReplayPool({ path: file, recovery: false, files, jobs, entry: WORKER });
      try {
        await analyzeRecording({ rec, requests: [SYSCALLS], runtime, inputs, analyzer: async () => pool }); // warm each worker
        pooled[jobs] = Infinity;
        for (let run = 0; run < runs; run++) pooled[jobs] = Math.min(pooled[jobs], (await timed(() => analyzeRecording({ rec, requests: [SYSCALLS], runtime, inputs, analyzer: async () => pool }))).ms);
      } finally {
        await pool.close();
      }
      log(`analysis: ${jobs} worker${jobs === 1 ? '' : 's'}: ${pooled[jobs].toFixed(0)} ms`);
    }
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
      { name: 'syscall analysis, 1 worker', value: pooled[1], unit: 'ms' },
      { name: 'syscall analysis, 2 workers', value: pooled[2], unit: 'ms' },
      { name: '1 worker / 2 workers', value: pooled[1] / pooled[2], unit: 'x', note: 'speedup of the second worker (2 cores)' },
    ];
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
