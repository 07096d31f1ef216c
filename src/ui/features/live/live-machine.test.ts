import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveBootInfo, LiveListeners } from '../../../engine/engine-api';
import type { LiveStats } from '../../../engine/live-session';
import { LiveMachineStore } from './live-machine';

const INFO: LiveBootInfo = { image: 'default', description: 'test', prompt: 'prnr# ', ramMiB: 128 };
const STATS: LiveStats = { state: 'running', tick: 123n, mips: 42, speed: 0.5, idle: false };

/** An engine that boots when told to and lets the test play the worker's side. */
function fakeEngine() {
  const engine = {
    starts: [] as string[],
    listeners: undefined as LiveListeners | undefined,
    typed: [] as string[],
    finishBoot: (_result: LiveBootInfo | Error) => undefined as void,
    api: {
      startLive(image: string, listeners: LiveListeners) {
        engine.starts.push(image);
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
});
