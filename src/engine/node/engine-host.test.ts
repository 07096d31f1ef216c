import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveEnd } from '../engine-api';
import type { ImageLoadProgress } from '../images';
import { MACHINE_API_VERSION, Machine, jitDefault, runToTick } from '../machine';
import { loadNodeBootConfig } from './images';
import { compileMachineModule } from './machine-module';
import { startNodeEngine, type NodeEngine } from './engine-host';
import { writeTestImage } from './test-image';
import { errorCode } from '../../shared/errors';

/** Firmware that prints "hi" on the UART, then idles in WFI forever (riscv64-linux-gnu-as of lui/li/sb/wfi/j). */
const HELLO_THEN_IDLE = new Uint8Array(new Uint32Array([0x100002b7, 0x06800313, 0x00628023, 0x06900313, 0x00628023, 0x00a00313, 0x00628023, 0x10500073, 0xffdff06f]).buffer);

/** Waits as long as the machine may need: vitest's waitUntil, polling every 20 ms. */
const waiting = { timeout: 10_000, interval: 20 };

describe('Node engine host (worker_thread)', () => {
  let engine: NodeEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it('loads machine.wasm in a worker_thread and answers ping with the machine API version', async () => {
    engine = startNodeEngine();
    await expect(engine.api.ping()).resolves.toEqual({ apiVersion: MACHINE_API_VERSION, jit: jitDefault() });
  });

  it('boots an image in the worker to the same state hashes as a machine in this thread', async () => {
    const imagesDir = await mkdtemp(join(tmpdir(), 'prnr-hashes-'));
    try {
      await writeTestImage(imagesDir, 'hello', { firmware: HELLO_THEN_IDLE, kernel: new Uint8Array(4), initrd: new Uint8Array(4) });
      engine = startNodeEngine({ imagesDir });
      const ticks = ['3', '7', '1000'];
      const inWorker = await engine.api.bootHashes('hello', ticks);
      const { config } = await loadNodeBootConfig('hello', { imagesDir });
      const machine = await Machine.create(await compileMachineModule());
      machine.boot(config);
      const here = ticks.map((tick) => {
        runToTick(machine, BigInt(tick));
        return machine.stateHash().toString(16).padStart(16, '0');
      });
      expect(inWorker).toEqual(here);
      expect(new Set(here).size).toBe(3); // the state moves between the ticks
      const err: unknown = await engine.api.bootHashes('hello', ['10', '5']).catch((e: unknown) => e);
      expect(errorCode(err)).toBe('BAD_TICK');
    } finally {
      await rm(imagesDir, { recursive: true, force: true });
    }
  });

  it('reports a missing machine.wasm with its error code across the worker boundary', async () => {
    engine = startNodeEngine({ wasmPath: '/nonexistent/machine.wasm' });
    const err: unknown = await engine.api.ping().catch((e: unknown) => e);
    expect(errorCode(err)).toBe('WASM_MISSING');
    expect(String(err)).toContain('npm run build:wasm');
  });

  it('runs a live session in the worker: console output through a proxied listener, wall-clock ticks, stop', async () => {
    const imagesDir = await mkdtemp(join(tmpdir(), 'prnr-live-'));
    try {
      await writeTestImage(imagesDir, 'hello', { firmware: HELLO_THEN_IDLE, kernel: new Uint8Array(4), initrd: new Uint8Array(4) });
      engine = startNodeEngine({ imagesDir });
      let output = '';
      const progress: ImageLoadProgress[] = [];
      const ends: LiveEnd[] = [];
      const info = await engine.api.startLive(
        'hello',
        Comlink.proxy({
          onProgress: (p: ImageLoadProgress) => void progress.push(p),
          onConsole: (bytes: Uint8Array) => void (output += new TextDecoder().decode(bytes)),
          onEnd: (end: LiveEnd) => void ends.push(end),
        }),
      );
      expect(info).toEqual({ image: 'hello', description: 'test image', prompt: 'test# ', ramMiB: 64 });
      await vi.waitUntil(() => output === 'hi\n', waiting);
      expect(progress.at(-1)?.phase).toBe('ready');
      // Idle in WFI, the guest keeps to the wall clock: about 100 M ticks per second, never ahead.
      const first = await vi.waitUntil(() => engine!.api.liveStats(), waiting);
      const startedMs = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const later = (await engine.api.liveStats())!;
      const wallMs = Date.now() - startedMs;
      expect(later).toMatchObject({ state: 'running', idle: true, mips: 0 });
      const guestMs = Number(later.tick - first.tick) / 100_000;
      expect(guestMs).toBeGreaterThan(wallMs * 0.7);
      expect(guestMs).toBeLessThan(wallMs * 1.3 + 60);
      await engine.api.stopLive();
      const end = await vi.waitUntil(() => ends[0], waiting);
      expect(end.state).toBe('stopped');
    } finally {
      await rm(imagesDir, { recursive: true, force: true });
    }
  });

  it('reports a missing image with its code across the worker boundary', async () => {
    engine = startNodeEngine({ imagesDir: '/nonexistent' });
    const err: unknown = await engine.api.startLive('default', Comlink.proxy({ onProgress: () => undefined, onConsole: () => undefined, onEnd: () => undefined })).catch((e: unknown) => e);
    expect(errorCode(err)).toBe('IMAGE_NOT_FOUND');
  });
});
