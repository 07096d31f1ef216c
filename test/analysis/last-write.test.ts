// "Where did this value come from" on a bundled demo (fork-and-pipe): the
// parent reads its children's lines into `buf` (scripts/guest/demos/forkpipe.c);
// the last write to the bytes one read() returned, found by EngineApi.lastWrite
// through the buffer's virtual address, is the one a memory watch over the
// whole recording reports, a kernel copy inside that read; seeking to its
// tick - 1 shows the old bytes and its pc, its tick the new; the write before
// it is the watch's previous one. Firmware code nobody writes is "never
// written". A register's last change within the slice is the one stepping
// tick by tick finds. The CLI prints the same.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyscallsResult, TracedCall, WatchResult } from '../../src/analysis/dimensions/index.ts';
import { createAnalysisRuntime } from '../../src/analysis/runtime.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { createNodeEngine } from '../../src/engine/node/host.ts';
import { nodeReplayWorkers } from '../../src/engine/node/replay-pool.ts';
import { RAM_BASE } from '../../src/shared/machine-constants.ts';
import { CSR_NUMBERS } from '../../src/shared/riscv.ts';
import { errorCode } from '../../src/shared/errors.ts';
import { prnr } from '../prnr.ts';

const dir = mkdtempSync(join(tmpdir(), 'prnr-last-write-'));
const file = join(dir, 'fork-and-pipe.prnr');
const worker = new URL('../../src/cli/workers/analysis.worker.ts', import.meta.url);

let engine: Engine;
let id: string;
let read: TracedCall;
let paddr: bigint;
let watched: WatchResult;
let never: WatchResult;

const FIRMWARE = RAM_BASE; // OpenSBI's first instructions: loaded before tick 0, never written

beforeAll(async () => {
  writeFileSync(file, gunzipSync(readFileSync(new URL('../../public/demos/fork-and-pipe.prnr.gz', import.meta.url))));
  engine = createNodeEngine({ analyses: { runtime: createAnalysisRuntime(), workers: nodeReplayWorkers(worker) }, replayJobs: 2 });
  ({ id } = await engine.openRecording({ path: file }));
  const trace = await engine.analyze(id, { dimensions: [{ dimension: 'syscalls', params: {} }] });
  const calls = (trace.dimensions[0].result as SyscallsResult).calls;
  // The last read that brought the parent a child's line.
  read = calls.filter((c) => c.who?.comm === 'forkpipe' && c.record.name === 'read' && Number(c.record.raw[0]) > 2 && c.endTick !== null && Number(c.record.ret) > 0).at(-1)!;
  expect(read, 'a read of the pipe by forkpipe').toBeDefined();
  const satp = (await engine.csrsAt(id, read.endTick!, [CSR_NUMBERS.satp])).csrs[0].value!;
  paddr = (await engine.lastWrite(id, { addr: read.record.raw[1], length: 1, tick: read.endTick!, satp })).paddr!; // a physical search always names its address
  const length = Number(read.record.ret);
  const full = await engine.analyze(id, { dimensions: [{ dimension: 'watch', params: { addr: Number(paddr), length } }, { dimension: 'watch', params: { addr: Number(FIRMWARE), length: 16 } }] });
  // A replay with the write watch on reproduces every state root.
  expect(full.verified.map((s) => s.index)).toEqual(full.verified.map((_, i) => i));
  expect(full.verified.length).toBeGreaterThan(1);
  for (const s of full.verified) expect(s.ok, `slice ${s.index}: ${s.divergence}`).toBe(true);
  [watched, never] = full.dimensions.map((d) => d.result as WatchResult);
}, 300_000);

afterAll(async () => {
  await engine?.closeRecording(id);
  rmSync(dir, { recursive: true, force: true });
});

describe('a memory watch on the machine\'s write watch', () => {
  it('sees every write, same-value stores marked, each old range the previous new', async () => {
    const info = await engine.openRecording({ path: file });
    expect(watched.writes.length).toBeGreaterThan(1);
    const same = watched.writes.filter((w) => w.same);
    expect(same.length).toBeGreaterThan(0); // the kernel clears pages (memset of zeros over zeros): invisible to a comparison
    for (const w of same) expect(w.new).toEqual(w.old);
    for (const w of watched.writes.filter((x) => !x.same)) expect(w.new).not.toEqual(w.old);
    for (let k = 1; k < watched.writes.length; k++) {
      expect(watched.writes[k].old, `write ${k}`).toEqual(watched.writes[k - 1].new);
      expect(watched.writes[k].tick).toBeGreaterThanOrEqual(watched.writes[k - 1].tick);
    }
    for (const w of watched.writes) {
      expect(w.offset + w.size).toBeLessThanOrEqual(watched.length);
      expect(w.new.subarray(w.offset + w.size)).toEqual(w.old.subarray(w.offset + w.size)); // nothing outside what was written changed
    }
    // Seeking confirms a few: tick - 1 shows the old range, tick the new.
    for (const w of [watched.writes[0], watched.writes[Math.floor(watched.writes.length / 2)]]) {
      expect((await engine.readPhysAt(id, w.tick - 1n, paddr, watched.length)).bytes).toEqual(w.old);
      expect((await engine.readPhysAt(id, w.tick, paddr, watched.length)).bytes).toEqual(w.new);
    }
    expect(info.snapshotTicks.length - 1).toBeGreaterThan(1);
  });
});

