// RAM and disk of a Machine as the snapshot code sees them: 4 KiB units with
// dirty bytes, through Machine's public API.
import type { Machine } from '../machine';
import { PAGE_BYTES } from '../../shared/recording/format';

export interface MemoryArea {
  /** The bytes (a live view: re-read after every call into the machine). */
  view(): Uint8Array;
  /** One byte per 4 KiB unit, non-zero if written since the last clear (live view). */
  dirty(): Uint8Array;
  clearDirty(): void;
  units: number;
}

export function ramArea(machine: Machine): MemoryArea {
  return {
    view: () => machine.ramView(),
    dirty: () => machine.dirtyPages(),
    clearDirty: () => machine.clearDirtyPages(),
    units: machine.ramView().length / PAGE_BYTES,
  };
}

export function diskArea(machine: Machine): MemoryArea {
  return {
    view: () => machine.diskView(),
    dirty: () => machine.dirtyDiskBlocks(),
    clearDirty: () => machine.clearDirtyDiskBlocks(),
    units: machine.dirtyDiskBlocks().length,
  };
}
