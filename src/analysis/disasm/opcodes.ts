// objdump's opcode table for RV64GC, in its order, and the lookup that finds
// a word's row. The table order is binutils' (I with its compressed
// aliases, A, M, F, D, the "c." hints, Zicsr and privileged); rows of
// extensions RV64GC lacks (Zb*, V, H, Zfh, Q, ...) never print for an
// rv64gc target and are not here, so their encodings print as .4byte.
import { ATOMIC_OPCODES, MULDIV_OPCODES } from './opcodes-ext.ts';
import { BASE_OPCODES } from './opcodes-base.ts';
import { DOUBLE_OPCODES, FLOAT_OPCODES } from './opcodes-fp.ts';
import { COMPRESSED_HINT_OPCODES, SYSTEM_OPCODES } from './opcodes-system.ts';
import type { Opcode } from './opcode.ts';

export const OPCODES: readonly Opcode[] = [
  ...BASE_OPCODES, ...ATOMIC_OPCODES, ...MULDIV_OPCODES, ...FLOAT_OPCODES, ...DOUBLE_OPCODES,
  ...COMPRESSED_HINT_OPCODES, ...SYSTEM_OPCODES,
];

/** binutils' OP_HASH_IDX: the quadrant of a 16-bit word, the major opcode of a longer one. */
const bucketOf = (word: number) => word & ((word & 3) === 3 ? 0x7f : 0x3);

/** The rows of each bucket, in table order. */
const BUCKETS: readonly Opcode[][] = (() => {
  const buckets: Opcode[][] = Array.from({ length: 128 }, () => []);
  for (const row of OPCODES) buckets[bucketOf(row.match)].push(row);
  return buckets;
})();

/** The row objdump prints `word` (a 16- or 32-bit instruction) with, if any. */
export function findOpcode(word: number): Opcode | undefined {
  for (const row of BUCKETS[bucketOf(word)]) {
    if (((word ^ row.match) & row.mask) === 0 && (row.test === undefined || row.test(word))) return row;
  }
  return undefined;
}
