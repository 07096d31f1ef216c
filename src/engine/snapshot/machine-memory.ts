// RAM and disk of a Machine as the snapshot code sees them: 4 KiB units with
// dirty bytes. RAM goes through Machine's public API; the disk has no accessor
// on Machine yet, so it is read from the wasm exports directly.
// XXX: move diskView/diskDirty/clearDiskDirty into Machine when it grows disk accessors.
import type { Machine, MachineExports } from '../machine';
import { PAGE_BYTES } from '../../shared/recording/format';

function exportsOf(machine: Machine): MachineExports {
  return (machine as unknown as { exports: MachineExports }).exports;
}

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
  const e = exportsOf(machine);
  const units = e.diskBlocks();
  const bytes = Number(e.diskSize());
  return {
    view: () => new Uint8Array(e.memory.buffer, e.diskPtr(), bytes),
    dirty: () => new Uint8Array(e.memory.buffer, e.diskDirtyMapPtr(), units),
    clearDirty: () => e.diskClearDirty(),
    units,
  };
}
