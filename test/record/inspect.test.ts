// Recordings on the engine API (src/engine/inspect): open a recording, ask for
// the machine at any tick, verify slices with progress; in this thread and
// across the Node engine worker. The mini guest stands in for Linux (the
// Linux recording is checked in test/record-linux).
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyProgress } from '../../src/engine/engine-api';
import { RecordingInspector, type InspectorHost } from '../../src/engine/inspect/recording-inspector';
import { Machine } from '../../src/engine/machine';
import { nodeDeflate, nodeOpenOptions } from '../../src/engine/node/codecs';
import { startNodeEngine } from '../../src/engine/node/engine-host';
import { nodeSha256 } from '../../src/engine/node/hash';
import { createNodeEngine } from '../../src/engine/node/host';
import { loadNodeBootImage } from '../../src/engine/node/images';
import { nodeReplayWorkers } from '../../src/engine/node/replay-pool';
import { writeTestImage } from '../../src/engine/node/test-image';
import { Recorder } from '../../src/engine/record/recorder';
import { runSession } from '../../src/engine/record/session';
import { MemorySink } from '../../src/engine/record/writer';
import { bootConfigForRecording, describeBootFiles } from '../../src/engine/replay/boot';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import { seek } from '../../src/engine/replay/seek';
import { errorCode } from '../../src/shared/errors';
import { screenAt } from '../../src/shared/recording/console';
import type { Recording } from '../../src/shared/recording/reader';
import { toHex } from '../../src/shared/sha256';
import { MINI_COMMANDS, machineModule, open } from './helpers';
import { MINI_PROMPT, miniBootConfig, miniBootFiles } from './mini-guest';

/** The mini guest as an image (with an initrd, which images must have; the guest never reads it). */
const files = { ...miniBootFiles(), initrd: new Uint8Array(8192).fill(0x5a) };
let imagesDir: string;
let bytes: Uint8Array;
let rec: Recording;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (err: unknown) => err);
}

beforeAll(async () => {
  imagesDir = await mkdtemp(join(tmpdir(), 'prnr-inspect-'));
  await writeTestImage(imagesDir, 'mini', files);
  const sink = new MemorySink();
  const recorder = new Recorder({
    machine: await Machine.create(await machineModule()),
    config: { ...miniBootConfig(files), initrd: files.initrd },
    image: { name: 'mini', files: describeBootFiles(files, nodeSha256) },
    output: { sink, writer: { deflate: nodeDeflate } },
    sha256: nodeSha256,
    sliceTicks: 2_000_000n,
    createdBy: 'prnr test',
    commands: MINI_COMMANDS,
  });
  runSession(recorder, { prompt: MINI_PROMPT, commands: MINI_COMMANDS });
  bytes = sink.bytes();
  rec = open(bytes);
});

/** A replay machine booted from the mini image, to compare with. */
async function replayMachine(): Promise<ReplayMachine> {
  return ReplayMachine.create(await machineModule(), rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256);
}

afterAll(async () => {
  await rm(imagesDir, { recursive: true, force: true });
});

/** Ticks across the recording: snapshot ticks, between them, and its end. */
function sampleTicks(): bigint[] {
  const end = rec.snapshots.at(-1)!.tick;
  return [0n, 1n, rec.snapshots[3].tick, rec.snapshots[3].tick + 12_345n, end / 2n, end - 1n, end];
}

