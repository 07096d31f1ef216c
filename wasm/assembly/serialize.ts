// Little-endian writer/reader over one fixed buffer in linear memory, used by
// every device's save()/load(). Layout is positional: each component writes a
// 4-byte tag first so that load() can name the component that does not match.

export const STATE_CAPACITY: usize = 4 << 20;
export const stateBuf: usize = heap.alloc(STATE_CAPACITY);

export class StateWriter {
  pos: usize = 0;
  u8(v: u8): void { store<u8>(stateBuf + this.pos, v); this.pos += 1; }
  u32(v: u32): void { store<u32>(stateBuf + this.pos, v); this.pos += 4; }
  u64(v: u64): void { store<u64>(stateBuf + this.pos, v); this.pos += 8; }
  bool(v: bool): void { this.u8(v ? 1 : 0); }
  bytes(src: usize, len: usize): void { memory.copy(stateBuf + this.pos, src, len); this.pos += len; }
  /** Section tag: four ASCII characters packed little-endian, e.g. tag("UART"). */
  tag(t: string): void { this.u32(tagValue(t)); }
}

export class StateReader {
  pos: usize = 0;
  len: usize = 0;
  /** Set when the input ran out or a tag did not match; readers then return zeros. */
  failed: bool = false;
  failedTag: u32 = 0;
  constructor(len: usize) { this.len = len; }
  /** Starts over on the first `len` bytes of the state buffer. */
  restart(len: usize): void { this.pos = 0; this.len = len; this.failed = false; this.failedTag = 0; }
  private has(n: usize): bool {
    if (this.failed || this.pos + n > this.len) { this.failed = true; return false; }
    return true;
  }
  u8(): u8 { if (!this.has(1)) return 0; const v = load<u8>(stateBuf + this.pos); this.pos += 1; return v; }
  u32(): u32 { if (!this.has(4)) return 0; const v = load<u32>(stateBuf + this.pos); this.pos += 4; return v; }
  u64(): u64 { if (!this.has(8)) return 0; const v = load<u64>(stateBuf + this.pos); this.pos += 8; return v; }
  bool(): bool { return this.u8() != 0; }
  bytes(dst: usize, len: usize): void { if (!this.has(len)) return; memory.copy(dst, stateBuf + this.pos, len); this.pos += len; }
  /** Checks a section tag; on mismatch marks the reader failed and remembers the expected tag. */
  tag(t: string): bool {
    const want = tagValue(t);
    const got = this.u32();
    if (got != want) { if (!this.failed || this.failedTag == 0) this.failedTag = want; this.failed = true; return false; }
    return true;
  }
}

export function tagValue(t: string): u32 {
  let v: u32 = 0;
  for (let i = 0; i < 4; i++) v |= (<u32>(i < t.length ? t.charCodeAt(i) : 32) & 0xff) << (<u32>i * 8);
  return v;
}
