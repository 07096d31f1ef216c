// Record a scripted session of the mini guest, then replay it: every slice
// must verify (end in the next snapshot's state root), in order, out of order
// and repeatedly, and a replay that diverges must name what differs.
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../../src/shared/errors';
import { PARTIAL_SUFFIX } from '../../src/shared/recording/format';
import type { Recording } from '../../src/shared/recording/reader';
import { MINI_COMMANDS, open, recordMini, replayMachine, type MiniRecording } from './helpers';

let mini: MiniRecording;
let rec: Recording;

beforeAll(async () => {
  mini = await recordMini();
  rec = open(mini.bytes);
});

describe('a recording of a scripted session', () => {
  it('holds the header, every slice, the inputs typed and the console output', () => {
    expect(rec.complete).toBe(true);
    expect(rec.header.image.name).toBe('mini');
    expect(rec.header.session.commands).toEqual(MINI_COMMANDS);
    expect(rec.slices.length).toBeGreaterThan(5);
    expect(rec.slices.length).toBe(rec.snapshots.length - 1);
    const typed = rec.slices.flatMap((s) => s.events).map((e) => new TextDecoder().decode(e.data));
    expect(typed).toEqual([...MINI_COMMANDS, 'poweroff -f'].map((c) => `${c}\n`));
    const output = rec.slices.flatMap((s) => s.output).map((o) => Buffer.from(o.data).toString('latin1')).join('');
    expect(output).toBe(mini.transcript);
    expect(output).toContain('bye\n');
    for (const [i, s] of rec.slices.entries()) {
      if (i < rec.slices.length - 1) expect(s.endTick - s.startTick).toBe(2_000_000n);
    }
    expect(rec.end?.endTick).toBe(rec.snapshots[rec.snapshots.length - 1].tick);
  });

  it('replays sequentially three times, every slice verifying with identical roots', async () => {
    const runs: string[][] = [];
    for (let run = 0; run < 3; run++) {
      const machine = await replayMachine(rec);
      const results = rec.slices.map((_, i) => machine.replaySlice(i));
      for (const r of results) expect(r, `slice ${r.index}: ${r.divergence}`).toMatchObject({ ok: true });
      runs.push(results.map((r) => r.root));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('verifies each slice alone, in random order, on one machine', async () => {
    const machine = await replayMachine(rec);
    const order = rec.slices.map((s) => s.index);
    let seed = 12345;
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of [...order, ...order.slice().reverse()]) expect(machine.replaySlice(i).ok, `slice ${i}`).toBe(true);
  });

  it('reports the first differing component when a replay diverges', async () => {
    const machine = await replayMachine(rec);
    const slice = rec.slices.find((s) => s.events.length > 0)!;
    machine.restore(slice.index);
    // Drop the slice's input: the guest never sees the command, so its registers and pages differ.
    const saved = slice.events.splice(0);
    try {
      const result = machine.replaySlice(slice.index);
      expect(result.ok).toBe(false);
      expect(result.divergence).toMatch(/register|CPU field|device|RAM page/);
    } finally {
      slice.events.push(...saved);
    }
    expect(machine.replaySlice(slice.index).ok).toBe(true);
  });

  it('is a state at every snapshot equal to the state reached by replaying from the start', async () => {
    const seq = await replayMachine(rec);
    const jump = await replayMachine(rec);
    for (let i = 0; i < rec.slices.length; i++) {
      seq.replaySlice(i);
      jump.restore(i + 1);
      expect(jump.machine.stateHash()).toBe(seq.machine.stateHash());
    }
  });
});

describe('opening damaged recordings', () => {
  it('rejects a finished file cut short as truncated, and recovers it as a .partial file', () => {
    const cut = mini.bytes.subarray(0, Math.floor(mini.bytes.length * 0.6));
    expect(() => open(cut)).toThrow(expect.objectContaining({ code: 'RECORDING_TRUNCATED' }));
    const recovered = open(cut, { recovery: true });
    expect(recovered.complete).toBe(false);
    expect(recovered.snapshots.length).toBeGreaterThan(1);
    expect(recovered.snapshots.length).toBeLessThan(rec.snapshots.length);
    expect(recovered.slices.length).toBe(recovered.snapshots.length - 1);
    expect(PARTIAL_SUFFIX).toBe('.partial');
  });

  it('rejects a flipped bit as corrupt, a wrong version by name', () => {
    const flipped = mini.bytes.slice();
    flipped[flipped.length >> 1] ^= 0x10;
    // A flip inside a blob is found when the blob is read (replay, seek) or by verifyBlobs (prnr verify).
    expect(errorCode(catchError(() => open(flipped).verifyBlobs()))).toBe('RECORDING_CORRUPT');
    const v3 = mini.bytes.slice();
    v3[8] = 3;
    const err = catchError(() => open(v3));
    expect(errorCode(err)).toBe('RECORDING_VERSION');
    expect(String(err)).toContain('version 3');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