describe('the engine API for recordings, on this thread', () => {
  it('opens a recording from bytes under its digest, once', async () => {
    const engine = createNodeEngine({ imagesDir });
    const info = await engine.openRecording({ bytes });
    expect(info.id).toBe(toHex(rec.digest));
    expect(info.complete).toBe(true);
    expect(info.snapshotTicks).toEqual(rec.snapshots.map((s) => s.tick));
    expect(info.endTick).toBe(rec.snapshots.at(-1)!.tick);
    expect(info.header.image.name).toBe('mini');
    expect((await engine.openRecording({ bytes })).id).toBe(info.id);
  });

  it('opens a recording from a URL, and says when there is none', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/mini.prnr') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(bytes));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const engine = createNodeEngine({ imagesDir });
      const info = await engine.openRecording({ url: `http://127.0.0.1:${port}/mini.prnr` });
      expect(info.id).toBe(toHex(rec.digest));
      expect((await engine.registersAt(info.id, 5000n)).tick).toBe(5000n);
      expect(errorCode(await failure(engine.openRecording({ url: `http://127.0.0.1:${port}/other.prnr` })))).toBe('RECORDING_NOT_FOUND');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives the registers, CSRs and memory a replay from the nearest snapshot reaches, as unsigned values', async () => {
    const engine = createNodeEngine({ imagesDir });
    const { id } = await engine.openRecording({ bytes });
    const reference = await replayMachine();
    const u64 = (v: bigint) => v >= 0n && v < 1n << 64n;
    // Out of order: seeks go back as well as forward.
    for (const tick of [...sampleTicks().slice(3), ...sampleTicks().slice(0, 3)]) {
      const regs = await engine.registersAt(id, tick);
      const at = seek(reference, tick);
      const want = reference.machine.registers();
      expect(regs).toMatchObject({ tick, snapshot: at.snapshot, snapshotTick: rec.snapshots[at.snapshot].tick, pc: want.pc, priv: want.priv });
      expect(regs.x).toEqual(want.x);
      expect(regs.f).toEqual(want.f);
      expect([regs.pc, ...regs.x, ...regs.f].every(u64)).toBe(true);
      const { csrs } = await engine.csrsAt(id, tick, [0x300, 0x341, 0x180, 0xfff]);
      expect(csrs.map((c) => c.name)).toEqual(['mstatus', 'mepc', 'satp', 'csr 0xfff']);
      expect(csrs.map((c) => c.value)).toEqual([0x300, 0x341, 0x180, 0xfff].map((n) => reference.machine.csr(n)));
      expect(csrs[3].value).toBeUndefined();
      const phys = await engine.readPhysAt(id, tick, 0x8000_0000n, 256);
      expect(phys.bytes).toEqual(reference.machine.readPhys(0x8000_0000, 256));
      // The mini guest runs in M-mode with satp Bare: virtual is physical.
      const virt = await engine.readVirtAt(id, tick, 0x8000_0000n, 256);
      expect(virt.satp).toBe(0n);
      expect(virt.bytes).toEqual(phys.bytes);
    }
  });

  it('draws the screen at a tick from the logged output, and refuses ticks outside the recording', async () => {
    const engine = createNodeEngine({ imagesDir });
    const { id, endTick } = await engine.openRecording({ bytes });
    // Forward (drawn on from the last screen), then backward (drawn afresh): each equals a screen drawn from the start.
    const ticks = sampleTicks();
    for (const tick of [...ticks, ...[...ticks].reverse()]) {
      const screen = await engine.screenAt(id, tick, 10, 40);
      const want = await screenAt(rec, tick, 10, 40);
      expect(screen).toEqual({ tick, rows: 10, cols: 40, lines: want.text(), cursor: want.cursor });
      want.dispose();
    }
    expect((await engine.screenAt(id, endTick)).lines.join('\n')).toContain('bye');
    // The bytes behind the screen, and where each write happened.
    const writes = await engine.outputTicks(id);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes).toEqual(rec.slices.flatMap((s) => s.output.map((c) => c.tick)).filter((t, i, all) => i === 0 || all[i - 1] !== t));
    const whole = await engine.consoleAt(id, endTick);
    expect(new TextDecoder().decode(whole.bytes)).toContain('bye');
    const mid = writes[Math.floor(writes.length / 2)];
    const [head, tail] = [await engine.consoleAt(id, mid), await engine.consoleAt(id, endTick, mid)];
    expect([...head.bytes, ...tail.bytes]).toEqual([...whole.bytes]);
    for (const call of [engine.seek(id, endTick + 1n), engine.screenAt(id, endTick + 1n), engine.registersAt(id, -1n)]) expect(errorCode(await failure(call))).toBe('RECORDING_RANGE');
    expect(errorCode(await failure(engine.seek('nope', 0n)))).toBe('RECORDING_NOT_OPEN');
    await engine.closeRecording(id);
    expect(errorCode(await failure(engine.seek(id, 0n)))).toBe('RECORDING_NOT_OPEN');
  });

  for (const jobs of [1, 2]) {
    it(`verifies slices with progress, ${jobs === 1 ? 'on its own thread' : 'on two replay workers'}`, async () => {
      const engine = createNodeEngine({ imagesDir, replayWorkers: nodeReplayWorkers() });
      const { id } = await engine.openRecording({ bytes });
      const progress: VerifyProgress[] = [];
      const results = await engine.verifySlices(id, { jobs }, { onProgress: (p) => progress.push(p) });
      expect(results.map((r) => r.index)).toEqual(rec.slices.map((s) => s.index));
      for (const r of results) expect(r.ok, `slice ${r.index}: ${r.divergence}`).toBe(true);
      const done = progress.filter((p) => p.state === 'done');
      expect(done.map((p) => p.done)).toEqual(rec.slices.map((_, i) => i + 1));
      expect(progress.every((p) => p.total === rec.slices.length)).toBe(true);
      expect(new Set(progress.map((p) => p.worker)).size).toBe(jobs);
      expect(new Set(results.map((r) => r.worker))).toEqual(new Set(Array.from({ length: jobs }, (_, w) => w)));
      const some = await engine.verifySlices(id, { slices: [4, 2], jobs });
      expect(some.map((r) => [r.index, r.ok])).toEqual([[2, true], [4, true]]);
    });
  }
});

