// The one device contract (STYLE.md): MMIO read/write by offset and size in
// bytes (1, 2, 4, 8), reset, state save/load, and the device's own node in the
// device tree. The board table (bus.ts) maps each device to its physical range
// and IRQ, writes the state tags and iterates the devices for every one of
// these; devices raise interrupts through plic.ts (at `irq`) or state.ts lines.
import { StateWriter, StateReader } from '../serialize';

/** A device without a PLIC interrupt line (PLIC source 0 does not exist). */
export const NO_IRQ: u32 = 0;

export abstract class Device {
  /** The PLIC source the board wires this device to (NO_IRQ for none); set by the board table. */
  irq: u32 = NO_IRQ;
  abstract read(offset: u32, size: u32): u64;
  abstract write(offset: u32, value: u64, size: u32): void;
  /** Power-on state. Runs after the PLIC's reset, so a device may drive its line. */
  abstract reset(): void;
  /** Appends the device's state; the board writes the section tag before it. */
  abstract save(w: StateWriter): void;
  /** Reads what save wrote (the board has checked the tag); a short input leaves r.failed set. */
  abstract load(r: StateReader): void;
  /** Writes the device's node under /soc (fdt-writer.ts), at `base` with `size` bytes and the device's irq. */
  abstract dtNode(base: u64, size: u64): void;
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
