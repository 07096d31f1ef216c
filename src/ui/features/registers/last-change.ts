// The registers panel's search for where a value came from: the register's
// last change at or before the tick within the slice holding it
// (EngineApi.lastRegisterChange), then the one before that.
import { hex64 } from '../../../shared/hexdump';
import { PRIV_NAMES } from '../../../shared/riscv';
import { getEngine } from '../engine/engine';
import type { ChangeSearch } from '../memory/LastChange';

export function registerChangeSearch(id: string, reg: string): ChangeSearch {
  return async (tick) => {
    const answer = await getEngine().api.lastRegisterChange(id, { reg, tick });
    if (!answer.found) return { message: answer.message };
    return { found: { tick: answer.tick, before: answer.before, pc: answer.pc, who: `${PRIV_NAMES[answer.priv] ?? answer.priv}-mode`, old: hex64(answer.old), new: hex64(answer.new) } };
  };
}