describe('the last write before a tick', () => {
  it('is what a watch over the whole recording reports, found through the buffer\'s virtual address, with exact ticks', async () => {
    const T = read.endTick!;
    const satp = (await engine.csrsAt(id, T, [CSR_NUMBERS.satp])).csrs[0].value!;
    const length = Number(read.record.ret);
    const answer = await engine.lastWrite(id, { addr: read.record.raw[1], length, tick: T, satp });
    expect(answer.paddr).toBe(paddr);
    const expected = watched.writes.filter((w) => w.tick <= T).at(-1)!;
    expect(answer.found).toBe(true);
    if (!answer.found) return;
    const { slice, ...write } = answer.write;
    expect(write).toEqual(expected);
    expect(answer.searched[0]).toBe(slice);
    // The kernel copied the line into buf during this read.
    expect(write.where).toBe('kernel');
    expect(write.tick).toBeGreaterThan(read.tick);
    expect(write.tick).toBeLessThanOrEqual(T);
    expect(write.who?.comm).toBe('forkpipe');
    // What read() returned is what the write left there.
    expect((await engine.readVirtAt(id, T, read.record.raw[1], length, satp)).bytes).toEqual(write.new);
    expect((await engine.readPhysAt(id, write.tick - 1n, paddr, length)).bytes).toEqual(write.old);
    expect((await engine.readPhysAt(id, write.tick, paddr, length)).bytes).toEqual(write.new);
    expect((await engine.registersAt(id, write.tick - 1n)).pc).toBe(write.pc);
  });

  it('then the write before that, and so on back to the first, each the watch\'s previous one', async () => {
    const T = read.endTick!;
    const length = Number(read.record.ret);
    const upToT = watched.writes.filter((w) => w.tick <= T);
    let tick = T;
    for (let k = upToT.length - 1; k >= Math.max(0, upToT.length - 4); k--) {
      const answer = await engine.lastWrite(id, { addr: paddr, length, tick });
      expect(answer.found, `write ${k}`).toBe(true);
      if (!answer.found) return;
      const { slice: _slice, ...write } = answer.write;
      expect(write).toEqual(upToT[k]);
      tick = answer.before;
    }
    if (upToT.length <= 4) {
      const first = await engine.lastWrite(id, { addr: paddr, length, tick });
      expect(first.found).toBe(false);
    }
  });

  it('says a range nobody wrote was never written, after searching every slice', async () => {
    expect(never.writes).toEqual([]);
    const info = await engine.openRecording({ path: file });
    const answer = await engine.lastWrite(id, { addr: FIRMWARE, length: 16, tick: info.endTick, jobs: 2 });
    expect(answer.found).toBe(false);
    if (answer.found) return;
    expect(answer.message).toMatch(/never written in this recording up to tick/);
    expect([...answer.searched].sort((a, b) => a - b)).toEqual(info.snapshotTicks.slice(1).map((_, i) => i));
    expect(answer.searched[0]).toBe(info.snapshotTicks.length - 2); // newest first
  });

  it('refuses a bad query plainly', async () => {
    const code = async (p: Promise<unknown>) => p.then(() => 'ok', errorCode);
    expect(await code(engine.lastWrite(id, { addr: paddr, length: 0, tick: 5n }))).toBe('LAST_WRITE_RANGE');
    expect(await code(engine.lastWrite(id, { addr: paddr, length: 8, tick: -1n }))).toBe('RECORDING_RANGE');
    expect(await code(engine.lastWrite(id, { addr: 0xffcn, length: 8, tick: 5n, satp: 0n }))).toBe('LAST_WRITE_RANGE'); // crosses a page
    expect(await code(engine.lastRegisterChange(id, { reg: 'x32', tick: 5n }))).toBe('REGISTER_UNKNOWN');
  });
});

describe('the last change of a register', () => {
  it('is the last tick, within the slice, at which stepping sees it change', async () => {
    const T = read.endTick! + 40n; // a few instructions into the program after the read returned
    const answer = await engine.lastRegisterChange(id, { reg: 'a0', tick: T });
    expect(answer.found).toBe(true);
    if (!answer.found) return;
    const a0 = async (t: bigint) => (await engine.registersAt(id, t)).x[10];
    expect(await a0(answer.tick - 1n)).toBe(answer.old);
    expect(await a0(answer.tick)).toBe(answer.new);
    expect((await engine.registersAt(id, answer.tick - 1n)).pc).toBe(answer.pc);
    for (let t = answer.tick; t <= T; t++) expect(await a0(t), `tick ${t}`).toBe(answer.new);
    // And by name or number alike; f registers too.
    const byNumber = await engine.lastRegisterChange(id, { reg: 'x10', tick: T });
    expect(byNumber).toEqual({ ...answer, reg: 'x10' });
    const never = await engine.lastRegisterChange(id, { reg: 'zero', tick: T });
    expect(never.found).toBe(false);
  });
});

describe('prnr seek --last-write and --last-change', () => {
  it('prints the write and the change the engine finds', async () => {
    const T = read.endTick!;
    const length = Number(read.record.ret);
    const expected = watched.writes.filter((w) => w.tick <= T).at(-1)!;
    const result = await prnr(['seek', file, '--tick', String(T), '--last-write', `0x${paddr.toString(16)}:${length}`, '--last-change', 'a0']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`last write to 0x${paddr.toString(16)}+${length} at or before tick ${T}: tick ${expected.tick}`);
    expect(result.stdout).toContain(expected.place);
    const change = await engine.lastRegisterChange(id, { reg: 'a0', tick: T });
    expect(result.stdout).toContain(change.found ? `last change of a0 at or before tick ${T}: tick ${change.tick}` : 'did not change');
    const none = await prnr(['seek', file, '--tick', '5', '--last-write', `0x${FIRMWARE.toString(16)}:16`]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain('never written in this recording up to tick 5');
    const bad = await prnr(['seek', file, '--tick', '5', '--last-change', 'q7']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no register "q7"');
  }, 120_000);
});
