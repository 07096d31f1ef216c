// Memory watches of a virtual range in one process, on real Linux sessions.
// fork-and-pipe (scripts/guest/demos/forkpipe.c): the parent reads each
// child's line into `buf` on its stack; every fork makes the page COW, and
// the parent's next write copies it (the PTE cleared, then set to the copy);
// the first child writes the same virtual address (its snprintf's msg shares
// the slot) in its own copy before it execs. memtouch (recorded here) maps
// two anonymous pages, touches them (each first touch a fault that maps the
// page) and unmaps them. The watch must report the watched process's writes
// only, at ticks a seek confirms (memory at the virtual address changes
// exactly there), follow the page's mapping at the exact ticks it changes,
// come out the same from 1, 2 and 4 workers as from one sequential pass with
// every slice verified, and an A/D update of a watched PTE is a write.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyscallsResult, TracedCall, WatchResult } from '../../src/analysis/dimensions/index.ts';
import { walkSv39 } from '../../src/analysis/linux/address-space.ts';
import { createAnalysisRuntime } from '../../src/analysis/runtime.ts';
import { LocalAnalyzer } from '../../src/engine/analyze/local.ts';
import { analyzeRecording, type AnalysisOutcome } from '../../src/engine/analyze/run.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { nodeSha256 } from '../../src/engine/node/hash.ts';
import { createNodeEngine } from '../../src/engine/node/host.ts';
import { loadNodeAnalysisFiles } from '../../src/engine/node/images.ts';
import { compileMachineModule } from '../../src/engine/node/machine-module.ts';
import { openRecordingFile } from '../../src/engine/node/recording-file.ts';
import { loadRecordingBootFiles } from '../../src/engine/node/recording-image.ts';
import { nodeReplayWorkers, startNodeReplayPool } from '../../src/engine/node/replay-pool.ts';
import { bootConfigForRecording } from '../../src/engine/replay/boot.ts';
import { ReplayMachine } from '../../src/engine/replay/replay-machine.ts';
import { encodeAnalysisJson, type AnalysisInputs, type DimensionRequest } from '../../src/shared/analysis.ts';
import { errorCode } from '../../src/shared/errors.ts';
import type { Recording } from '../../src/shared/recording/reader.ts';
import { CSR_NUMBERS } from '../../src/shared/riscv.ts';
import { prnr } from '../prnr.ts';

const dir = mkdtempSync(join(tmpdir(), 'prnr-vwatch-'));
const forkFile = join(dir, 'fork-and-pipe.prnr');
const touchFile = join(dir, 'memtouch.prnr');
const worker = new URL('../../src/cli/workers/analysis.worker.ts', import.meta.url);
const runtime = createAnalysisRuntime();

let engine: Engine;
let forkId: string;
let touchId: string;
let forkRec: Recording;
let inputs: AnalysisInputs;
let parent: number;
let child: number;
let clones: bigint[];
let buf: bigint;
let requests: DimensionRequest[];
let sequential: AnalysisOutcome;
let sequentialAnalyzer: LocalAnalyzer;

const watchOf = (o: AnalysisOutcome, k: number) => o.dimensions[k].result as WatchResult;
const satpAt = async (id: string, tick: bigint) => (await engine.csrsAt(id, tick, [CSR_NUMBERS.satp])).csrs[0].value!;
const traceOf = async (id: string): Promise<TracedCall[]> => ((await engine.analyze(id, { dimensions: [{ dimension: 'syscalls', params: {} }] })).dimensions[0].result as SyscallsResult).calls;
const virtAt = async (id: string, tick: bigint, vaddr: bigint, satp: bigint) => {
  try {
    return (await engine.readVirtAt(id, tick, vaddr, 8, satp)).bytes;
  } catch (err) {
    return errorCode(err);
  }
};

beforeAll(async () => {
  writeFileSync(forkFile, gunzipSync(readFileSync(new URL('../../public/demos/fork-and-pipe.prnr.gz', import.meta.url))));
  const recorded = await prnr(['record', '--seed', '7', '--cmd', '/demo/memtouch 2 1', '-o', touchFile]);
  expect(recorded.code, recorded.stderr).toBe(0);
  engine = createNodeEngine({ analyses: { runtime, workers: nodeReplayWorkers(worker) }, replayJobs: 2 });
  ({ id: forkId } = await engine.openRecording({ path: forkFile }));
  ({ id: touchId } = await engine.openRecording({ path: touchFile }));
  const calls = await traceOf(forkId);
  const read = calls.find((c) => c.who?.comm === 'forkpipe' && c.record.name === 'read' && Number(c.record.raw[0]) > 2)!;
  parent = read.who!.pid;
  buf = read.record.raw[1];
  const forks = calls.filter((c) => c.who?.pid === parent && c.record.name === 'clone');
  clones = forks.map((c) => c.tick);
  child = Number(forks[0].record.ret);
  requests = [parent, child].map((pid) => ({ dimension: 'watch', params: { addr: Number(buf), length: 8, pid } }));
  forkRec = openRecordingFile(forkFile).recording;
  inputs = await loadNodeAnalysisFiles(forkRec.header.image.name);
  const files = await loadRecordingBootFiles(forkRec.header);
  const machine = await ReplayMachine.create(await compileMachineModule(), forkRec, bootConfigForRecording(forkRec.header, files, nodeSha256), nodeSha256);
  sequentialAnalyzer = new LocalAnalyzer(machine, runtime);
  sequential = await analyzeRecording({ rec: forkRec, requests, runtime, inputs, analyzer: async () => sequentialAnalyzer });
}, 300_000);

