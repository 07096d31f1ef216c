// Analyses of a real recorded Linux session: the guest prints its shell's pid
// (echo $$) and cat's own /proc/self/stat, then sleeps a second, so the
// sleep's clock_nanosleep blocks across many slices. The trace must name the
// same pids and comms the guest printed; be the same text from 1, 2 and 4
// workers as from one sequential pass, every slice verified with the hooks
// on; hold the sleep once, whole; land on each call when its tick is sought;
// and the CLI must print it as strace does, filter it, sum it up, cache it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleResult, ProcessesResult, SyscallsResult, TracedCall, WatchResult } from '../../src/analysis/dimensions/index.ts';
import { createAnalysisRuntime } from '../../src/analysis/runtime.ts';
import { decoderFingerprint } from '../../src/analysis/dimensions/syscalls.ts';
import { callJson, callLine } from '../../src/analysis/trace.ts';
import { LocalAnalyzer } from '../../src/engine/analyze/local.ts';
import { analyzeRecording, type AnalysisOutcome, type AnalysisProgress } from '../../src/engine/analyze/run.ts';
import { nodeSha256 } from '../../src/engine/node/hash.ts';
import { loadNodeAnalysisFiles } from '../../src/engine/node/images.ts';
import { createNodeEngine } from '../../src/engine/node/host.ts';
import { compileMachineModule } from '../../src/engine/node/machine-module.ts';
import { openRecordingFile } from '../../src/engine/node/recording-file.ts';
import { loadRecordingBootFiles } from '../../src/engine/node/recording-image.ts';
import { nodeReplayWorkers, startNodeReplayPool } from '../../src/engine/node/replay-pool.ts';
import { bootConfigForRecording } from '../../src/engine/replay/boot.ts';
import { ReplayMachine } from '../../src/engine/replay/replay-machine.ts';
import { encodeAnalysisJson, type AnalysisInputs, type DimensionRequest } from '../../src/shared/analysis.ts';
import { latin1FromBytes } from '../../src/shared/bytes.ts';
import { errorCode } from '../../src/shared/errors.ts';
import { CSR_NUMBERS } from '../../src/shared/riscv.ts';
import type { Recording } from '../../src/shared/recording/reader.ts';
import { prnr } from '../prnr.ts';

const dir = mkdtempSync(join(tmpdir(), 'prnr-trace-'));
const file = join(dir, 'session.prnr');
const worker = new URL('../../src/cli/workers/analysis.worker.ts', import.meta.url);
const runtime = createAnalysisRuntime();
const REQUESTS: DimensionRequest[] = [{ dimension: 'syscalls', params: {} }, { dimension: 'processes', params: {} }];

let rec: Recording;
let inputs: AnalysisInputs;
let sequential: AnalysisOutcome;
let console_: string;

const traceText = (o: AnalysisOutcome) => (o.dimensions[0].result as SyscallsResult).calls.map(callLine).join('\n');
const calls = (o: AnalysisOutcome) => (o.dimensions[0].result as SyscallsResult).calls;

