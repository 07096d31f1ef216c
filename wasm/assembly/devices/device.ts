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
