// The submitter's queueing order (src/cli/queue/submit.ts, interleaved): with
// two workers taking jobs in turn, each gets a run of consecutive slices.
import { describe, expect, it } from 'vitest';
import { interleaved } from '../../src/cli/queue/submit';

describe('interleaved', () => {
  const slices = Array.from({ length: 10 }, (_, i) => i);

  it('keeps slice order for one worker or none', () => {
    expect(interleaved(slices, 1)).toEqual(slices);
    expect(interleaved(slices, 0)).toEqual(slices);
  });

  it('takes one slice from each worker\'s run in turn, so alternate jobs continue each run', () => {
    const queued = interleaved(slices, 2);
    expect(queued).toEqual([0, 5, 1, 6, 2, 7, 3, 8, 4, 9]);
    expect(queued.filter((_, k) => k % 2 === 0)).toEqual([0, 1, 2, 3, 4]);
  });

  it('queues every slice once, whatever the number of workers', () => {
    for (const workers of [3, 4, 7, 10, 25]) expect([...interleaved(slices, workers)].sort((a, b) => a - b)).toEqual(slices);
  });
});
