// The worker ./machine-worker.ts serves: boots the default image with the JIT
// on or off (./machine-worker-scope.ts) and answers its state hashes at the
// ticks asked.
import { bootConfigFromImage } from '../../src/engine/images';
import { runToTick } from '../../src/engine/machine';
import { serveMachineJobs, type MachineJob, type MachineJobReply } from './machine-worker-scope';

export interface MachineWorkerRequest extends MachineJob { ticks: string[] }
export type MachineWorkerReply = MachineJobReply<{ hashes: string[]; jitExecuted: number }>;

serveMachineJobs((machine, image, { ticks }: MachineWorkerRequest) => {
  machine.boot(bootConfigFromImage(image));
  const hashes = ticks.map((tick) => {
    runToTick(machine, BigInt(tick));
    return machine.stateHash().toString(16).padStart(16, '0');
  });
  return { hashes, jitExecuted: machine.jitStats().executed };
});
