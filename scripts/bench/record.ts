// Record/replay benchmarks, side by side in one run (DESIGN.md 7):
// - record overhead: a scripted Linux session recorded (to a file, fsynced at
//   every snapshot) vs the same guest run plain, inputs at the same ticks;
// - snapshot cost: machine pause per snapshot (median, max), bytes per slice;
// - seek latency over random ticks (p50, p95) on one warm replay machine;
// - parallel replay wall time on warm pools of 1 and 2 workers, and the speedup.
// Callable from scripts/bench/main.ts (benchRecord) or alone:
//   npx tsx scripts/bench/record.ts [--runs N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { nodeSha256 } from '../../src/engine/node/hash';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { ReplayPool } from '../../src/engine/node/pool';
import { FileSink, openRecordingFile } from '../../src/engine/node/recording-file';
import { Machine } from '../../src/engine/machine';
import { DEFAULT_SLICE_TICKS, Recorder } from '../../src/engine/record/recorder';
import { runSession } from '../../src/engine/record/session';
import { bootConfigForRecording, describeBootFiles } from '../../src/engine/replay/boot';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import { seek } from '../../src/engine/replay/seek';
import { median, percentile, type BenchRow } from './stats';

export const BENCH_COMMANDS = ['ls -R / > /dev/null; echo listed', 'i=0; while [ $i -lt 4000 ]; do i=$((i+1)); done; echo $i', 'cat /data/words.txt | wc -l'];

export async function benchRecord(runs = 3, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-'));
  try {
    const module = await compileMachineModule();
    const { image, config } = await loadNodeBootConfig('default');
    const recordMs: number[] = [];
    const plainMs: number[] = [];
    let last: Recorder | undefined;
    let path = '';
    for (let run = 0; run < runs; run++) {
      log(`record: recording the session (run ${run + 1}/${runs})`);
      path = join(dir, `session-${run}.prnr`);
      const machine = await Machine.create(module);
      let started = performance.now();
      const recorder = new Recorder({ machine, config, image: { name: image.name, files: describeBootFiles(config, nodeSha256) }, output: { sink: new FileSink(path) }, sha256: nodeSha256, sliceTicks: DEFAULT_SLICE_TICKS, createdBy: 'prnr bench', commands: BENCH_COMMANDS });
      runSession(recorder, { prompt: image.manifest.prompt, commands: BENCH_COMMANDS });
      recordMs.push(performance.now() - started);
      last = recorder;

      log(`record: the same session run plain (run ${run + 1}/${runs})`);
      const { recording } = openRecordingFile(path);
      const plain = await Machine.create(module);
      started = performance.now();
      plain.boot(config);
      const events = recording.slices.flatMap((s) => s.events);
      const end = recording.snapshots[recording.snapshots.length - 1].tick;
      for (const target of [...events.map((e) => e.tick), end]) {
        while (plain.tick < target) {
          plain.run(target);
          plain.drainConsole();
        }
        const e = events.find((ev) => ev.tick === target);
        if (e && plain.tick === target) plain.typeInput(e.data);
      }
      plainMs.push(performance.now() - started);
    }
    const { recording: rec, data } = openRecordingFile(path);
    const stats = last!.stats.slice(1);
    const pauses = stats.map((s) => s.pauseMs);
    const sliceBytes = rec.snapshotBytes.slice(1);

    log('record: seek latency');
    const files = { firmware: config.firmware, kernel: config.kernel, initrd: config.initrd, disk: config.disk };
    const rm = await ReplayMachine.create(module, rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256);
    const endTick = Number(rec.snapshots[rec.snapshots.length - 1].tick);
    let seed = 7;
    const seekMs: number[] = [];
    for (let i = 0; i < 40; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const tick = BigInt(Math.floor((seed / 0x7fffffff) * endTick));
      const started = performance.now();
      seek(rm, tick);
      rm.machine.registers();
      seekMs.push(performance.now() - started);
    }

    log('record: parallel replay on warm pools of 1 and 2 workers');
    const wall: Record<number, number> = {};
    for (const jobs of [1, 2]) {
      const pool = await ReplayPool.start({ data, recovery: false, files, jobs });
      try {
        const samples: number[] = [];
        for (let run = 0; run < runs; run++) {
          const started = performance.now();
          const results = await pool.replay(rec.slices.map((s) => s.index));
          samples.push(performance.now() - started);
          if (!results.every((r) => r.ok)) throw new Error('a slice did not verify during the benchmark');
        }
        wall[jobs] = Math.min(...samples);
      } finally {
        await pool.close();
      }
    }
    const record = Math.min(...recordMs);
    const plainBest = Math.min(...plainMs);
    return [
      { name: 'session run plain', value: plainBest, unit: 'ms', note: `${rec.snapshots[rec.snapshots.length - 1].tick} ticks, best of ${runs}` },
      { name: 'session recorded', value: record, unit: 'ms', note: `to a file, fsync per snapshot, best of ${runs}` },
      { name: 'record overhead', value: (record / plainBest - 1) * 100, unit: '%', note: 'target <= 10%' },
      { name: 'snapshot pause median', value: median(pauses), unit: 'ms', note: `${stats.length} snapshots every ${rec.header.sliceTicks} ticks` },
      { name: 'snapshot pause max', value: Math.max(...pauses), unit: 'ms', note: `snapshot 0 (full hash after boot): ${last!.stats[0].pauseMs.toFixed(0)} ms` },
      { name: 'bytes per slice median', value: median(sliceBytes) / 1024, unit: 'KiB', note: `max ${(Math.max(...sliceBytes) / 1024).toFixed(0)} KiB, file ${(rec.fileBytes / 1024 / 1024).toFixed(1)} MiB` },
      { name: 'seek latency p50', value: percentile(seekMs, 50), unit: 'ms', note: `${seekMs.length} random ticks` },
      { name: 'seek latency p95', value: percentile(seekMs, 95), unit: 'ms', note: 'target < 150 ms' },
      { name: 'replay 1 worker', value: wall[1], unit: 'ms', note: `${rec.slices.length} slices, warm pool` },
      { name: 'replay 2 workers', value: wall[2], unit: 'ms', note: 'warm pool' },
      { name: 'replay speedup 2 vs 1', value: wall[1] / wall[2], unit: 'x', note: 'target >= 1.7x' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runsArg = process.argv.indexOf('--runs');
  const { printTable } = await import('./stats');
  printTable(await benchRecord(runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3, (line) => console.error(line)));
}
