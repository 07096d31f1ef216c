// Guest memory at a tick: physical, or virtual through the page table (satp) at that tick.
import type { AddressSpace } from '../../app/share-state';
import { getEngine } from '../engine/engine';
import { machineKey, useAtTick } from '../recording/queries';

/** Bytes the panel shows at once. */
export const MEMORY_BYTES = 256;

export function useMemoryAt(id: string, tick: bigint, space: AddressSpace, addr: bigint | undefined) {
  return useAtTick(
    [...machineKey(id, tick), 'memory', space, addr?.toString() ?? null],
    () => (space === 'phys' ? getEngine().api.readPhysAt(id, tick, addr!, MEMORY_BYTES) : getEngine().api.readVirtAt(id, tick, addr!, MEMORY_BYTES)),
    addr !== undefined,
  );
}
