// Record a real Linux session with the CLI, then replay it every way:
// sequentially three times, on pools of 1, 2 and 4 workers, slice by slice in
// random order on different workers; seek to random ticks and compare with a
// replay from the start; kill a recorder mid-session and replay what it left.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/engine/node/hash';
import { crc32 } from '../../src/shared/crc32';
import { FILE_HEADER_BYTES, FRAME_OVERHEAD, RecordType } from '../../src/shared/recording/format';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { startNodeReplayPool } from '../../src/engine/node/replay-pool';
import { loadRecordingBootFiles } from '../../src/engine/node/recording-image';
import { openRecordingFile, readSharedRecording } from '../../src/engine/node/recording-file';
import type { BootFiles } from '../../src/engine/images';
import { bootConfigForRecording } from '../../src/engine/replay/boot';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import { seek } from '../../src/engine/replay/seek';
import { screenAt } from '../../src/shared/recording/console';
import { openRecording, type Recording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';

const bin = fileURLToPath(new URL('../../bin/prnr.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prnr-linux-rec-'));
const out = join(dir, 'demo.prnr');

async function prnr(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, PRNR_DEBUG: '' }, maxBuffer: 1 << 24 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

let rec: Recording;
let data: Uint8Array;
let files: BootFiles;
let module: WebAssembly.Module;
const newReplayMachine = () => ReplayMachine.create(module, rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256);

beforeAll(async () => {
  const result = await prnr('record', '--cmd', 'ls /; echo $((6*7))', '--cmd', 'cat /data/README.txt | head -3', '--slice-ticks', '4000000', '-o', out);
  expect(result.stderr.split('\n').filter((l) => l.startsWith('prnr:') && !l.includes('] tick'))).toEqual([]);
  expect(result.code).toBe(0);
  ({ recording: rec } = openRecordingFile(out));
  data = readSharedRecording(out);
  files = await loadRecordingBootFiles(rec.header);
  module = await compileMachineModule();
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a recorded Linux session', () => {
  it('is complete, with no .partial left behind, and holds the commands and their output', () => {
    expect(existsSync(out + '.partial')).toBe(false);
    expect(rec.complete).toBe(true);
    expect(rec.slices.length).toBeGreaterThan(4);
    const output = rec.slices.flatMap((s) => s.output).map((o) => Buffer.from(o.data).toString('latin1')).join('');
    expect(output).toContain('42');
  });

  it('refuses to overwrite the recording without --force', async () => {
    const result = await prnr('record', '--cmd', 'true', '-o', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already exists; pass --force/);
  });

  it('replays sequentially three times with every slice verified and the same roots', async () => {
    const runs: string[][] = [];
    for (let run = 0; run < 3; run++) {
      const rm = await newReplayMachine();
      const results = rec.slices.map((s) => rm.replaySlice(s.index));
      for (const r of results) expect(r.ok, `slice ${r.index}: ${r.divergence}`).toBe(true);
      runs.push(results.map((r) => r.root));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('replays in parallel on 1, 2 and 4 workers, every slice verified, all runs agreeing', async () => {
    const roots: string[][] = [];
    for (const jobs of [1, 2, 4]) {
      const pool = await startNodeReplayPool({ data, recovery: false, files, jobs });
      try {
        const results = await pool.replay(rec.slices.map((s) => s.index));
        expect(results.map((r) => r.index)).toEqual(rec.slices.map((s) => s.index));
        for (const r of results) expect(r.ok, `${jobs} workers, slice ${r.index}: ${r.divergence}`).toBe(true);
        roots.push(results.map((r) => r.root));
        if (jobs === 2) {
          // Every slice alone, in random order, alternating workers.
          const order = rec.slices.map((s) => s.index).sort(() => Math.random() - 0.5);
          const alone = await Promise.all([0, 1].map(async (w) => {
            const mine = order.filter((_, i) => i % 2 === w);
            const res = [];
            for (const i of mine) res.push(await pool.replayOn(w, i));
            return res;
          }));
          for (const r of alone.flat()) expect(r.ok, `slice ${r.index} alone`).toBe(true);
        }
      } finally {
        await pool.close();
      }
    }
    expect(roots[1]).toEqual(roots[0]);
    expect(roots[2]).toEqual(roots[0]);
  });

  it('seeks to random ticks into the same state a replay from the start reaches', async () => {
    const last = rec.snapshots[rec.snapshots.length - 1].tick;
    const ticks = Array.from({ length: 6 }, () => BigInt(Math.floor(Math.random() * Number(last)))).sort((a, b) => (a < b ? -1 : 1));
    const fromStart = await newReplayMachine();
    fromStart.restore(0);
    const seeker = await newReplayMachine();
    for (const tick of [...ticks].reverse()) {
      seek(seeker, tick);
      fromStart.restore(0);
      fromStart.runTo(tick);
      expect(seeker.tick).toBe(tick);
      expect(seeker.machine.stateHash(), `tick ${tick}`).toBe(fromStart.machine.stateHash());
    }
    const screen = (await screenAt(rec, last)).text().join('\n');
    expect(screen).toContain('42');
  });

  it('replays past a slice whose snapshot is damaged: every other slice is verified, the damaged one named, exit 1', async () => {
    const damaged = join(dir, 'damaged.prnr');
    const copy = new Uint8Array(readFileSync(out));
    // Flip a byte inside the stored state blob of snapshot k and recompute its frame's CRC. With two
    // workers the second starts by restoring snapshot floor(n / 2) (a worker running on from slice
    // k - 1 needs no restore: the snapshot's root, not its blob, proves that state).
    const k = Math.floor(rec.slices.length / 2);
    const target = rec.snapshots[k].stateHash;
    const view = new DataView(copy.buffer);
    let at = FILE_HEADER_BYTES;
    for (;;) {
      const length = view.getUint32(at + 1, true);
      if (copy[at] === RecordType.blob && Buffer.compare(copy.subarray(at + 5, at + 5 + 32), target) === 0) {
        copy[at + 5 + length - 1] ^= 0x01;
        view.setUint32(at + 5 + length, crc32(copy.subarray(at, at + 5 + length)), true);
        break;
      }
      at += FRAME_OVERHEAD + length;
    }
    writeFileSync(damaged, copy);
    const replay = await prnr('replay', damaged, '--jobs', '2');
    expect(replay.code).toBe(1);
    const n = rec.slices.length;
    expect(replay.stdout).toMatch(new RegExp(`${n - 1}/${n} slices verified`));
    expect(replay.stdout).toMatch(new RegExp(`slice +${k} .*FAILED: snapshot ${k} cannot be restored: recording (is corrupt|has been tampered with): BLOB record at byte \\d+`));
  });

  it('prints replay, seek and info results through the CLI', async () => {
    const replay = await prnr('replay', out, '--jobs', '2');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(new RegExp(`${rec.slices.length}/${rec.slices.length} slices verified`));
    const tick = rec.slices[rec.slices.length - 1].startTick + 1000n;
    const seekOut = await prnr('seek', out, '--tick', String(tick), '--regs', '--csr', 'satp,sepc', '--screen', '--mem', '0x80200000:32');
    expect(seekOut.code).toBe(0);
    expect(seekOut.stdout).toMatch(new RegExp(`^tick ${tick} `));
    expect(seekOut.stdout).toMatch(/pc 0x[0-9a-f]{16}/);
    expect(seekOut.stdout).toMatch(/satp 0x/);
    const info = await prnr('info', out);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/slices: \d+; snapshots: \d+/);
  });
});

describe('a recorder killed with SIGKILL', () => {
  it('leaves a .partial recording that replays up to its last snapshot', async () => {
    const killed = join(dir, 'killed.prnr');
    // Short commands, then one that outlasts the wait below, so the recorder is still running when it is killed.
    const commands = [...Array.from({ length: 10 }, (_, i) => ['--cmd', `echo round ${i}; ls /demo > /dev/null`]).flat(), '--cmd', '/demo/cpubench 100000'];
    const child = spawn(process.execPath, [bin, 'record', ...commands, '--slice-ticks', '2000000', '-o', killed], { stdio: 'ignore' });
    const partial = `${killed}.partial`;
    // Wait until several snapshots past boot are on disk, then kill without warning.
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      if (child.exitCode !== null) throw new Error(`the recorder exited early (${child.exitCode})`);
      if (!existsSync(partial) || statSync(partial).size < 1 << 20) continue;
      try {
        const rec2 = openRecording(bytesSource(readSharedRecording(partial)), { sha256: nodeSha256, recovery: true, verifyBlobs: false, verifyRoots: false });
        if (rec2.snapshots.length >= 25) break;
      } catch {
        // not even the first snapshot yet
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(killed)).toBe(false);
    const { recording: cut, recovery } = openRecordingFile(partial);
    const cutData = readSharedRecording(partial);
    expect(recovery).toBe(true);
    expect(cut.complete).toBe(false);
    expect(cut.slices.length).toBeGreaterThanOrEqual(24);
    const pool = await startNodeReplayPool({ data: cutData, recovery: true, files, jobs: 2 });
    try {
      const results = await pool.replay(cut.slices.map((s) => s.index));
      for (const r of results) expect(r.ok, `slice ${r.index}: ${r.divergence}`).toBe(true);
    } finally {
      await pool.close();
    }
    const info = await prnr('info', partial);
    expect(info.stdout).toMatch(/recovered \(partial file\)/);
  });
});
