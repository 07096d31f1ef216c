// The memory panel's search for where a value came from: EngineApi.lastWrite
// over the selected bytes, virtual ones translated at the tick they are
// shown at (the page table there), the write before searched at the same
// physical bytes.
import * as Comlink from 'comlink';
import type { LastWriteListener } from '../../../engine/engine-api';
import { writeKindText, writerText } from '../../../analysis/write-text';
import { getEngine } from '../engine/engine';
import type { ChangeSearch } from './LastChange';
import { valueText, type MemorySelection } from './selection';

/** `satp`: the page table the panel's virtual view was read through (undefined: physical). */
export function lastWriteSearch(id: string, selection: MemorySelection, satp: bigint | undefined): ChangeSearch {
  return async (tick, previous, onProgress) => {
    const query = previous?.paddr !== undefined ? { addr: previous.paddr, length: selection.size, tick } : { addr: selection.addr, length: selection.size, tick, satp };
    const listener = Comlink.proxy<LastWriteListener>({ onProgress: (p) => onProgress(`searched ${p.searched} of ${p.total} slices…`) });
    const answer = await getEngine().api.lastWrite(id, query, listener);
    if (!answer.found) return { message: answer.message };
    const w = answer.write;
    return { found: { tick: w.tick, before: answer.before, pc: w.pc, place: w.place, who: `${writerText(w)}, ${w.where}`, how: writeKindText(w), old: valueText(w.old), new: valueText(w.new), paddr: answer.paddr } };
  };
}