beforeAll(async () => {
  const recorded = await prnr(['record', '--seed', '11', '--cmd', 'echo pid=$$', '--cmd', 'cat /proc/self/stat', '--cmd', 'sleep 1', '-o', file]);
  expect(recorded.code, recorded.stderr).toBe(0);
  rec = openRecordingFile(file).recording;
  console_ = rec.slices.flatMap((s) => s.output).map((o) => latin1FromBytes(o.data)).join('');
  inputs = await loadNodeAnalysisFiles(rec.header.image.name);
  const files = await loadRecordingBootFiles(rec.header);
  const machine = await ReplayMachine.create(await compileMachineModule(), rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256);
  sequential = await analyzeRecording({ rec, requests: REQUESTS, runtime, inputs, analyzer: async () => new LocalAnalyzer(machine, runtime) });
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a recorded session, analysed', () => {
  it('names the processes as the guest itself does: echo $$ and /proc/self/stat', () => {
    const shell = Number(/pid=(\d+)/.exec(console_)?.[1]);
    const stat = /\r?\n(\d+) \((\w+)\) R (\d+)/.exec(console_)!;
    const [catPid, catComm, catParent] = [Number(stat[1]), stat[2], Number(stat[3])];
    expect(catComm).toBe('cat');
    expect(catParent).toBe(shell);
    const all = calls(sequential);
    // The shell's own calls: the write that echoed "pid=..." comes from the shell's pid, named sh.
    const echo = all.find((c) => c.record.name === 'write' && c.record.args[1]?.startsWith(`"pid=${shell}`));
    expect(echo?.who).toMatchObject({ pid: shell, tid: shell, comm: 'sh' });
    // cat opens its own stat under its own pid and name, a child of the shell.
    const open = all.find((c) => c.record.name === 'openat' && c.record.args[1] === '"/proc/self/stat"');
    expect(open?.who).toMatchObject({ pid: catPid, comm: catComm, ppid: shell });
    const processes = sequential.dimensions[1].result as ProcessesResult;
    // The shell forks; the child execs busybox as /proc/self/exe ("exe"), which renames itself to its applet.
    expect(processes.processes.find((p) => p.pid === catPid)).toMatchObject({ ppid: shell, comms: ['sh', 'exe', 'cat'] });
    expect(processes.forks.some((f) => f.parent?.pid === shell && f.child === catPid)).toBe(true);
  });

  it('is the same trace from 1, 2 and 4 workers as from one sequential pass, every slice verified with the hooks on', async () => {
    expect(sequential.verified.length).toBe(rec.slices.length);
    for (const s of sequential.verified) expect(s.ok, `slice ${s.index}: ${s.divergence}`).toBe(true);
    expect(calls(sequential).length).toBeGreaterThan(500);
    // Every syscall event came with the machine stopped at it (HOOK_STOP): none had its memory read late.
    expect((sequential.dimensions[0].result as SyscallsResult).unlive).toBe(0);
    const files = await loadRecordingBootFiles(rec.header);
    for (const jobs of [1, 2, 4]) {
      const pool = await startNodeReplayPool({ path: file, recovery: false, files, jobs, entry: worker });
      try {
        const parallel = await analyzeRecording({ rec, requests: REQUESTS, runtime, inputs, analyzer: async () => pool });
        expect(parallel.verified.every((s) => s.ok)).toBe(true);
        expect(parallel.verified.length).toBe(rec.slices.length);
        expect(traceText(parallel), `${jobs} workers`).toBe(traceText(sequential));
        expect(JSON.stringify(calls(parallel).map(callJson))).toBe(JSON.stringify(calls(sequential).map(callJson)));
      } finally {
        await pool.close();
      }
    }
  }, 240_000);

  it('holds a call that blocks across slices once, whole: sleep 1\'s clock_nanosleep', () => {
    const sliceOf = (tick: bigint) => rec.slices.findIndex((s) => s.startTick <= tick && tick < s.endTick);
    const sleeps = calls(sequential).filter((c) => c.who?.comm === 'sleep' && c.record.name === 'clock_nanosleep');
    expect(sleeps.length).toBe(1);
    const [sleep] = sleeps;
    expect(sleep.record.args[2]).toBe('{tv_sec=1, tv_nsec=0}');
    expect(sleep.record.ret).toBe('0');
    expect(sleep.endTick).not.toBeNull();
    expect(sliceOf(sleep.endTick!) - sliceOf(sleep.tick)).toBeGreaterThan(10); // a guest second is 100 M ticks: 20 slices
  });

  it('lands on a call when its tick is sought: the trap its ecall entered, with its number and arguments', async () => {
    const engine = createNodeEngine();
    const { id } = await engine.openRecording({ path: file });
    const all = calls(sequential);
    const picks: TracedCall[] = [all.find((c) => c.record.name === 'openat' && c.record.args[1] === '"/proc/self/stat"')!, all.find((c) => c.who?.comm === 'sleep' && c.record.name === 'clock_nanosleep')!, all[all.length - 1]];
    for (const c of picks) {
      const regs = await engine.registersAt(id, c.tick);
      const { csrs } = await engine.csrsAt(id, c.tick, [CSR_NUMBERS.sepc, CSR_NUMBERS.scause, CSR_NUMBERS.sscratch]);
      // At the trap's first instruction: sepc is the ecall, scause an ecall from U-mode, sscratch still the task.
      expect(csrs.map((x) => x.value)).toEqual([c.pc, 8n, c.task]);
      expect(regs.x[17]).toBe(BigInt(c.record.nr));
      expect(regs.x[10]).toBe(c.record.raw[0]);
      expect(regs.priv).toBe(1);
    }
  });
});

