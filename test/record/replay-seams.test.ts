// The host-side seams of replay: an observer on ReplayMachine's run loop (where
// analyses will drain hook events) and logged inputs dispatched by kind.
import { beforeAll, describe, expect, it } from 'vitest';
import { StopReason, type Machine } from '../../src/engine/machine';
import { errorCode } from '../../src/shared/errors';
import type { InputKind } from '../../src/shared/recording/format';
import type { Recording } from '../../src/shared/recording/reader';
import { open, recordMini, replayMachine } from './helpers';

let rec: Recording;

beforeAll(async () => {
  rec = open((await recordMini()).bytes);
});

describe('a run observer', () => {
  it('sees the machine after every run of a replay, at ascending ticks to each slice end, without changing the replay', async () => {
    const rm = await replayMachine(rec);
    let seen: Array<{ tick: bigint; reason: StopReason }> = [];
    const stop = rm.observe((machine: Machine, reason) => {
      expect(machine).toBe(rm.machine);
      seen.push({ tick: machine.tick, reason });
    });
    let runs = 0;
    for (const slice of rec.slices) {
      seen = [];
      const result = rm.replaySlice(slice.index);
      expect(result.ok, result.divergence).toBe(true);
      runs += seen.length;
      expect(seen.every((s, i) => s.tick > slice.startTick && (i === 0 || s.tick >= seen[i - 1].tick))).toBe(true);
      expect(seen.at(-1)!.tick).toBe(slice.endTick);
      expect(seen.every((s) => Object.values(StopReason).includes(s.reason))).toBe(true);
      // Output is drained after each run: every logged chunk was printed at the end of an observed run.
      for (const chunk of slice.output) expect(seen.some((s) => s.tick === chunk.tick), `output at ${chunk.tick}`).toBe(true);
    }
    expect(runs).toBeGreaterThanOrEqual(rec.slices.length);
    // A seek runs in steps: the observer sees each.
    const slice = rec.slices[1];
    rm.restore(slice.index);
    seen = [];
    rm.runTo(slice.startTick + 1000n);
    rm.runTo(slice.startTick + 5000n);
    expect(seen.map((s) => s.tick)).toEqual([slice.startTick + 1000n, slice.startTick + 5000n]);
    stop();
    seen = [];
    expect(rm.replaySlice(0).ok).toBe(true);
    expect(seen).toEqual([]);
  });
});

describe('logged inputs', () => {
  it('are dispatched by kind: an unknown kind is a clear error and nothing is typed', async () => {
    const rm = await replayMachine(rec);
    const slice = rec.slices.find((s) => s.events.length > 0)!;
    const event = slice.events[0];
    const kind = event.kind;
    (event as { kind: number }).kind = 9;
    try {
      rm.restore(slice.index);
      const err: unknown = (() => {
        try {
          rm.runTo(slice.endTick);
        } catch (e) {
          return e;
        }
      })();
      expect(errorCode(err)).toBe('REPLAY_INPUT_KIND');
      expect(String(err)).toMatch(new RegExp(`tick ${event.tick} is of kind 9.*known kinds: 1 console`));
      expect(rm.tick).toBe(event.tick);
      expect(rm.machine.pendingInput).toBe(0);
    } finally {
      (event as { kind: InputKind }).kind = kind;
    }
    expect(rm.replaySlice(slice.index).ok).toBe(true);
  });
});
