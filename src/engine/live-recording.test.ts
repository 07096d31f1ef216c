// A recorded live session on the Engine (startLive with `record`, then
// stopRecording), with the default image: the recording is in the format of
// prnr record, holds what was typed at its tick, and every slice verifies.
// The pipeline here keeps the file in memory (the browser's writes to OPFS
// from a snapshot worker, src/engine/web/snapshot-pipeline.ts, and is tested
// in Chromium, e2e/live-record.test.ts).
import { describe, expect, it, vi } from 'vitest';
import { PrnrError, errorCode } from '../shared/errors';
import { InputKind, type EndRecord, type RecordingHeader } from '../shared/recording/format';
import { openRecording } from '../shared/recording/reader';
import { bytesSource } from '../shared/recording/source';
import { toHex } from '../shared/sha256';
import { Engine } from './engine';
import type { LiveEnd } from './engine-api';
import type { LiveRecordingPipeline } from './live-recording';
import { nodeOpenOptions } from './node/codecs';
import { nodeSha256 } from './node/hash';
import { nodeEngineHost } from './node/host';
import type { CapturedSnapshot } from './record/capture';
import { InThreadPipeline, type ProcessedSnapshot } from './record/snapshot-processor';
import { MemorySink } from './record/writer';

/** A live recording pipeline that writes to memory, with a switch for back-pressure. */
class MemoryLivePipeline implements LiveRecordingPipeline {
  readonly sink = new MemorySink();
  private readonly inner = new InThreadPipeline(this.sink, { sha256: nodeSha256 }, () => performance.now());
  saturated = false;
  submitted = 0;
  abandoned = false;
  private ended = false;

  constructor(readonly file: string) {}

  start(header: RecordingHeader): void {
    this.inner.start(header);
  }

  submit(capture: CapturedSnapshot): ProcessedSnapshot[] {
    this.submitted++;
    return this.inner.submit(capture);
  }

  finish(end: EndRecord): ProcessedSnapshot[] {
    this.ended = true;
    return this.inner.finish(end);
  }

  get bytesWritten(): number {
    return this.inner.bytesWritten;
  }

  async finished(): Promise<{ file: string; digest: string; bytes: number }> {
    if (!this.ended || !this.sink.finished) throw new Error('not finished');
    const bytes = this.sink.bytes();
    return { file: this.file, digest: toHex(openRecording(bytesSource(bytes), nodeOpenOptions).digest), bytes: bytes.length };
  }

  async abandon(): Promise<void> {
    this.abandoned = true;
  }
}

/** Waits as long as the machine may need: vitest's waitUntil, polling every 20 ms. */
const waiting = { timeout: 60_000, interval: 20 };

function recordingEngine(pipelines: MemoryLivePipeline[]): Engine {
  return new Engine({
    ...nodeEngineHost(),
    createdBy: 'prnr test',
    recordingPipeline: async (file) => {
      const pipeline = new MemoryLivePipeline(file);
      pipelines.push(pipeline);
      return pipeline;
    },
  });
}

function console_() {
  let text = '';
  const ends: LiveEnd[] = [];
  return {
    listeners: { onProgress: () => undefined, onConsole: (bytes: Uint8Array) => void (text += new TextDecoder().decode(bytes)), onEnd: (end: LiveEnd) => void ends.push(end) },
    text: () => text,
    ends,
  };
}

/** A live session of the default image recorded to `file`, once its shell prompt is up. */
async function recordedSession(file: string, entropySeed: bigint) {
  const pipelines: MemoryLivePipeline[] = [];
  const engine = recordingEngine(pipelines);
  const out = console_();
  await engine.startLive('default', out.listeners, { record: { file, entropySeed } });
  await vi.waitUntil(() => out.text().includes('prnr# '), waiting);
  return { pipelines, engine, out };
}

describe('a recorded live session', () => {
  it('boots fresh under a recorder, logs what is typed, and stops into a recording that verifies', async () => {
    const { pipelines, engine, out } = await recordedSession('live-test.prnr', 1234567890123n);
    await engine.sendLiveInput(new TextEncoder().encode('echo recorded-$((6*7))\n'));
    await vi.waitUntil(() => out.text().includes('recorded-42'), waiting);

    // While the snapshot pipeline is saturated, the machine waits.
    const pipeline = pipelines[0];
    pipeline.saturated = true;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const heldAt = (await engine.liveStats())!.tick;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await engine.liveStats())!.tick).toBe(heldAt);
    pipeline.saturated = false;
    await vi.waitUntil(async () => (await engine.liveStats())!.tick > heldAt, waiting);

    const recording = await engine.stopRecording();
    expect(out.ends).toHaveLength(1);
    expect(out.ends[0]).toMatchObject({ state: 'stopped', recording });
    expect(recording.file).toBe('live-test.prnr');
    const bytes = pipeline.sink.bytes();
    expect(recording.bytes).toBe(bytes.length);

    const rec = openRecording(bytesSource(bytes), nodeOpenOptions);
    expect(rec.complete).toBe(true);
    expect(toHex(rec.digest)).toBe(recording.id);
    expect(rec.header.createdBy).toBe('prnr test');
    expect(rec.header.machine.entropySeed).toBe('1234567890123');
    expect(rec.header.image.name).toBe('default');
    expect(rec.slices.length).toBe(recording.slices);
    expect(rec.snapshots[rec.snapshots.length - 1].tick).toBe(recording.endTick);
    expect(pipeline.submitted).toBe(rec.snapshots.length);
    const typed = rec.slices.flatMap((s) => s.events).filter((e) => e.kind === InputKind.console);
    expect(new TextDecoder().decode(Uint8Array.from(typed.flatMap((e) => [...e.data])))).toBe('echo recorded-$((6*7))\n');

    const info = await engine.openRecording({ bytes });
    expect(info.id).toBe(recording.id);
    const results = await engine.verifySlices(info.id, { jobs: 1 });
    expect(results).toHaveLength(rec.slices.length);
    for (const r of results) expect(r.ok, `slice ${r.index}: ${r.divergence}`).toBe(true);
    await expect(engine.stopRecording()).rejects.toMatchObject({ code: 'NOT_RECORDING' });
  }, 180_000);

  it('finishes a recording the guest ends by powering off, and refuses stopRecording for a plain session', async () => {
    const { pipelines, engine, out } = await recordedSession('off.prnr', 7n);
    await engine.sendLiveInput(new TextEncoder().encode('poweroff -f\n'));
    const end = await vi.waitUntil(() => out.ends[0], waiting);
    expect(end.state).toBe('poweredOff');
    const recording = 'recording' in end ? end.recording : undefined;
    expect(recording).toBeDefined();
    const rec = openRecording(bytesSource(pipelines[0].sink.bytes()), nodeOpenOptions);
    expect(toHex(rec.digest)).toBe(recording!.id);
    expect(rec.end?.reason).toBe(1); // poweroff

    await engine.startLive('default', console_().listeners);
    const err = await engine.stopRecording().catch((e: unknown) => e);
    expect(errorCode(err)).toBe('NOT_RECORDING');
    expect(err).toBeInstanceOf(PrnrError);
    await engine.stopLive();
  }, 180_000);
});