describe('a memory watch', () => {
  it('finds every change of the kernel\'s jiffies at the instruction that made it, with old and new values that seeking confirms', async () => {
    // jiffies is kernel data: its physical address is the kernel's load address plus its offset in the image.
    const va = BigInt(`0x${/^([0-9a-f]+) D jiffies$/m.exec(inputs.systemMap!)![1]}`);
    const paddr = 0x8020_0000n + (va - 0xffff_ffff_8000_0000n);
    const request = { dimension: 'watch', params: { addr: Number(paddr), length: 8 } };
    const files = await loadRecordingBootFiles(rec.header);
    const pool = await startNodeReplayPool({ path: file, recovery: false, files, jobs: 2, entry: worker });
    let outcome: AnalysisOutcome;
    try {
      outcome = await analyzeRecording({ rec, requests: [request], runtime, inputs, analyzer: async () => pool });
    } finally {
      await pool.close();
    }
    expect(outcome.verified.every((s) => s.ok)).toBe(true);
    const { writes } = outcome.dimensions[0].result as WatchResult;
    const value = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
    // HZ is 100: a jiffy per 10 ms of guest time (1 M ticks); an idle (tickless) kernel catches up in one write.
    expect(writes.length).toBeGreaterThan(20);
    const [first, last] = [writes[0], writes[writes.length - 1]];
    const jiffies = Number(value(last.new) - value(first.new));
    expect(Math.abs(jiffies - Number(last.tick - first.tick) / 1_000_000)).toBeLessThan(3);
    for (const w of writes) {
      expect(value(w.new) - value(w.old)).toBeGreaterThanOrEqual(1n);
      expect(w.where).toBe('kernel');
      expect(w.place).toMatch(/^(do_timer|tick_do_update_jiffies64)/);
    }
    for (const [a, b] of writes.slice(1).map((w, k) => [writes[k], w])) expect(value(b.old)).toBe(value(a.new));
    const engine = createNodeEngine();
    const { id } = await engine.openRecording({ path: file });
    for (const w of [writes[0], writes[Math.floor(writes.length / 2)], writes[writes.length - 1]]) {
      expect((await engine.registersAt(id, w.tick - 1n)).pc).toBe(w.pc);
      expect((await engine.readPhysAt(id, w.tick - 1n, paddr, 8)).bytes).toEqual(w.old);
      expect((await engine.readPhysAt(id, w.tick, paddr, 8)).bytes).toEqual(w.new);
    }
  }, 240_000);
});

