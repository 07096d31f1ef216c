// Write-watch benchmarks (docs/design.md 2 Hooks, 5 watch and last write),
// side by side in one run, medians of interleaved runs (CPU time of this
// process where one thread works, wall time where workers do):
// - plain replay of the fork-and-pipe demo with the hooks off, against the
//   same on PRNR_BENCH_BASELINE_WASM when given (a machine.wasm built before
//   the write watch, e.g. in a `git worktree` of an older commit), runs
//   interleaved: the cost of the hook when off;
// - the watch dimension on a kernel variable (jiffies) against plain replay:
//   the cost of watching; and on the fork-and-pipe parent's read buffer as
//   virtual in its pid (the range followed through each fork's COW copy,
//   the replay stopped at every satp write): the cost of a virtual watch;
// - EngineApi.lastWrite at the end of the longest demo (first-tour): a write
//   in the last slice (jiffies) and a range never written (every slice
//   searched), on 1 and 2 workers, each search on a fresh engine as prnr seek
//   makes it (src/cli/last-write.ts), with an empty cache.
// Callable from scripts/bench/main.ts (benchWatch) or alone:
//   npx tsx scripts/bench/watch.ts [--runs N]
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
import { bootConfigForRecording } from '../../src/engine/replay/boot';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import type { AnalysisInputs, AnalysisRuntime } from '../../src/shared/analysis';
import { RAM_BASE } from '../../src/shared/machine-constants';
import type { Recording } from '../../src/shared/recording/reader';
import { searchingEngine } from '../../src/cli/last-write';
import { median, type BenchRow } from './stats';

const demoFile = (dir: string, name: string) => {
  const file = join(dir, `${name}.prnr`);
  writeFileSync(file, gunzipSync(readFileSync(new URL(`../../public/demos/${name}.prnr.gz`, import.meta.url))));
  return file;
};

async function timed<T>(fn: () => Promise<T> | T): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** CPU milliseconds of this process (all its threads): steadier than the wall clock on a host others load. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function cpuTimed<T>(fn: () => Promise<T> | T): Promise<number> {
  const started = cpuMs();
  await fn();
  return cpuMs() - started;
}

/** jiffies' physical address: the kernel's load address plus its offset in the image (System.map). */
function jiffies(systemMap: string): bigint {
  const va = BigInt(`0x${/^([0-9a-f]+) D jiffies$/m.exec(systemMap)![1]}`);
  return 0x8020_0000n + (va - 0xffff_ffff_8000_0000n);
}

/** The fork-and-pipe parent's first pipe read's buffer, as a virtual watch in its pid (found by a syscalls pass, not timed). */
async function parentBuffer(rec: Recording, runtime: AnalysisRuntime, inputs: AnalysisInputs, machine: ReplayMachine): Promise<{ dimension: string; params: { addr: number; length: number; pid: number } }> {
  const trace = await analyzeRecording({ rec, requests: [{ dimension: 'syscalls', params: {} }], runtime, inputs, analyzer: async () => new LocalAnalyzer(machine, runtime) });
  const read = (trace.dimensions[0].result as SyscallsResult).calls.find((c) => c.who?.comm === 'forkpipe' && c.record.name === 'read' && c.record.raw[0] > 2n);
  if (!read?.who) throw new Error('the fork-and-pipe demo has no pipe read by forkpipe');
  return { dimension: 'watch', params: { addr: Number(read.record.raw[1]), length: 8, pid: read.who.pid } };
}