afterAll(async () => {
  await engine?.closeRecording(forkId);
  await engine?.closeRecording(touchId);
  rmSync(dir, { recursive: true, force: true });
});

describe('a virtual watch across fork', () => {
  it('reports the watched process\'s writes only, with its virtual and physical address, at ticks a seek confirms', async () => {
    for (const s of sequential.verified) expect(s.ok, `slice ${s.index}: ${s.divergence}`).toBe(true);
    const mine = watchOf(sequential, 0);
    const theirs = watchOf(sequential, 1);
    expect(mine.pid).toBe(parent);
    expect(mine.writes.filter((w) => !w.same).length).toBeGreaterThan(2);
    for (const w of mine.writes) expect(w.who?.pid).toBe(parent);
    for (const w of theirs.writes) expect(w.who?.pid).toBe(child);
    // The child wrote the same virtual address in its own copy of the page: not the parent's write.
    const childWrites = theirs.writes.filter((w) => !w.same);
    expect(childWrites.length).toBeGreaterThan(0);
    const mineTicks = new Set(mine.writes.map((w) => w.tick));
    for (const w of theirs.writes) expect(mineTicks.has(w.tick)).toBe(false);
    const parentSatp = await satpAt(forkId, mine.writes[0].tick);
    const childSatp = await satpAt(forkId, childWrites[0].tick);
    expect(childSatp).not.toBe(parentSatp);
    const cw = childWrites[0];
    expect(await virtAt(forkId, cw.tick, buf + BigInt(cw.offset), childSatp)).not.toEqual(await virtAt(forkId, cw.tick - 1n, buf + BigInt(cw.offset), childSatp));
    expect(await virtAt(forkId, cw.tick, buf, parentSatp)).toEqual(await virtAt(forkId, cw.tick - 1n, buf, parentSatp)); // the parent's bytes did not move
    for (const w of mine.writes.filter((x) => !x.same).slice(0, 3)) {
      expect(w.vaddr).toBe(buf + BigInt(w.offset));
      expect(await virtAt(forkId, w.tick - 1n, buf, parentSatp)).toEqual(w.old);
      expect(await virtAt(forkId, w.tick, buf, parentSatp)).toEqual(w.new);
      expect((await engine.readPhysAt(forkId, w.tick, w.paddr! - BigInt(w.offset), 8)).bytes).toEqual(w.new);
    }
  });

  it('follows the page through each fork\'s COW copy, at the exact tick the PTE changed', async () => {
    const { mappings } = watchOf(sequential, 0);
    const parentSatp = await satpAt(forkId, watchOf(sequential, 0).writes[0].tick);
    const pages = mappings!.filter((m) => m.paddr !== null);
    for (const fork of clones) expect(pages.some((m) => m.tick > fork), `a new page after the fork at ${fork}`).toBe(true);
    expect(new Set(pages.map((m) => m.paddr)).size).toBeGreaterThan(2);
    // A copy: the PTE cleared, then set to the new page; seeking shows the page fault, then the copy, tick for tick.
    const copies = mappings!.filter((m, i) => m.paddr !== null && i > 0 && mappings![i - 1].paddr === null && mappings![i - 1].tick > clones[0]);
    expect(copies.length).toBeGreaterThan(0);
    for (const m of copies.slice(0, 2)) {
      expect(await virtAt(forkId, m.tick - 1n, buf, parentSatp)).toBe('PAGE_FAULT');
      const there = await virtAt(forkId, m.tick, buf, parentSatp);
      expect(there).toEqual((await engine.readPhysAt(forkId, m.tick, m.paddr! + (buf & 0xfffn), 8)).bytes);
    }
  });

  it('is the same from 1, 2 and 4 workers as from one sequential pass, every slice verified', async () => {
    const files = await loadRecordingBootFiles(forkRec.header);
    const text = (o: AnalysisOutcome) => o.dimensions.map((d) => encodeAnalysisJson(d.result)).join('\n');
    for (const jobs of [1, 2, 4]) {
      const pool = await startNodeReplayPool({ path: forkFile, recovery: false, files, jobs, entry: worker });
      try {
        const parallel = await analyzeRecording({ rec: forkRec, requests, runtime, inputs, analyzer: async () => pool });
        expect(parallel.verified.length).toBe(forkRec.slices.length);
        expect(parallel.verified.every((s) => s.ok)).toBe(true);
        expect(text(parallel), `${jobs} workers`).toBe(text(sequential));
      } finally {
        await pool.close();
      }
    }
  }, 240_000);

  it('gives with the syscalls and processes in one replay what each gives alone (its satp stops change nobody\'s result)', async () => {
    const others: DimensionRequest[] = [{ dimension: 'syscalls', params: {} }, { dimension: 'processes', params: {} }];
    const run = (r: DimensionRequest[]) => analyzeRecording({ rec: forkRec, requests: r, runtime, inputs, analyzer: async () => sequentialAnalyzer });
    const together = await run([...others, requests[0]]);
    const alone = await run(others);
    expect(together.verified.every((v) => v.ok)).toBe(true);
    expect(encodeAnalysisJson(together.dimensions.map((d) => d.result))).toBe(encodeAnalysisJson([...alone.dimensions.map((d) => d.result), watchOf(sequential, 0)]));
  }, 240_000);

  it('sees the hart set the Accessed bit in PTEs fork copied old, as writes of the walk, at ticks a seek confirms', async () => {
    const first = watchOf(sequential, 1).mappings!.find((m) => m.paddr !== null)!;
    // The page table holding the child's stack PTEs (at its first run): fork copies them with A clear, and later forks reuse the table.
    const pte = await leafPteAddress(forkId, first.tick, await satpAt(forkId, first.tick), buf);
    const table = pte & ~0xfffn;
    const request = { dimension: 'watch', params: { addr: Number(table), length: 4096 } };
    const outcome = await engine.analyze(forkId, { dimensions: [request] });
    const walk = (outcome.dimensions[0].result as WatchResult).writes.filter((w) => w.source === 'walk');
    // The engine's 2 workers give what one sequential pass gives (the JIT's state starts afresh at every restore).
    const alone = await analyzeRecording({ rec: forkRec, requests: [request], runtime, inputs, analyzer: async () => sequentialAnalyzer });
    expect(encodeAnalysisJson(alone.dimensions[0].result)).toBe(encodeAnalysisJson(outcome.dimensions[0].result));
    expect(walk.length).toBeGreaterThan(0);
    const u64 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset + at, 8).getBigUint64(0, true);
    for (const w of walk.slice(0, 3)) {
      expect(w.size).toBe(8);
      const [before, after] = [u64(w.old, w.offset), u64(w.new, w.offset)];
      expect(after & ~before & ~0xc0n).toBe(0n); // only A (0x40) and D (0x80) set
      expect(after & ~before).not.toBe(0n);
      expect(w.where).toBe('user'); // the program's own access walked the table
      const at = table + BigInt(w.offset);
      expect(u64((await engine.readPhysAt(forkId, w.tick - 1n, at, 8)).bytes, 0)).toBe(before);
      expect(u64((await engine.readPhysAt(forkId, w.tick, at, 8)).bytes, 0)).toBe(after);
    }
  }, 120_000);
});

