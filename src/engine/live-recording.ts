// A live session under a Recorder (docs/design.md 3): "Record" boots a fresh
// machine under a Recorder, which takes snapshot 0 right after the boot, and
// the live session then runs the recorder instead of the bare machine, paced
// to the wall clock as usual. Every byte the user types is injected between
// runs and logged at its tick; every sliceTicks ticks the recorder stops on
// the boundary and hands a capture to its pipeline, which hashes and writes it
// elsewhere (the browser: a snapshot worker appending to an OPFS file). A
// recording cannot start from the middle of a running session: snapshot 0
// lists the units the boot wrote, whose content replay takes from the image.
// Runtime-neutral.
import type { LiveMachine } from './live-session';
import { StopReason } from './machine';
import type { Recorder } from './record/recorder';
import type { SnapshotPipeline } from './record/snapshot-processor';

/** What a recorded live session's recording is, once finished. */
export interface LiveRecording {
  /** The host's name for the finished file (the browser: in OPFS). */
  file: string;
  /** The recording's digest (hex): RecordingInfo.id once opened. */
  id: string;
  bytes: number;
  /** The tick of its last snapshot. */
  endTick: bigint;
  slices: number;
}

/** A pipeline that writes a live recording somewhere the host keeps it. */
export interface LiveRecordingPipeline extends SnapshotPipeline {
  /** True while so many snapshots wait to be written that the machine should wait too. */
  readonly saturated: boolean;
  /** After finish(): resolves once END is written and the file published under its final name. */
  finished(): Promise<{ file: string; digest: string; bytes: number }>;
  /** Stops without finishing (the session failed): what was written stays, as a recording cut off at its last snapshot. */
  abandon(): Promise<void>;
}

/**
 * The recorder as a live session sees it: the recorder's run (which stops on
 * every snapshot boundary) and its logged input, and no run at all while the
 * pipeline is saturated (the session yields and comes back, as for a busy guest).
 */
export class RecordingLiveMachine implements LiveMachine {
  constructor(
    readonly recorder: Recorder,
    private readonly canRun: () => boolean,
  ) {}

  get tick(): bigint {
    return this.recorder.tick;
  }

  get instructions(): bigint {
    return this.recorder.machine.instructions;
  }

  get powerOffCode(): number {
    return this.recorder.machine.powerOffCode;
  }

  run(untilTick: bigint): StopReason {
    if (!this.canRun()) return StopReason.budget;
    return this.recorder.run(untilTick);
  }

  drainConsole(): Uint8Array {
    return this.recorder.drainConsole();
  }

  typeInput(bytes: Uint8Array): number {
    return this.recorder.typeInput(bytes);
  }
}

/** Finishes a recorded session's recording: a last snapshot where it stopped, INDEX and END; resolves once the file is complete. */
export async function finishLiveRecording(recorder: Recorder, pipeline: LiveRecordingPipeline): Promise<LiveRecording> {
  recorder.finish();
  const done = await pipeline.finished();
  const last = recorder.stats[recorder.stats.length - 1];
  return { file: done.file, id: done.digest, bytes: done.bytes, endTick: last.tick, slices: recorder.stats.length - 1 };
}
