// Record/replay benchmarks, side by side in one run (docs/design.md 7):
// - record overhead: a scripted Linux session recorded as `prnr record` does
//   (to a file, snapshots hashed and written on a worker) vs the same guest
//   run plain, inputs at the same ticks; medians of interleaved runs;
// - snapshot cost: machine pause per snapshot (median, max), processing time
//   on the worker, bytes per slice;
// - replay of the recording on 1 and 2 workers, JIT on and off: one-shot
//   (fresh process), on a pool seeded with compiled code, on warm pools; seek
//   latency with the JIT and without (./replay-pools.ts).
// Callable from scripts/bench/main.ts (benchRecord) or alone:
//   npx tsx scripts/bench/record.ts [--runs N]   (default 5)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { nodeSha256 } from '../../src/engine/node/hash';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import { SnapshotWorkerPipeline } from '../../src/engine/node/snapshot-worker';
import { Machine, type BootConfig } from '../../src/engine/machine';
import { DEFAULT_SLICE_TICKS, Recorder } from '../../src/engine/record/recorder';
import { runSession } from '../../src/engine/record/session';
import { describeImageFiles } from '../../src/engine/replay/boot';
import type { InputEvent } from '../../src/shared/recording/format';
import { benchReplayPools } from './replay-pools';
import { median, type BenchRow } from './stats';

export const BENCH_COMMANDS = ['ls -R / > /dev/null; echo listed', 'i=0; while [ $i -lt 4000 ]; do i=$((i+1)); done; echo $i', 'cat /data/words.txt | wc -l'];

/** Runs the guest of `config` plain, typing `events` at their ticks, up to `endTick`; returns the wall time (ms). */
function runPlain(machine: Machine, config: BootConfig, events: readonly InputEvent[], endTick: bigint): number {
  const started = performance.now();
  machine.boot(config);
  for (const target of [...events.map((e) => e.tick), endTick]) {
    while (machine.tick < target) {
      machine.run(target);
      machine.drainConsole();
    }
    const e = events.find((ev) => ev.tick === target);
    if (e && machine.tick === target) machine.typeInput(e.data);
  }
  return performance.now() - started;
}

export async function benchRecord(runs = 5, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-'));
  try {
    const module = await compileMachineModule();
    const { image, config } = await loadNodeBootConfig('default');
    const recordMs: number[] = [];
    const plainMs: number[] = [];
    const recorders: Recorder[] = [];
    let path = '';
    const record = async (run: number) => {
      log(`record: recording the session (run ${run + 1}/${runs})`);
      path = join(dir, `session-${run}.prnr`);
      const machine = await Machine.create(module);
      // As `prnr record` does: the snapshot worker (started on the clock) hashes and writes the file.
      const started = performance.now();
      const pipeline = new SnapshotWorkerPipeline(path);
      const recorder = new Recorder({ machine, config, image: { name: image.name, files: describeImageFiles(image) }, output: { pipeline }, sha256: nodeSha256, sliceTicks: DEFAULT_SLICE_TICKS, createdBy: 'prnr bench', commands: BENCH_COMMANDS });
      runSession(recorder, { prompt: image.manifest.prompt, commands: BENCH_COMMANDS });
      recordMs.push(performance.now() - started);
      recorders.push(recorder);
      log(`record: recorded in ${recordMs[recordMs.length - 1].toFixed(0)} ms`);
    };
    // Every recording of the session is the same: the plain runs type the first one's inputs at its ticks.
    await record(0);
    const { recording: first } = openRecordingFile(path);
    const events = first.slices.flatMap((s) => s.events);
    const sessionEnd = first.snapshots[first.snapshots.length - 1].tick;
    for (let run = 0; run < runs; run++) {
      // Interleaved, alternating which goes first, so drift on a noisy machine hits both alike.
      if (run > 0 && run % 2 === 1) await record(run);
      log(`record: the same session run plain (run ${run + 1}/${runs})`);
      plainMs.push(runPlain(await Machine.create(module), config, events, sessionEnd));
      log(`record: ran plain in ${plainMs[plainMs.length - 1].toFixed(0)} ms`);
      if (run > 0 && run % 2 === 0) await record(run);
    }
    const { recording: rec } = openRecordingFile(path);
    const stats = recorders.flatMap((r) => r.stats.slice(1));
    const pauses = stats.map((s) => s.pauseMs);
    const processMs = stats.map((s) => s.processed?.processMs ?? Number.NaN);
    const sliceBytes = rec.snapshotBytes.slice(1);

    const recorded = median(recordMs);
    const plain = median(plainMs);
    // Run i recorded and run i plain ran back to back: their ratio cancels the machine's slow and fast spells.
    const overhead = median(recordMs.map((ms, i) => (ms / plainMs[i] - 1) * 100));
    const firstPauses = recorders.map((r) => r.stats[0].pauseMs);
    return [
      { name: 'session run plain', value: plain, unit: 'ms', note: `${sessionEnd} ticks, median of ${runs}` },
      { name: 'session recorded', value: recorded, unit: 'ms', note: `to a file (snapshot worker, fsync at most 1/s), median of ${runs}, interleaved with the plain runs` },
      { name: 'record overhead', value: overhead, unit: '%', note: `median of ${runs} back-to-back pairs (ratio of the medians: ${((recorded / plain - 1) * 100).toFixed(1)}%); target <= 10%` },
      { name: 'snapshot pause median', value: median(pauses), unit: 'ms', note: `machine thread: capture (+ waits for the worker); ${stats.length} snapshots every ${rec.header.sliceTicks} ticks` },
      { name: 'snapshot pause max', value: Math.max(...pauses), unit: 'ms', note: `snapshot 0 (after boot): median ${median(firstPauses).toFixed(0)} ms` },
      { name: 'snapshot processing median', value: median(processMs), unit: 'ms', note: `on the worker: hash, Merkle, write; max ${Math.max(...processMs).toFixed(0)} ms` },
      { name: 'bytes per slice median', value: median(sliceBytes) / 1024, unit: 'KiB', note: `max ${(Math.max(...sliceBytes) / 1024).toFixed(0)} KiB, file ${(rec.fileBytes / 1024 / 1024).toFixed(1)} MiB` },
      ...(await benchReplayPools(path, runs, log)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runsArg = process.argv.indexOf('--runs');
  const { printTable } = await import('./stats');
  printTable(await benchRecord(runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5, (line) => console.error(line)));
}
