// The hart at a tick: pc, privilege, x and f registers and the common CSRs, in one seek.
import { getEngine } from '../engine/engine';
import { machineKey, recordingKey, useAtTick, useLatestTick } from '../recording/queries';
import { CSR_NUMBERS, DEFAULT_CSRS } from '../../../shared/riscv';
import type { HartAt } from './hart';

export type { HartAt } from './hart';

export const machinePrefix = (id: string) => [...recordingKey(id), 'machine'] as const;

/** The tick the machine panels compute now: the playhead's, or the one still being computed (latest wins). */
export function useMachineTick(id: string, tick: bigint): bigint {
  return useLatestTick(machinePrefix(id), tick);
}

export const hartKey = (id: string, tick: bigint) => [...machineKey(id, tick), 'hart'] as const;

export function fetchHart(id: string, tick: bigint): Promise<HartAt> {
  return getEngine().api.registersAt(id, tick, DEFAULT_CSRS.map((name) => CSR_NUMBERS[name]!));
}

export function useHartAt(id: string, tick: bigint) {
  return useAtTick(hartKey(id, tick), () => fetchHart(id, tick));
}
