import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveBootInfo, LiveListeners, LiveOptions, LiveRecording } from '../../../engine/engine-api';
import type { LiveStats } from '../../../engine/live-session';
import { LiveMachineStore, type LiveRecordingStorage } from './live-machine';

const INFO: LiveBootInfo = { image: 'default', description: 'test', prompt: 'prnr# ', ramMiB: 128 };
const STATS: LiveStats = { state: 'running', tick: 123n, mips: 42, speed: 0.5, idle: false };

/** An engine that boots when told to and lets the test play the worker's side. */
function fakeEngine() {
  const engine = {
    starts: [] as string[],
    options: [] as (LiveOptions | undefined)[],
    listeners: undefined as LiveListeners | undefined,
    finishRecording: (_result: LiveRecording | Error) => undefined as void,
    typed: [] as string[],
    finishBoot: (_result: LiveBootInfo | Error) => undefined as void,
    api: {
      startLive(image: string, listeners: LiveListeners, options?: LiveOptions) {
        engine.starts.push(image);
        engine.options.push(options);
        engine.listeners = listeners;
        return new Promise<LiveBootInfo>((resolve, reject) => {
          engine.finishBoot = (result) => (result instanceof Error ? reject(result) : resolve(result));
        });
      },
      sendLiveInput: async (bytes: Uint8Array) => void engine.typed.push(new TextDecoder().decode(bytes)),
      statsCalls: 0,
      liveStats: async () => {
        engine.api.statsCalls++;
        return STATS;
      },
      stopLive: async () => undefined,
      stopRecording() {
        return new Promise<LiveRecording>((resolve, reject) => {
          engine.finishRecording = (result) => (result instanceof Error ? reject(result) : resolve(result));
        });
      },
    },
  };
  return engine;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LiveMachineStore (the live view without React)', () => {
  let store: LiveMachineStore | undefined;
  afterEach(() => store?.['stopPolling']());

  it('boots once, shows progress, then runs with stats; typing reaches the engine', async () => {
    const engine = fakeEngine();
    store = new LiveMachineStore(engine.api);
    const seen: string[] = [];
    store.subscribe(() => seen.push(store!.getSnapshot().phase));
    store.start('default');
    store.start('default'); // React StrictMode mounts twice
    expect(engine.starts).toEqual(['default']);
    engine.listeners!.onProgress({ phase: 'download', file: 'Image.gz', loadedBytes: 10, totalBytes: 100 });
    expect(store.getSnapshot()).toMatchObject({ phase: 'loading', progress: { loadedBytes: 10 } });
    store.type('ignored before the machine runs');
    engine.finishBoot(INFO);
    await tick();
    await tick();
    expect(store.getSnapshot()).toMatchObject({ phase: 'running', info: INFO, stats: STATS });
    store.type('uname -m\r');
    expect(engine.typed).toEqual(['uname -m\r']);
    expect(seen[0]).toBe('loading');
  });

  it('replays what the guest printed to a terminal attached later', async () => {
    const engine = fakeEngine();
    store = new LiveMachineStore(engine.api);
    store.start('default');
    engine.listeners!.onConsole(bytes('OpenSBI\r\n'));
    const terminal: string[] = [];
    const detach = store.attachConsole((b) => terminal.push(new TextDecoder().decode(b)));
    engine.listeners!.onConsole(bytes('Linux\r\n'));
    expect(terminal.join('')).toBe('OpenSBI\r\nLinux\r\n');
    detach();
    engine.listeners!.onConsole(bytes('prnr# '));
    expect(terminal.join('')).toBe('OpenSBI\r\nLinux\r\n');
  });

  it('explains a boot that fails and ends on poweroff', async () => {
    const failing = fakeEngine();
    store = new LiveMachineStore(failing.api);
    store.start('default');
    failing.finishBoot(Object.assign(new Error('image "default" not found'), { code: 'IMAGE_NOT_FOUND' }));
    await tick();
    expect(store.getSnapshot()).toMatchObject({ phase: 'ended', error: 'image "default" not found' });

    const engine = fakeEngine();
    store = new LiveMachineStore(engine.api);
    store.start('default');
    engine.finishBoot(INFO);
    await tick();
    engine.listeners!.onEnd({ state: 'poweredOff', tick: 5n, powerOffCode: 0x5555 });
    await tick();
    await tick();
    expect(store.getSnapshot()).toMatchObject({ phase: 'ended', end: { state: 'poweredOff' } });
    expect(store.getSnapshot().error).toBeUndefined();
  });

  it('polls stats only while someone is subscribed: from the first subscriber to the last', async () => {
    vi.useFakeTimers();
    try {
      const engine = fakeEngine();
      store = new LiveMachineStore(engine.api);
      store.start('default');
      engine.finishBoot(INFO);
      await vi.advanceTimersByTimeAsync(5000);
      expect(store.getSnapshot().phase).toBe('running');
      expect(engine.api.statsCalls).toBe(0); // running, but nobody looks

      const first = store.subscribe(() => undefined);
      const second = store.subscribe(() => undefined);
      await vi.advanceTimersByTimeAsync(0);
      expect(engine.api.statsCalls).toBe(1); // at once for the first subscriber, not again for the second
      await vi.advanceTimersByTimeAsync(2000);
      expect(engine.api.statsCalls).toBe(5); // every 500 ms
      first();
      await vi.advanceTimersByTimeAsync(1000);
      expect(engine.api.statsCalls).toBe(7); // one subscriber left
      second();
      await vi.advanceTimersByTimeAsync(5000);
      expect(engine.api.statsCalls).toBe(7); // the last one left: no more polling
      expect(store.getSnapshot().stats).toEqual(STATS);

      // A subscriber while the machine has ended does not start polling either.
      engine.listeners!.onEnd({ state: 'poweredOff', tick: 9n, powerOffCode: 0x5555 });
      await vi.advanceTimersByTimeAsync(0);
      const calls = engine.api.statsCalls;
      const late = store.subscribe(() => undefined);
      await vi.advanceTimersByTimeAsync(5000);
      expect(engine.api.statsCalls).toBe(calls);
      late();
    } finally {
      vi.useRealTimers();
    }
  });

  it('records: boots fresh under a recorder with a new file and seed, then Stop finishes and indexes the recording', async () => {
    const engine = fakeEngine();
    const calls: string[] = [];
    const storage: LiveRecordingStorage = {
      newRecording: () => ({ file: `live-${calls.length}.prnr`, entropySeed: 99n + BigInt(calls.length) }),
      begin: async (file, title) => void calls.push(`begin ${file} ${title}`),
      finished: async (file) => {
        calls.push(`finished ${file}`);
        return 'f'.repeat(64);
      },
    };
    store = new LiveMachineStore(engine.api, storage);
    store.start('default');
    engine.finishBoot(INFO);
    await tick();
    await expect(store.stopRecording()).rejects.toThrow('nothing is being recorded');

    await store.record('Lesson 1');
    expect(calls).toEqual(['begin live-0.prnr Lesson 1']);
    expect(engine.starts).toEqual(['default', 'default']);
    expect(engine.options[1]).toEqual({ record: { file: 'live-0.prnr', entropySeed: 99n } });
    expect(store.getSnapshot()).toMatchObject({ phase: 'loading', recording: { file: 'live-0.prnr', phase: 'recording' } });
    engine.finishBoot(INFO);
    await tick();
    await store.record(); // already recording: nothing happens
    expect(engine.starts).toHaveLength(2);

    const stopped = store.stopRecording();
    expect(store.getSnapshot().recording?.phase).toBe('finishing');
    engine.finishRecording({ file: 'live-0.prnr', id: 'f'.repeat(64), bytes: 100, endTick: 5n, slices: 1 });
    await expect(stopped).resolves.toBe('f'.repeat(64));
    expect(calls).toEqual(['begin live-0.prnr Lesson 1', 'finished live-0.prnr']);
    expect(store.getSnapshot().recording).toEqual({ file: 'live-0.prnr', phase: 'saved', id: 'f'.repeat(64) });
    // The stopped session's end (with its recording) does not index it again.
    engine.listeners!.onEnd({ state: 'stopped', tick: 5n, recording: { file: 'live-0.prnr', id: 'f'.repeat(64), bytes: 100, endTick: 5n, slices: 1 } });
    await tick();
    expect(calls).toHaveLength(2);
  });

  it('indexes the recording of a session the guest powered off, and says what a failed one kept', async () => {
    const engine = fakeEngine();
    const finished: string[] = [];
    const storage: LiveRecordingStorage = { newRecording: () => ({ file: 'a.prnr', entropySeed: 1n }), begin: async () => undefined, finished: async (file) => (finished.push(file), 'a'.repeat(64)) };
    store = new LiveMachineStore(engine.api, storage);
    await store.record();
    engine.finishBoot(INFO);
    await tick();
    engine.listeners!.onEnd({ state: 'poweredOff', tick: 7n, powerOffCode: 0x5555, recording: { file: 'a.prnr', id: 'a'.repeat(64), bytes: 10, endTick: 7n, slices: 1 } });
    await tick();
    await tick();
    expect(finished).toEqual(['a.prnr']);
    expect(store.getSnapshot()).toMatchObject({ phase: 'ended', recording: { phase: 'saved', id: 'a'.repeat(64) } });

    await store.record();
    engine.finishBoot(INFO);
    await tick();
    engine.listeners!.onEnd({ state: 'failed', tick: 9n, code: 'RECORDING_WRITE_FAILED', message: 'the disk is full' });
    await tick();
    expect(store.getSnapshot().recording).toMatchObject({ phase: 'failed', error: expect.stringContaining('the disk is full (every slice up to the last snapshot is kept') });
  });
});