export async function benchWatch(runs = 3, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-watch-'));
  try {
    const file = demoFile(dir, 'fork-and-pipe');
    const { recording: rec } = openRecordingFile(file);
    const files = await loadRecordingBootFiles(rec.header);
    const inputs = await loadNodeAnalysisFiles(rec.header.image.name);
    const runtime = createAnalysisRuntime();
    const config = bootConfigForRecording(rec.header, files, nodeSha256);
    const machine = await ReplayMachine.create(await compileMachineModule(), rec, config, nodeSha256);
    const baselinePath = process.env.PRNR_BENCH_BASELINE_WASM;
    const baseline = baselinePath ? await ReplayMachine.create(await compileMachineModule(baselinePath), rec, config, nodeSha256) : undefined;
    const plain = (rm: ReplayMachine) => () => {
      for (const s of rec.slices) if (!rm.replaySlice(s.index).ok) throw new Error(`slice ${s.index} diverged`);
    };
    const watch = { dimension: 'watch', params: { addr: Number(jiffies(inputs.systemMap!)), length: 8 } };
    const watched = () => analyzeRecording({ rec, requests: [watch], runtime, inputs, analyzer: async () => new LocalAnalyzer(machine, runtime) });
    const virtualWatch = await parentBuffer(rec, runtime, inputs, machine);
    const watchedVirtual = () => analyzeRecording({ rec, requests: [virtualWatch], runtime, inputs, analyzer: async () => new LocalAnalyzer(machine, runtime) });
    const samples = { plain: [] as number[], baseline: [] as number[], watch: [] as number[], virtual: [] as number[] };
    plain(machine)();
    if (baseline) plain(baseline)();
    for (let run = 0; run < runs; run++) {
      samples.plain.push(await cpuTimed(plain(machine)));
      if (baseline) samples.baseline.push(await cpuTimed(plain(baseline)));
      samples.watch.push(await cpuTimed(watched));
      samples.virtual.push(await cpuTimed(watchedVirtual));
      log(`watch: run ${run + 1}/${runs}: plain ${samples.plain.at(-1)!.toFixed(0)} CPU ms${baseline ? `, baseline build ${samples.baseline.at(-1)!.toFixed(0)} CPU ms` : ''}, jiffies watched ${samples.watch.at(-1)!.toFixed(0)} CPU ms, virtual watch ${samples.virtual.at(-1)!.toFixed(0)} CPU ms`);
    }
    const rows: BenchRow[] = [{ name: 'plain replay, hooks off', value: median(samples.plain), unit: 'CPU ms', note: `${rec.slices.length} slices of the fork-and-pipe demo, one thread` }];
    if (baseline) {
      rows.push({ name: 'plain replay, baseline build', value: median(samples.baseline), unit: 'CPU ms', note: baselinePath });
      rows.push({ name: 'hooks off / baseline build', value: median(samples.plain) / median(samples.baseline), unit: 'x', note: 'the write watch off: target within noise of 1' });
    } else {
      log('watch: set PRNR_BENCH_BASELINE_WASM=path/to/an/older/machine.wasm to compare plain replay with a build before the write watch');
    }
    rows.push({ name: 'watch jiffies, whole recording', value: median(samples.watch), unit: 'CPU ms', note: 'the watch dimension, every slice verified' });
    rows.push({ name: 'watch / plain replay', value: median(samples.watch) / median(samples.plain), unit: 'x', note: 'one replay per slice, stopped at each write' });
    rows.push({ name: 'virtual watch, whole recording', value: median(samples.virtual), unit: 'CPU ms', note: `pid ${virtualWatch.params.pid}'s read buffer 0x${virtualWatch.params.addr.toString(16)}:8, every slice verified` });
    rows.push({ name: 'virtual watch / plain replay', value: median(samples.virtual) / median(samples.plain), unit: 'x', note: 'stopped at each write to its page or PTEs and at each satp write' });

    const long = demoFile(dir, 'first-tour');
    const { recording: longRec } = openRecordingFile(long);
    const longInputs = await loadNodeAnalysisFiles(longRec.header.image.name);
    const end = longRec.snapshots[longRec.snapshots.length - 1].tick;
    // Two ranges nobody writes (OpenSBI's first instructions) and jiffies, written in the last slice.
    const never = [{ addr: RAM_BASE, length: 16 }, { addr: RAM_BASE + 0x100n, length: 16 }];
    const near = { addr: jiffies(longInputs.systemMap!), length: 8 };
    for (const jobs of [1, 2]) {
      const times = { near: [] as number[], cold: [] as number[], warm: [] as number[] };
      for (let run = 0; run < runs; run++) {
        // A fresh engine as prnr seek makes it (src/cli/last-write.ts), with an empty cache; its second search finds the workers started.
        const engine = searchingEngine(join(dir, `cache-${jobs}-${run}`), jobs);
        const { id } = await engine.openRecording({ path: long });
        try {
          times.near.push(await timed(() => engine.lastWrite(id, { ...near, tick: end })));
          const unwritten = async (range: { addr: bigint; length: number }) => {
            const answer = await engine.lastWrite(id, { ...range, tick: end });
            if (answer.found || answer.searched.length !== longRec.slices.length) throw new Error(`0x${range.addr.toString(16)} was expected never written, every slice searched`);
          };
          times.cold.push(await timed(() => unwritten(never[0])));
          times.warm.push(await timed(() => unwritten(never[1])));
        } finally {
          await engine.closeRecording(id);
        }
      }
      const w = `${jobs} worker${jobs === 1 ? '' : 's'}`;
      log(`watch: last write on ${w}: in the last slice ${median(times.near).toFixed(0)} ms, never written ${median(times.cold).toFixed(0)} ms, again with the workers started ${median(times.warm).toFixed(0)} ms`);
      const where = `first-tour demo, ${longRec.slices.length} slices, ${(Number(end) / 1e6).toFixed(0)} M ticks`;
      rows.push({ name: `last write at the end, in the last slice, ${w}`, value: median(times.near), unit: 'ms', note: `jiffies: 1 slice searched (${where})` });
      rows.push({ name: `last write at the end, never written, ${w}`, value: median(times.cold), unit: 'ms', note: `every slice searched${jobs > 1 ? ', workers started by the search' : ''}` });
      rows.push({ name: `the same, workers already started, ${w}`, value: median(times.warm), unit: 'ms', note: 'as in the app, which starts them in idle time' });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--runs');
  const rows = await benchWatch(i > 0 ? Number(process.argv[i + 1]) : 3, (line) => console.error(line));
  const { printTable } = await import('./stats');
  printTable(rows);
}
