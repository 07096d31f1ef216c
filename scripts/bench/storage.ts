// Storage benchmarks (issue: recordings at any size), side by side in one run:
// - bytes per guest second and per slice of a CPU-heavy and a memory-heavy
//   session, with blobs stored raw, as sparse words, and sparse words or
//   deflate (what `prnr record` writes), and the processing time per snapshot
//   each costs (hashing, encoding, writing; on the recorder's worker in
//   `prnr record`, so the machine does not wait for it);
// - open time and peak memory of `prnr info` and `prnr seek` on recordings of
//   about 1 GiB and 4 GiB (a real session padded with 4 MiB random blobs).
// Callable from scripts/bench/main.ts (benchStorage) or alone:
//   npx tsx scripts/bench/storage.ts [--runs N]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { nodeDeflate } from '../../src/engine/node/codecs';
import { nodeSha256 } from '../../src/engine/node/hash';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { FileSink, openRecordingFile } from '../../src/engine/node/recording-file';
import { Machine } from '../../src/engine/machine';
import { DEFAULT_SLICE_TICKS, Recorder } from '../../src/engine/record/recorder';
import { runSession } from '../../src/engine/record/session';
import { describeImageFiles } from '../../src/engine/replay/boot';
import { TICKS_PER_MTIME, TIMEBASE_HZ } from '../../src/shared/machine-constants';
import { rewriteWithPadding } from './pad-recording';
import { median, type BenchRow } from './stats';

const SESSIONS = {
  'cpu-heavy': ['/demo/cpubench'],
  'memory-heavy': ['/demo/memtouch 16384 2'],
};
const STORES = {
  raw: { raw: true },
  sparse: {},
  'sparse+deflate': { deflate: nodeDeflate },
} as const;
const TICKS_PER_SECOND = Number(TIMEBASE_HZ) * Number(TICKS_PER_MTIME);
const bin = fileURLToPath(new URL('../../bin/prnr.js', import.meta.url));

/** Runs the CLI; returns wall ms and the child's peak resident memory, measured by itself at exit. */
async function measureCli(args: string[]): Promise<{ ms: number; maxRss: number }> {
  const script = `process.on('exit', () => process.stderr.write('\\nmaxrss=' + process.resourceUsage().maxRSS * 1024 + '\\n')); process.argv = [process.argv[0], ${JSON.stringify(bin)}, ...${JSON.stringify(args)}]; await import(${JSON.stringify(bin)});`;
  const started = performance.now();
  const { stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 1 << 26 });
  return { ms: performance.now() - started, maxRss: Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? NaN) };
}

export async function benchStorage(runs = 3, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-storage-'));
  const rows: BenchRow[] = [];
  try {
    const module = await compileMachineModule();
    const { image, config } = await loadNodeBootConfig('default');
    let cpuRecording = '';
    for (const [session, commands] of Object.entries(SESSIONS)) {
      const sizes: Record<string, { bytes: number; ticks: bigint; slices: number[]; processMs: number[] }> = {};
      for (const [store, writer] of Object.entries(STORES)) {
        const processMs: number[] = [];
        let last: { bytes: number; ticks: bigint; slices: number[] } | undefined;
        for (let run = 0; run < runs; run++) {
          const path = join(dir, `${session}-${store}-${run}.prnr`);
          const recorder = new Recorder({ machine: await Machine.create(module), config, image: { name: image.name, files: describeImageFiles(image) }, output: { sink: new FileSink(path), writer }, sha256: nodeSha256, sliceTicks: DEFAULT_SLICE_TICKS, createdBy: 'prnr bench', commands });
          runSession(recorder, { prompt: image.manifest.prompt, commands });
          processMs.push(median(recorder.stats.slice(1).map((s) => s.processed?.processMs ?? 0)));
          const { recording, source } = openRecordingFile(path);
          last = { bytes: source.size, ticks: recording.end!.endTick, slices: recording.snapshotBytes.slice(1) };
          source.close();
          if (session === 'cpu-heavy' && store === 'sparse+deflate') cpuRecording = path;
        }
        sizes[store] = { ...last!, processMs };
        log(`storage: ${session}, ${store}: ${last!.bytes} bytes`);
      }
      const raw = sizes.raw;
      for (const [store, s] of Object.entries(sizes)) {
        const seconds = Number(s.ticks) / TICKS_PER_SECOND;
        rows.push({ name: `${session} ${store}: MiB per guest second`, value: s.bytes / seconds / 2 ** 20, unit: 'MiB/s', note: `${(s.bytes / raw.bytes).toFixed(3)}x raw; ${seconds.toFixed(2)} guest s` });
        rows.push({ name: `${session} ${store}: bytes per slice median`, value: median(s.slices) / 1024, unit: 'KiB', note: `processing ${median(s.processMs).toFixed(2)} ms per snapshot` });
      }
    }
    for (const gib of [1, 4]) {
      const padded = join(dir, `padded-${gib}g.prnr`);
      const { recording, source } = openRecordingFile(cpuRecording);
      rewriteWithPadding(recording, padded, gib * 2 ** 30 - source.size);
      source.close();
      const size = statSync(padded).size;
      const tick = String(recording.slices[recording.slices.length - 1].startTick + 1000n);
      const info: { ms: number; maxRss: number }[] = [];
      const seek: { ms: number; maxRss: number }[] = [];
      for (let run = 0; run < runs; run++) {
        info.push(await measureCli(['info', padded]));
        seek.push(await measureCli(['seek', padded, '--tick', tick, '--regs']));
      }
      const note = (m: typeof info) => `peak RSS median ${(median(m.map((x) => x.maxRss)) / 2 ** 20).toFixed(0)} MB; file ${(size / 2 ** 30).toFixed(2)} GiB`;
      rows.push({ name: `info on ${gib} GiB: wall (process start to exit)`, value: median(info.map((x) => x.ms)), unit: 'ms', note: note(info) });
      rows.push({ name: `seek on ${gib} GiB: wall (process start to exit)`, value: median(seek.map((x) => x.ms)), unit: 'ms', note: note(seek) });
      rmSync(padded, { force: true });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) : 3;
  const { printTable } = await import('./stats');
  printTable(await benchStorage(runs, (line) => console.error(line)));
}