describe('dimensions sharing a replay', () => {
  it('give each what it gives alone: the cache key does not name the others', async () => {
    const files = await loadRecordingBootFiles(rec.header);
    const machine = await ReplayMachine.create(await compileMachineModule(), rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256);
    const run = (requests: DimensionRequest[]) => analyzeRecording({ rec, requests, runtime, inputs, analyzer: async () => new LocalAnalyzer(machine, runtime) });
    const va = BigInt(`0x${/^([0-9a-f]+) D jiffies$/m.exec(inputs.systemMap!)![1]}`);
    const watch = { dimension: 'watch', params: { addr: Number(0x8020_0000n + (va - 0xffff_ffff_8000_0000n)), length: 8 } };
    const consoleOnly = { dimension: 'console', params: {} };
    const hotspots = { dimension: 'hotspots', params: { every: 50_000 } };
    const together = await run([REQUESTS[0], consoleOnly, watch, hotspots]);
    for (const [k, alone] of [consoleOnly, watch, hotspots].entries()) {
      const single = await run([alone]);
      expect(encodeAnalysisJson(single.dimensions[0].result), alone.dimension).toBe(encodeAnalysisJson(together.dimensions[k + 1].result));
    }
    // The console is the recording's own output, chunk for chunk.
    const chunks = (together.dimensions[1].result as ConsoleResult).chunks;
    expect(chunks).toEqual(rec.slices.flatMap((s) => s.output));
  }, 240_000);
});

describe('the engine API', () => {
  it('serves the analyses with progress and each slice\'s partial as it comes, cached for the next ask', async () => {
    const engine = createNodeEngine({ analyses: { runtime, workers: nodeReplayWorkers(worker) }, replayJobs: 2 });
    const { id } = await engine.openRecording({ path: file });
    const progress: AnalysisProgress[] = [];
    const first = await engine.analyze(id, { dimensions: REQUESTS }, { onProgress: (p) => progress.push(p) });
    expect(first.verified.length).toBe(rec.slices.length);
    expect(first.verified.every((s) => s.ok)).toBe(true);
    expect(first.dimensions.map((d) => d.provenance)).toEqual(sequential.dimensions.map((d) => d.provenance));
    expect(traceText({ ...sequential, dimensions: first.dimensions })).toBe(traceText(sequential));
    for (const dimension of ['syscalls', 'processes']) {
      const mine = progress.filter((p) => p.dimension === dimension);
      expect(mine.map((p) => p.slice).sort((x, y) => x - y)).toEqual(rec.slices.map((s) => s.index));
      expect(mine.map((p) => p.done)).toEqual(rec.slices.map((_, k) => k + 1));
      expect(mine.every((p) => !p.cached && p.partial !== undefined && p.worker !== undefined)).toBe(true);
    }
    // The partials merge, in slice order, into the same result.
    const partials = progress.filter((p) => p.dimension === 'syscalls').sort((x, y) => x.slice - y.slice).map((p) => p.partial);
    expect((runtime.merge(REQUESTS[0], partials, inputs) as SyscallsResult).calls.map(callLine).join('\n')).toBe(traceText(sequential));
    const again: AnalysisProgress[] = [];
    const second = await engine.analyze(id, { dimensions: REQUESTS }, { onProgress: (p) => again.push(p) });
    expect(second.verified).toEqual([]);
    expect(again.every((p) => p.cached)).toBe(true);
    expect(traceText({ ...sequential, dimensions: second.dimensions })).toBe(traceText(sequential));
    expect(errorCode(await engine.analyze(id, { dimensions: [{ dimension: 'nope', params: {} }] }).catch((e: unknown) => e))).toBe('ANALYSIS_UNKNOWN');
    const bare = createNodeEngine();
    const opened = await bare.openRecording({ path: file });
    expect(errorCode(await bare.analyze(opened.id, { dimensions: REQUESTS }).catch((e: unknown) => e))).toBe('ANALYSIS_UNAVAILABLE');
  }, 240_000);
});

