// An open recording on a host with idle time (the browser's engine worker):
// it keeps its replay workers from one verify to the next, starts them in a
// quiet moment before the first, keeps only the last used recording's, and
// stops them when closed; a batch host (the CLI) stops them after each
// verify. Before it starts them it takes the checkpoints seeks start from.
// The mini guest stands in for Linux.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RecordingInspector, type InspectorHost } from '../../src/engine/inspect/recording-inspector';
import { Machine } from '../../src/engine/machine';
import { nodeSha256 } from '../../src/engine/node/hash';
import { Recorder } from '../../src/engine/record/recorder';
import { runSession } from '../../src/engine/record/session';
import { MemorySink } from '../../src/engine/record/writer';
import { describeBootFiles } from '../../src/engine/replay/boot';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { loadNodeBootImage } from '../../src/engine/node/images';
import { nodeReplayWorkers } from '../../src/engine/node/replay-pool';
import { writeTestImage } from '../../src/engine/node/test-image';
import { checkpointTicks } from '../../src/engine/replay/checkpoints';
import type { StartReplayWorker } from '../../src/engine/replay/pool';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import type { Recording } from '../../src/shared/recording/reader';
import { MINI_COMMANDS, machineModule, open } from './helpers';
import { MINI_PROMPT, miniBootConfig, miniBootFiles } from './mini-guest';

let imagesDir: string;
let bytes: Uint8Array;
let rec: Recording;

beforeAll(async () => {
  // The mini guest as an image (with an initrd, which images must have; the guest never reads it), recorded from it.
  const files = { ...miniBootFiles(), initrd: new Uint8Array(8192).fill(0x5a) };
  imagesDir = await mkdtemp(join(tmpdir(), 'prnr-inspector-idle-'));
  await writeTestImage(imagesDir, 'mini', files);
  const sink = new MemorySink();
  const recorder = new Recorder({
    machine: await Machine.create(await machineModule()),
    config: { ...miniBootConfig(files), initrd: files.initrd },
    image: { name: 'mini', files: describeBootFiles(files, nodeSha256) },
    output: { sink },
    sha256: nodeSha256,
    sliceTicks: 2_000_000n,
    createdBy: 'prnr test',
    commands: MINI_COMMANDS,
  });
  runSession(recorder, { prompt: MINI_PROMPT, commands: MINI_COMMANDS });
  bytes = sink.bytes();
  rec = open(bytes);
});

afterAll(async () => {
  await rm(imagesDir, { recursive: true, force: true });
});

/** Node replay workers, counted as they start and stop. */
function countedWorkers(): StartReplayWorker & { started: number; closed: number } {
  const start = nodeReplayWorkers();
  const counted = Object.assign(
    (index: number) => {
      counted.started++;
      const handle = start(index);
      return {
        api: handle.api,
        close: () => {
          counted.closed++;
          return handle.close();
        },
      };
    },
    { started: 0, closed: 0 },
  );
  return counted;
}

function host(workers: StartReplayWorker, idle: boolean): InspectorHost {
  return {
    loadModule: machineModule,
    loadImage: (name) => loadNodeBootImage(name, { imagesDir }),
    codecs: nodeOpenOptions,
    replayWorkers: workers,
    replayJobs: 2,
    idle: idle
      ? (ms, task) => {
          const timer = setTimeout(task, ms);
          return () => clearTimeout(timer);
        }
      : undefined,
  };
}

