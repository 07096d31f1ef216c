// The JIT on a Linux boot (docs/design.md 2): the default image boots, runs
// programs (exec, mmap, page-cache pages reused for new code) and reaches the
// same state hashes at a series of ticks with the JIT on and off; a recording
// made with the JIT replays and verifies without it, and back.
import { afterAll, describe, expect, it } from 'vitest';
import { bootedMachine, runAtPrompt } from '../linux/helpers';
import { jitDefault, setJitDefault } from '../../src/engine/machine';
import { open, recordMini, replayMachine } from '../record/helpers';

const initialDefault = jitDefault();
afterAll(() => setJitDefault(initialDefault));

describe('JIT differential: Linux', () => {
  it('boots and runs commands to identical state hashes at the same ticks, JIT on and off', async () => {
    const off = await bootedMachine({ jit: false });
    const on = await bootedMachine({ jit: { threshold: 16 } });
    for (const tick of [3_000_000n, 10_000_000n, 25_000_000n, 40_000_000n]) {
      off.console.runFor(tick - off.machine.tick);
      on.console.runFor(tick - on.machine.tick);
      expect(on.machine.tick).toBe(tick);
      expect(on.machine.stateHash(), `at tick ${tick}`).toBe(off.machine.stateHash());
    }
    // Then both drive the same session at the prompt (new processes: exec, mmap, page cache).
    const outputs = [off, on].map(({ machine, console: guest, prompt }) => {
      guest.waitFor(prompt, 2_000_000_000n, 0);
      return [runAtPrompt(guest, prompt, 'ls /bin | head -3'), runAtPrompt(guest, prompt, 'echo $((6*7))'), machine.tick];
    });
    expect(outputs[1]).toEqual(outputs[0]);
    expect(on.machine.stateHash()).toBe(off.machine.stateHash());
    expect(on.machine.jitStats().executed).toBeGreaterThan(10_000_000);
  });
});

describe('recordings do not depend on the JIT', () => {
  for (const [recordWith, replayWith] of [[true, false], [false, true]] as const) {
    it(`a recording made with the JIT ${recordWith ? 'on' : 'off'} replays and verifies with it ${replayWith ? 'on' : 'off'}`, async () => {
      setJitDefault(recordWith);
      const mini = await recordMini();
      const rec = open(mini.bytes);
      setJitDefault(replayWith);
      const machine = await replayMachine(rec);
      for (const [i] of rec.slices.entries()) expect(machine.replaySlice(i), `slice ${i}`).toMatchObject({ ok: true });
      setJitDefault(initialDefault);
    });
  }
});