/** The leaf PTE's physical address for vaddr under satp, read from the machine at tick. */
async function leafPteAddress(id: string, tick: bigint, satp: bigint, vaddr: bigint): Promise<bigint> {
  const words = new Map<bigint, bigint>();
  for (;;) {
    let missing: bigint | undefined;
    const walk = walkSv39((pa) => {
      const v = words.get(pa);
      if (v === undefined) missing = pa;
      return v;
    }, satp & ((1n << 44n) - 1n), vaddr);
    if (missing === undefined) {
      expect(walk.paddr).not.toBeNull();
      return walk.ptes.at(-1)!;
    }
    const b = (await engine.readPhysAt(id, tick, missing, 8)).bytes;
    words.set(missing, new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true));
  }
}

describe('the last write to a process\'s virtual address', () => {
  it('is the virtual watch\'s last write before the tick, found back across a COW copy, as prnr seek --pid prints it', async () => {
    const mine = watchOf(sequential, 0);
    const copy = mine.mappings!.filter((m, i) => m.paddr !== null && i > 0 && mine.mappings![i - 1].paddr === null && m.tick > clones[1]).at(0)!;
    const expected = mine.writes.filter((w) => w.tick <= copy.tick).at(-1)!;
    const answer = await engine.lastWrite(forkId, { addr: buf, length: 8, tick: copy.tick, pid: parent });
    expect(answer.found).toBe(true);
    if (!answer.found) return;
    const { slice: _slice, ...write } = answer.write;
    expect(write).toEqual(expected);
    expect(answer.paddr).toBe(expected.paddr! - BigInt(expected.offset));
    expect(answer.paddr & ~0xfffn).not.toBe(copy.paddr); // written through the page the process had before the copy
    expect(answer).toMatchObject({ pid: parent, vaddr: buf });
    const printed = await prnr(['seek', forkFile, '--tick', String(copy.tick), '--last-write-vaddr', `0x${buf.toString(16)}:8`, '--pid', String(parent), '--jobs', '2']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`last write to pid ${parent}'s 0x${buf.toString(16)}+8 (physical 0x${answer.paddr.toString(16)} then) at or before tick ${copy.tick}: tick ${expected.tick}`);
    expect(printed.stdout).toContain(`--last-write-vaddr 0x${buf.toString(16)}:8 --pid ${parent}`);
    const early = await engine.lastWrite(forkId, { addr: buf, length: 8, tick: 1000n, pid: parent });
    expect(early).toMatchObject({ found: false, paddr: null });
  }, 120_000);
});

