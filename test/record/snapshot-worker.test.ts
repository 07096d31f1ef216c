// The recorder's snapshot worker (src/engine/node/snapshot-worker.ts): the
// file it writes is byte for byte the one the in-thread path produces, it
// replays, and a write error on the worker reaches the recorder as a PrnrError.
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotWorkerPipeline } from '../../src/engine/node/snapshot-worker';
import { runSession } from '../../src/engine/record/session';
import { errorCode } from '../../src/shared/errors';
import { MINI_COMMANDS, miniRecorder, open, recordMini, replayMachine } from './helpers';
import { MINI_PROMPT } from './mini-guest';

const dir = mkdtempSync(join(tmpdir(), 'prnr-snapshot-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recording through the snapshot worker', () => {
  it('writes the same bytes as the in-thread recorder, and the file replays', async () => {
    const path = join(dir, 'mini.prnr');
    const recorder = await miniRecorder({ pipeline: new SnapshotWorkerPipeline(path) }, { sliceTicks: 500_000n });
    runSession(recorder, { prompt: MINI_PROMPT, commands: MINI_COMMANDS });
    expect(existsSync(`${path}.partial`)).toBe(false);
    const bytes = new Uint8Array(readFileSync(path));
    const inThread = await recordMini({ sliceTicks: 500_000n });
    expect(bytes.length).toBe(inThread.bytes.length);
    expect(Buffer.compare(bytes, inThread.bytes)).toBe(0);
    expect(recorder.bytesWritten).toBe(bytes.length);
    // Every snapshot's processing came back, with the machine's pause for it.
    expect(recorder.stats.every((s) => s.processed !== undefined && s.pauseMs >= 0)).toBe(true);
    expect(recorder.stats.map((s) => s.processed!.bytes).reduce((a, b) => a + b)).toBeLessThan(bytes.length);
    const rec = open(bytes);
    const machine = await replayMachine(rec);
    for (const s of rec.slices) expect(machine.replaySlice(s.index).ok, `slice ${s.index}`).toBe(true);
  });

  it('refuses to overwrite a recording without force', () => {
    const path = join(dir, 'mini.prnr');
    expect(() => new SnapshotWorkerPipeline(path)).toThrow(expect.objectContaining({ code: 'RECORDING_EXISTS' }));
  });

  it('reports a full disk at the next snapshot or at finish, as a PrnrError', async () => {
    const path = join(dir, 'full.prnr');
    const pipeline = new SnapshotWorkerPipeline(path, { fd: openSync('/dev/full', 'w') });
    const recorder = await miniRecorder({ pipeline });
    let error: unknown;
    try {
      runSession(recorder, { prompt: MINI_PROMPT, commands: MINI_COMMANDS });
    } catch (err) {
      error = err;
      pipeline.abort();
    }
    expect(errorCode(error)).toBe('RECORDING_WRITE_FAILED');
    expect((error as Error).message).toMatch(/full\.prnr\.partial failed: .*ENOSPC/);
    expect(existsSync(path)).toBe(false);
  });
});