describe('the guest image', () => {
  function countingHost(): InspectorHost & { imageLoads: number } {
    const host = {
      imageLoads: 0,
      loadModule: machineModule,
      loadImage: (name: string) => {
        host.imageLoads++;
        return loadNodeBootImage(name, { imagesDir });
      },
      codecs: nodeOpenOptions,
    };
    return host;
  }

  it('is loaded once, when a seek needs units the recording does not hold', async () => {
    const host = countingHost();
    const inspector = new RecordingInspector(rec, host, undefined, false);
    await inspector.screen(rec.snapshots.at(-1)!.tick);
    expect(host.imageLoads).toBe(0);
    for (const tick of sampleTicks()) await inspector.registers(tick);
    expect(host.imageLoads).toBe(1);
  });

  it('is not loaded when the recording holds every unit', async () => {
    // The recording as if it stored every unit the boot wrote (what the recorder leaves to the image).
    const boot = await Machine.create(await machineModule());
    boot.boot({ ...miniBootConfig(files), initrd: files.initrd });
    const units = new Map<string, Uint8Array>();
    for (const view of [boot.ramView(), boot.diskView()]) {
      for (let at = 0; at < view.length; at += 4096) units.set(toHex(nodeSha256(view.subarray(at, at + 4096))), view.slice(at, at + 4096));
    }
    const covered: Recording = { ...rec, blob: (hash, kind) => rec.blob(hash, kind) ?? units.get(toHex(hash)), hasBlob: (hash) => rec.hasBlob(hash) || units.has(toHex(hash)) };
    const host = countingHost();
    const inspector = new RecordingInspector(covered, host, undefined, false);
    const reference = await replayMachine();
    for (const tick of sampleTicks()) {
      seek(reference, tick);
      expect((await inspector.registers(tick)).x).toEqual(reference.machine.registers().x);
    }
    expect(host.imageLoads).toBe(0);
  });
});

describe('the engine API across the Node engine worker', () => {
  it('opens, seeks and verifies with progress through Comlink', async () => {
    const engine = startNodeEngine({ imagesDir });
    try {
      const { id } = await engine.api.openRecording({ bytes });
      const tick = rec.snapshots[5].tick + 777n;
      const reference = await replayMachine();
      seek(reference, tick);
      expect((await engine.api.registersAt(id, tick)).x).toEqual(reference.machine.registers().x);
      const progress: VerifyProgress[] = [];
      const results = await engine.api.verifySlices(id, { slices: [0, 1, 2] }, Comlink.proxy({ onProgress: (p: VerifyProgress) => void progress.push(p) }));
      expect(results.every((r) => r.ok)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the last proxied call may still be in flight
      expect(progress.filter((p) => p.state === 'done').map((p) => p.slice)).toEqual([0, 1, 2]);
      const err = await failure(engine.api.seek(id, rec.snapshots.at(-1)!.tick + 1n));
      expect(errorCode(err)).toBe('RECORDING_RANGE');
    } finally {
      await engine.close();
    }
  });
});
