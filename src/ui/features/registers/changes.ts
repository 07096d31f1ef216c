// What changed between two positions of the hart, by register name.
import { ABI_NAMES } from '../../../shared/riscv';
import type { HartAt } from './hart';

/** The names (pc, ABI names, f0.., CSR names) whose value differs between `before` and `now`. */
export function changedRegisters(before: HartAt | undefined, now: HartAt): Set<string> {
  const changed = new Set<string>();
  if (!before || before.tick === now.tick) return changed;
  if (before.pc !== now.pc) changed.add('pc');
  if (before.priv !== now.priv) changed.add('priv');
  now.x.forEach((v, i) => v !== before.x[i] && changed.add(ABI_NAMES[i]!));
  now.f.forEach((v, i) => v !== before.f[i] && changed.add(`f${i}`));
  const csrBefore = new Map(before.csrs.map((c) => [c.name, c.value]));
  for (const c of now.csrs) if (csrBefore.get(c.name) !== c.value) changed.add(c.name);
  return changed;
}