describe('prnr trace, analyze', () => {
  it('prints strace lines, filters them, sums them up, and gives JSON with the fields tools read', async () => {
    const out = join(dir, 'out');
    const plain = await prnr(['trace', file, '--jobs', '2', '-o', out]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe(`${traceText(sequential)}\n`);
    const opens = await prnr(['trace', file, '-o', out, '-e', 'trace=openat,clock_nanosleep']);
    expect(opens.stdout.trim().split('\n').every((l) => / (openat|clock_nanosleep)\(/.test(l))).toBe(true);
    expect(opens.stdout).toMatch(/^\[\d+\] \d+ cat {2}openat\(AT_FDCWD, "\/proc\/self\/stat", O_RDONLY\) = 3$/m);
    const shell = /pid=(\d+)/.exec(console_)![1];
    const mine = await prnr(['trace', file, '-o', out, '-p', shell]);
    expect(mine.stdout.trim().split('\n').every((l) => l.includes(`] ${shell} `))).toBe(true);
    const json = await prnr(['trace', file, '-o', out, '--json', '-e', 'openat']);
    const objects = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.length).toBeGreaterThan(3);
    for (const o of objects) {
      expect(o).toMatchObject({ name: 'openat' });
      expect(typeof o.tick).toBe('string');
      for (const key of ['pid', 'tid', 'comm', 'args', 'ret', 'errno']) expect(o).toHaveProperty(key);
      expect(Array.isArray(o.args)).toBe(true);
    }
    expect(objects.some((o) => o.errno === 'ENOENT' && String(o.ret).startsWith('-1 ENOENT'))).toBe(true);
    const summary = await prnr(['trace', file, '-o', out, '-c']);
    expect(summary.stdout).toMatch(/^% ticks +ticks +ticks\/call +calls +errors syscall$/m);
    const nanosleep = /^ *[\d.]+ +(\d+) +\d+ +(\d+) +(\d*) clock_nanosleep$/m.exec(summary.stdout)!;
    expect(BigInt(nanosleep[1])).toBeGreaterThan(100_000_000n);
    expect(summary.stdout).toMatch(/^100\.00 +\d+ +\d+ +\d+ +\d+ total$/m);
  }, 120_000);

  it('analyzes several dimensions at once, writes each result with its provenance, and returns from the cache the second time', async () => {
    const first = await prnr(['analyze', file, '--syscalls', '--processes', '--console', '--jobs', '2']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^syscalls +\d+\/\d+ slices, done in/m);
    expect(first.stdout).toMatch(/^processes +\d+\/\d+ slices, done in/m);
    expect(first.stdout).toMatch(/slice replays on 2 workers, every one verified/);
    const result = JSON.parse(readFileSync(`${file}.analysis/syscalls.json`, 'utf8')) as { provenance: Record<string, unknown> };
    expect(result.provenance).toMatchObject({ recording: Buffer.from(rec.digest).toString('hex'), analysis: 'syscalls', version: 3, code: decoderFingerprint(), params: { strsize: 32 } });
    const again = await prnr(['analyze', file, '--syscalls', '--processes', '--console', '--jobs', '2']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/from the cache/);
    expect(again.ms).toBeLessThan(first.ms);
  }, 120_000);

  it('says what is wrong with bad input, never a stack', async () => {
    const notRecording = join(dir, 'junk.prnr');
    writeFileSync(notRecording, 'not a recording');
    for (const args of [['trace', notRecording], ['trace', join(dir, 'missing.prnr')], ['analyze', notRecording, '--syscalls'], ['analyze', file, '--watch', '0x10000000:8']]) {
      const r = await prnr(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^prnr: .+\n$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    for (const args of [['trace', file, '-e', 'trace=opnat'], ['trace', file, '-s', 'x'], ['trace', file, '-p', 'me'], ['trace', file, '-c', '--json'], ['analyze', file, '--syscalls', '--every', '100'], ['analyze', file, '--hotspots', '--every', '5'], ['analyze', file, '--watch', '0x80000000'], ['analyze', file, '--watch', '0x80000000:8192']]) {
      const r = await prnr(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect((await prnr(['trace', file, '-e', 'trace=opnat'])).stderr).toMatch(/no syscall "opnat".*did you mean openat/);
    expect(existsSync(`${notRecording}.analysis`)).toBe(false);
  }, 120_000);
});
