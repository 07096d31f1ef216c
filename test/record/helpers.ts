// Shared by the record/replay tests: record a session of the mini guest in
// memory, open it, and replay it on a fresh machine.
import { Machine } from '../../src/engine/machine';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { nodeSha256 } from '../../src/engine/node/hash';
import { Recorder, type RecorderOptions } from '../../src/engine/record/recorder';
import { runSession } from '../../src/engine/record/session';
import { MemorySink } from '../../src/engine/record/writer';
import { bootConfigForRecording, describeBootFiles } from '../../src/engine/replay/boot';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import { openRecording, type OpenOptions, type Recording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { MINI_PROMPT, miniBootConfig, miniBootFiles } from './mini-guest';

let modulePromise: Promise<WebAssembly.Module> | undefined;
export const machineModule = (): Promise<WebAssembly.Module> => (modulePromise ??= compileMachineModule());

export const MINI_COMMANDS = ['hello', 'world', 'foo bar', 'a somewhat longer line of input'];

export interface MiniRecording {
  bytes: Uint8Array;
  transcript: string;
  recorder: Recorder;
}

/** A recorder of the mini guest (booted, snapshot 0 taken) writing to `output`. */
export async function miniRecorder(output: RecorderOptions['output'], options: { sliceTicks?: bigint; commands?: string[] } = {}): Promise<Recorder> {
  const files = miniBootFiles();
  return new Recorder({
    machine: await Machine.create(await machineModule()),
    config: miniBootConfig(files),
    image: { name: 'mini', files: describeBootFiles(files, nodeSha256) },
    output,
    sha256: nodeSha256,
    sliceTicks: options.sliceTicks ?? 2_000_000n,
    createdBy: 'prnr test',
    commands: options.commands ?? MINI_COMMANDS,
  });
}

export async function recordMini(options: { sliceTicks?: bigint; commands?: string[] } = {}): Promise<MiniRecording> {
  const sink = new MemorySink();
  // The writer's options as `prnr record` uses them (nodeWriterOptions: no deflate), so in-thread and worker recordings are byte-identical.
  const recorder = await miniRecorder({ sink }, options);
  const transcript = runSession(recorder, { prompt: MINI_PROMPT, commands: options.commands ?? MINI_COMMANDS });
  return { bytes: sink.bytes(), transcript, recorder };
}

export function open(bytes: Uint8Array, options: Partial<OpenOptions> = {}): Recording {
  return openRecording(bytesSource(bytes), { ...nodeOpenOptions, ...options });
}

export async function replayMachine(rec: Recording): Promise<ReplayMachine> {
  return ReplayMachine.create(await machineModule(), rec, bootConfigForRecording(rec.header, miniBootFiles(), nodeSha256), nodeSha256);
}
