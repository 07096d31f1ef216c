// The replay pool on worker_threads: the runtime-neutral scheduler and replay
// worker (src/engine/replay/pool.ts, replay-worker.ts) behind the Node entry.
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeReplayPool } from '../../src/engine/node/replay-pool';
import { errorCode } from '../../src/shared/errors';
import type { Recording } from '../../src/shared/recording/reader';
import { miniBootFiles } from './mini-guest';
import { open, recordMini, replayMachine, type MiniRecording } from './helpers';

let mini: MiniRecording;
let rec: Recording;

beforeAll(async () => {
  mini = await recordMini();
  rec = open(mini.bytes);
});

describe('the Node replay pool', () => {
  it('verifies every slice on two workers, in slice order, with the roots of an in-thread replay', async () => {
    const pool = await startNodeReplayPool({ data: mini.bytes, recovery: false, files: miniBootFiles(), jobs: 2 });
    const events: string[] = [];
    try {
      expect(pool.size).toBe(2);
      const results = await pool.replay(rec.slices.map((s) => s.index).reverse(), (e) => events.push(`${e.worker}:${e.slice}:${e.state}`));
      expect(results.map((r) => r.index)).toEqual(rec.slices.map((s) => s.index));
      for (const r of results) expect(r.ok, `slice ${r.index}: ${r.divergence}`).toBe(true);
      const here = await replayMachine(rec);
      expect(results.map((r) => r.root)).toEqual(rec.slices.map((s) => here.replaySlice(s.index).root));
      // Both workers took slices, and each slice ran once.
      expect(new Set(events.map((e) => e.split(':')[0])).size).toBe(2);
      expect(events.filter((e) => e.endsWith(':done')).length).toBe(rec.slices.length);
    } finally {
      await pool.close();
    }
  });

  it('fails to start, with the image error, when the files are not the recording\'s', async () => {
    const files = { ...miniBootFiles(), kernel: new Uint8Array([1, 2, 3, 4]) };
    const err: unknown = await startNodeReplayPool({ data: mini.bytes, recovery: false, files, jobs: 1 }).catch((e: unknown) => e);
    expect(errorCode(err)).toBe('RECORDING_IMAGE_MISMATCH');
  });
});
