// runSessionInterruptibly: the session that `prnr record` runs so that its
// event loop turns (and a SIGINT is seen) while the machine runs. Paused
// before every run of the machine it still writes the very bytes runSession
// writes, and asked to stop it stops, leaving the recording unfinished.
import { describe, expect, it } from 'vitest';
import { errorCode } from '../../src/shared/errors';
import { runSessionInterruptibly } from '../../src/engine/record/session';
import { MemorySink } from '../../src/engine/record/writer';
import { MINI_COMMANDS, miniRecorder, recordMini } from './helpers';
import { MINI_PROMPT } from './mini-guest';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runSessionInterruptibly', () => {
  it('pausing before every run of the machine, writes the same recording as runSession', async () => {
    const straight = await recordMini();
    const sink = new MemorySink();
    const recorder = await miniRecorder({ sink });
    let pauses = 0;
    const transcript = await runSessionInterruptibly(recorder, { prompt: MINI_PROMPT, commands: MINI_COMMANDS }, {
      interrupted: () => false,
      yieldToHost: () => {
        pauses++;
        return yieldToHost();
      },
      pauseEveryMs: 0,
    });
    expect(pauses).toBeGreaterThan(10);
    expect(transcript).toBe(straight.transcript);
    expect(sink.bytes()).toEqual(straight.bytes);
  });

  it('stops when asked, with INTERRUPTED, and does not finish the recording', async () => {
    const sink = new MemorySink();
    const recorder = await miniRecorder({ sink }, { sliceTicks: 500_000n });
    let commandsTyped = 0;
    const error = await runSessionInterruptibly(recorder, { prompt: MINI_PROMPT, commands: MINI_COMMANDS }, { interrupted: () => commandsTyped >= 2, yieldToHost, pauseEveryMs: 0 }, () => commandsTyped++).catch((err: unknown) => err);
    expect(errorCode(error)).toBe('INTERRUPTED');
    expect(commandsTyped).toBe(2);
    expect(recorder.poweredOff).toBe(false);
    // Snapshots were written as it ran; no END, so the machine can still be recorded on.
    expect(recorder.stats.length).toBeGreaterThan(1);
    expect(() => recorder.typeInput(new Uint8Array([0x61]))).not.toThrow();
  });
});
