// The state blob walked once (machine.ts stateFields): every field is visited
// by name and width through a StateIO, which saves it (returns the value it
// was given), loads it (returns the stored value) or describes it (records the
// name and width for the host: describeMachine in api/machine.ts, from which
// the build generates src/shared/machine-layout.ts for divergence reports).
// So the save, the load and the names cannot drift apart.
import { StateWriter, StateReader } from './serialize';
import { Device } from './devices/device';

export abstract class StateIO {
  abstract u8(name: string, v: u8): u8;
  abstract u32(name: string, v: u32): u32;
  abstract u64(name: string, v: u64): u64;
  bool(name: string, v: bool): bool { return this.u8(name, v ? 1 : 0) != 0; }
  /** A load that ran out of input or met a wrong tag (never for a save or a description). */
  failed(): bool { return false; }
  /** A section tag (four ASCII characters) and the section's name; false if a loaded tag does not match. */
  abstract tag(t: string, name: string): bool;
  /** A device's section after its tag: its own save/load (variable length, described by the device's name only). */
  abstract device(d: Device, name: string): void;
}

export class StateSaver extends StateIO {
  w: StateWriter = new StateWriter();
  u8(name: string, v: u8): u8 { this.w.u8(v); return v; }
  u32(name: string, v: u32): u32 { this.w.u32(v); return v; }
  u64(name: string, v: u64): u64 { this.w.u64(v); return v; }
  tag(t: string, name: string): bool { this.w.tag(t); return true; }
  device(d: Device, name: string): void { d.save(this.w); }
}

export class StateLoader extends StateIO {
  r: StateReader = new StateReader(0);
  u8(name: string, v: u8): u8 { return this.r.u8(); }
  u32(name: string, v: u32): u32 { return this.r.u32(); }
  u64(name: string, v: u64): u64 { return this.r.u64(); }
  tag(t: string, name: string): bool { return this.r.tag(t); }
  device(d: Device, name: string): void { d.load(this.r); }
  failed(): bool { return this.r.failed; }
}

/** Writes the walk as JSON entries {"name","bytes"} / {"tag","name"} / {"device"} into a JsonText. */
export class StateDescriber extends StateIO {
  constructor(readonly out: JsonText) { super(); }
  private field(name: string, bytes: i32): void {
    this.out.open('{"name":'); this.out.str(name); this.out.raw(',"bytes":'); this.out.int(bytes); this.out.raw('}');
  }
  u8(name: string, v: u8): u8 { this.field(name, 1); return v; }
  u32(name: string, v: u32): u32 { this.field(name, 4); return v; }
  u64(name: string, v: u64): u64 { this.field(name, 8); return v; }
  tag(t: string, name: string): bool {
    this.out.open('{"tag":'); this.out.str(t); this.out.raw(',"name":'); this.out.str(name); this.out.raw('}');
    return true;
  }
  device(d: Device, name: string): void { this.out.open('{"device":'); this.out.str(name); this.out.raw('}'); }
}

/** ASCII JSON written into a fixed buffer (names here hold no quotes or backslashes). */
export class JsonText {
  len: u32 = 0;
  private first: bool = true;
  constructor(readonly ptr: usize, readonly capacity: u32) {}
  reset(): void { this.len = 0; this.first = true; }
  raw(s: string): void {
    for (let i = 0; i < s.length; i++) {
      if (this.len < this.capacity) store<u8>(this.ptr + this.len, <u8>s.charCodeAt(i));
      this.len++;
    }
  }
  /** Starts a list element: a comma unless it is the list's first. */
  open(s: string): void { if (!this.first) this.raw(','); this.first = false; this.raw(s); }
  /** Starts a list: the next open() writes no comma. */
  list(s: string): void { this.raw(s); this.first = true; }
  str(s: string): void { this.raw('"'); this.raw(s); this.raw('"'); }
  int(v: i64): void { this.raw(v.toString()); }
  hex(v: u64): void { this.raw('"0x'); this.raw(v.toString(16)); this.raw('"'); }
  /** True if everything fit. */
  get complete(): bool { return this.len <= this.capacity; }
}