describe('prnr analyze --watch pid:N:VADDR:LEN', () => {
  it('runs a virtual watch and says where the page mapped; refuses a range across pages and too many watches', async () => {
    const out = join(dir, 'cli');
    const watch = `pid:${parent}:0x${buf.toString(16)}:8`;
    const run = await prnr(['analyze', forkFile, '--watch', watch, '--jobs', '2', '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const mine = watchOf(sequential, 0);
    expect(run.stdout).toContain(`watch: pid ${parent} 0x${buf.toString(16)}:8: ${mine.writes.length} writes`);
    expect(run.stdout).toMatch(/mapped to \d+ physical pages in turn/);
    const bad = await prnr(['analyze', forkFile, '--watch', `pid:${parent}:0x${(buf | 0xfffn).toString(16)}:8`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/a virtual range must lie in one page/);
    const many = await prnr(['analyze', forkFile, ...[1, 2, 3, 4].flatMap((p) => ['--watch', `pid:${p}:0x1000:8`]), '--watch', '0x80000000:8']);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/need up to 17 watched ranges .*at most 16/);
  }, 120_000);
});

describe('a virtual watch over demand paging', () => {
  let mmap: TracedCall;
  let pid: number;
  let result: WatchResult;

  beforeAll(async () => {
    const calls = await traceOf(touchId);
    mmap = calls.find((c) => c.who?.comm === 'memtouch' && c.record.name === 'mmap' && c.record.raw[1] === 0x2000n)!;
    expect(mmap, 'memtouch\'s mmap of two pages').toBeDefined();
    pid = mmap.who!.pid;
    const outcome = await engine.analyze(touchId, { dimensions: [{ dimension: 'watch', params: { addr: Number(mmap.record.ret), length: 8, pid } }] });
    for (const s of outcome.verified) expect(s.ok).toBe(true);
    result = outcome.dimensions[0].result as WatchResult;
  }, 300_000);

  it('watches a page not mapped yet from the fault that maps it, and forgets it at munmap', async () => {
    const va = BigInt(mmap.record.ret);
    const satp = await satpAt(touchId, mmap.tick);
    const mapped = result.mappings!.filter((m) => m.paddr !== null && m.tick > mmap.tick);
    expect(mapped.length).toBe(1);
    const m = mapped[0];
    expect(await virtAt(touchId, m.tick - 1n, va, satp)).toBe('PAGE_FAULT');
    expect(await virtAt(touchId, m.tick, va, satp)).toEqual((await engine.readPhysAt(touchId, m.tick, m.paddr!, 8)).bytes);
    const after = result.mappings!.filter((x) => x.tick > m.tick);
    expect(after[0]?.paddr).toBeNull(); // munmap
    expect(await virtAt(touchId, after[0].tick, va, satp)).toBe('PAGE_FAULT');
    expect(await virtAt(touchId, after[0].tick - 1n, va, satp)).not.toBe('PAGE_FAULT');
    // Its writes: the first touch (a 0 over the zeroed page) after the fault, then the round's update; all in memtouch, in user mode.
    const writes = result.writes.filter((w) => w.tick > m.tick && w.tick < after[0].tick);
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.every((w) => w.who?.pid === pid && w.where === 'user' && w.paddr === m.paddr)).toBe(true);
    const change = writes.find((w) => !w.same)!;
    expect(await virtAt(touchId, change.tick - 1n, va, satp)).toEqual(change.old);
    expect(await virtAt(touchId, change.tick, va, satp)).toEqual(change.new);
  });

  it('refuses more virtual watches than the machine has ranges for, before any replay', async () => {
    const many = [1, 2, 3, 4, 5].map((k) => ({ dimension: 'watch', params: { addr: 0x1000 * k, length: 8, pid } }));
    await expect(engine.analyze(touchId, { dimensions: many })).rejects.toThrow(/need up to 20 watched ranges .* at most 16/);
  });
});
