import { describe, expect, it } from 'vitest';
import type { VerifiedSlice, VerifyProgress } from '../../../engine/engine-api';
import { PROGRESS_PAINT_MS, VerifyRun, verifySummary } from './verify-run';

const result = (index: number, worker: number, ok = true): VerifiedSlice => ({ index, worker, ok, startTick: '0', endTick: '1', root: 'r', expectedRoot: ok ? 'r' : 'x', divergence: ok ? undefined : 'register a0', ms: 10, restoreMs: 1 });

describe('a verification run', () => {
  it('paints each slice as the workers report it, counts peak parallelism and sums up', async () => {
    let clock = 0;
    const run = new VerifyRun(3, () => clock, (task) => task());
    const seen: string[][] = [];
    run.subscribe(() => seen.push(run.getSnapshot().slices.map((s) => s.state)));
    await run.start(2, async (jobs, onProgress) => {
      expect(jobs).toBe(2);
      const events: VerifyProgress[] = [
        { worker: 0, slice: 0, state: 'running', done: 0, total: 3 },
        { worker: 1, slice: 2, state: 'running', done: 0, total: 3 },
        { worker: 1, slice: 2, state: 'done', result: result(2, 1, false), done: 1, total: 3 },
        { worker: 0, slice: 0, state: 'done', result: result(0, 0), done: 2, total: 3 },
        { worker: 0, slice: 1, state: 'running', done: 2, total: 3 },
        { worker: 0, slice: 1, state: 'done', result: result(1, 0), done: 3, total: 3 },
      ];
      clock = 400;
      for (const e of events) onProgress(e);
      clock = 2500;
      return [result(0, 0), result(1, 0), result(2, 1, false)];
    });
    expect(seen[0]).toEqual(['pending', 'pending', 'pending']);
    expect(seen).toContainEqual(['running', 'pending', 'running']);
    expect(seen).toContainEqual(['running', 'pending', 'diverged']);
    const state = run.getSnapshot();
    expect(state.phase).toBe('done');
    expect(state.peakParallel).toBe(2);
    expect(state.startupMs).toBe(400);
    expect(state.slices[2]).toEqual({ state: 'diverged', detail: 'register a0' });
    expect(verifySummary(state)).toBe('1/3 slices diverged, 2 verified in 2.5 s on 2 workers');
  });

  it('paints progress at most every PROGRESS_PAINT_MS, the last state included, and the end at once', async () => {
    const later: Array<[() => void, number]> = [];
    const run = new VerifyRun(3, () => 0, (task, ms) => later.push([task, ms]));
    const seen: string[][] = [];
    run.subscribe(() => seen.push(run.getSnapshot().slices.map((s) => s.state)));
    let finish: (results: VerifiedSlice[]) => void = () => undefined;
    const done = run.start(2, (_, onProgress) => {
      onProgress({ worker: 0, slice: 0, state: 'running', done: 0, total: 3 });
      onProgress({ worker: 1, slice: 1, state: 'running', done: 0, total: 3 });
      onProgress({ worker: 1, slice: 1, state: 'done', result: result(1, 1), done: 1, total: 3 });
      return new Promise((resolve) => (finish = resolve));
    });
    // Started (painted at once), then three events and one repaint scheduled.
    expect(seen).toEqual([['pending', 'pending', 'pending']]);
    expect(later.map(([, ms]) => ms)).toEqual([PROGRESS_PAINT_MS]);
    later.shift()![0]();
    expect(seen.at(-1)).toEqual(['running', 'verified', 'pending']);
    expect(run.getSnapshot().peakParallel).toBe(2);
    finish([result(0, 0), result(1, 1), result(2, 0)]);
    await done;
    expect(seen.at(-1)).toEqual(['verified', 'verified', 'verified']);
    expect(run.getSnapshot().phase).toBe('done');
  });

  it('says N/N verified when all are, and reports a failure plainly', async () => {
    const run = new VerifyRun(2, () => 0);
    await run.start(1, async () => [result(0, 0), result(1, 0)]);
    expect(verifySummary(run.getSnapshot())).toBe('2/2 slices verified in 0.0 s on 1 worker');
    await run.start(1, async () => {
      throw new Error('no image');
    });
    expect(run.getSnapshot().phase).toBe('failed');
    expect(verifySummary(run.getSnapshot())).toContain('no image');
  });
});
