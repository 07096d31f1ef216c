// The one device contract (STYLE.md): MMIO read/write by offset and size in
// bytes (1, 2, 4, 8), state save/load, reset. The bus (bus.ts) maps physical
// ranges to devices; devices raise interrupts through plic.ts or state.ts lines.
import { StateWriter, StateReader } from '../serialize';

export abstract class Device {
  abstract read(offset: u32, size: u32): u64;
  abstract write(offset: u32, value: u64, size: u32): void;
  abstract save(w: StateWriter): void;
  abstract load(r: StateReader): void;
  abstract reset(): void;
}

/** All-ones mask of an access of `size` bytes (1, 2, 4 or 8). */
@inline export function sizeMask(size: u32): u64 {
  return size >= 8 ? 0xffff_ffff_ffff_ffff : ((<u64>1 << (<u64>size << 3)) - 1);
}

/** The `size`-byte window at byte `shift` of a 64-bit register, for sub-word reads. */
@inline export function regRead(reg: u64, byteShift: u32, size: u32): u64 {
  return (reg >> (<u64>byteShift << 3)) & sizeMask(size);
}

/** `reg` with its `size`-byte window at byte `byteShift` replaced by `value`, for sub-word writes. */
@inline export function regMerge(reg: u64, byteShift: u32, value: u64, size: u32): u64 {
  const shift = <u64>byteShift << 3;
  const mask = sizeMask(size) << shift;
  return (reg & ~mask) | ((value << shift) & mask);
}
