// RAM pages and disk blocks as a recording holds them: 4 KiB units named by
// the sha256 of their content. A unit of zeros is never stored (most of RAM
// is zero); its hash stands for it everywhere.
import type { Sha256 } from '../sha256';
import { PAGE_BYTES } from './format';

/** sha256 of a zero page: never stored, always available. */
export function zeroPageHash(sha256: Sha256): Uint8Array {
  return sha256(new Uint8Array(PAGE_BYTES));
}

/** True if every byte of `unit` is zero (its length a multiple of 4). */
export function isZeroUnit(unit: Uint8Array): boolean {
  const words = new Uint32Array(unit.buffer, unit.byteOffset, unit.length >> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}