async function until(what: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const allVerified = (results: { ok: boolean }[]) => results.length === rec.slices.length && results.every((r) => r.ok);

describe('replay workers of an open recording', () => {
  it('are kept from one verify to the next on a host with idle time, and stopped when it closes', async () => {
    const workers = countedWorkers();
    const inspector = new RecordingInspector(rec, host(workers, true), { data: bytes }, false);
    expect(allVerified(await inspector.verify({ jobs: 2 }))).toBe(true);
    expect(allVerified(await inspector.verify({ jobs: 2 }))).toBe(true);
    expect([workers.started, workers.closed]).toEqual([2, 0]);
    await inspector.close();
    expect(workers.closed).toBe(2);
  });

  it('start in a quiet moment after the first request, before a verify asks for them', async () => {
    const workers = countedWorkers();
    const inspector = new RecordingInspector(rec, host(workers, true), { data: bytes }, false);
    await inspector.registers(rec.snapshots[2].tick + 10n);
    await until(() => workers.started === 2);
    expect(allVerified(await inspector.verify({ jobs: 2 }))).toBe(true);
    expect(workers.started).toBe(2);
    await inspector.close();
  });

  it('are kept for the recording used last only', async () => {
    const workers = countedWorkers();
    const first = new RecordingInspector(rec, host(workers, true), { data: bytes }, false);
    const second = new RecordingInspector(rec, host(workers, true), { data: bytes }, false);
    await first.verify({ jobs: 2 });
    await second.verify({ jobs: 2 });
    await until(() => workers.closed === 2);
    expect(workers.started).toBe(4);
    await Promise.all([first.close(), second.close()]);
    expect(workers.closed).toBe(4);
  });

  it('stop after each verify on a batch host', async () => {
    const workers = countedWorkers();
    const inspector = new RecordingInspector(rec, host(workers, false), { data: bytes }, false);
    expect(allVerified(await inspector.verify({ jobs: 2 }))).toBe(true);
    expect([workers.started, workers.closed]).toEqual([2, 2]);
  });
});

describe('checkpoints of an open recording', () => {
  /** A tick just after the first checkpoint tick of every slice that has one. */
  const afterCheckpoints = () =>
    rec.slices.flatMap((s) => {
      const [first] = checkpointTicks(s.startTick, s.endTick - 1n);
      return first === undefined ? [] : [first + 5n];
    });

  it('are taken in idle time, before the replay workers start, and seeks start from them to the same registers', async () => {
    const workers = countedWorkers();
    const idle = new RecordingInspector(rec, host(workers, true), { data: bytes }, false);
    const batch = new RecordingInspector(rec, host(countedWorkers(), false), { data: bytes }, false);
    const ticks = afterCheckpoints();
    expect(ticks.length).toBeGreaterThan(2);
    await idle.registers(rec.snapshots[1].tick + 10n);
    await until(() => workers.started === 2);
    const resume = vi.spyOn(ReplayMachine.prototype, 'resume');
    try {
      for (const tick of ticks) {
        await idle.registers(0n); // from the start, so the seek cannot run on from where the machine is
        const before = resume.mock.calls.length;
        const regs = await idle.registers(tick);
        expect(resume.mock.calls.length, `a seek to ${tick} resumes a checkpoint`).toBe(before + 1);
        expect(regs).toEqual(await batch.registers(tick));
      }
      // The batch host took none ahead: its first seek into each slice started from the snapshot.
      resume.mockClear();
      const fresh = new RecordingInspector(rec, host(countedWorkers(), false), { data: bytes }, false);
      for (const tick of ticks) {
        await fresh.registers(0n);
        await fresh.registers(tick);
      }
      expect(resume).not.toHaveBeenCalled();
      await fresh.close();
    } finally {
      resume.mockRestore();
      await Promise.all([idle.close(), batch.close()]);
    }
  });

  it('are dropped by the recording sought longest ago once a third one holds some', async () => {
    const tick = afterCheckpoints()[1]!;
    const [a, b, c] = [0, 1, 2].map(() => new RecordingInspector(rec, host(countedWorkers(), false), { data: bytes }, false));
    const resume = vi.spyOn(ReplayMachine.prototype, 'resume');
    try {
      const resumes = async (inspector: RecordingInspector) => {
        await inspector.registers(0n);
        const before = resume.mock.calls.length;
        await inspector.registers(tick);
        return resume.mock.calls.length - before;
      };
      await a.registers(tick); // from the snapshot: takes the checkpoint before the tick
      expect(await resumes(a)).toBe(1);
      await b.registers(tick);
      expect(await resumes(a)).toBe(1); // two recordings keep theirs
      await c.registers(tick); // a third: a was sought after b, so b drops its checkpoints
      expect(await resumes(a)).toBe(1);
      expect(await resumes(b)).toBe(0);
    } finally {
      resume.mockRestore();
      await Promise.all([a!.close(), b!.close(), c!.close()]);
    }
  });
});
