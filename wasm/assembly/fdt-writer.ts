// Flattened device tree writer (Devicetree Specification v0.4, chapter 5):
// header (5.2), memory reservation block (5.3), structure block (5.4) and
// strings block (5.5), all big-endian. fdt.ts writes the board's tree with it;
// each MMIO device writes its own node (Device.dtNode). The blob is packed
// (totalsize = used size), as QEMU's is: the loader must leave free RAM after
// it, because OpenSBI grows the tree in place (fdt_open_into) for its fixups.

const FDT_MAGIC: u32 = 0xd00dfeed;
const FDT_VERSION: u32 = 17;
const FDT_LAST_COMP_VERSION: u32 = 16;
const FDT_BEGIN_NODE: u32 = 1;
const FDT_END_NODE: u32 = 2;
const FDT_PROP: u32 = 3;
const FDT_END: u32 = 9;
const HEADER_SIZE: u32 = 40;
const RSVMAP_SIZE: u32 = 16; // one terminating (0, 0) entry

export const FDT_CAPACITY: u32 = 64 * 1024;
const STRUCT_CAPACITY: u32 = 48 * 1024;
const STRINGS_CAPACITY: u32 = 4 * 1024;

/** The finished blob (fdtFinish's result). */
export const fdtBlob = memory.data(FDT_CAPACITY, 8);
const structBuf = memory.data(STRUCT_CAPACITY, 4);
const stringsBuf = memory.data(STRINGS_CAPACITY);

let structLen: u32 = 0;
let stringsLen: u32 = 0;
let propLenAt: u32 = 0; // where the open property's length field sits
let overflow = false;

// Phandles of the board (DTSpec 2.3.3); QEMU's numbering differs, the references are what count.
export const PHANDLE_CPU_INTC: u32 = 1;
export const PHANDLE_PLIC: u32 = 2;
export const PHANDLE_TEST: u32 = 3;

// Interrupt numbers of the hart-local controller (Privileged spec 3.1.9: mip bit numbers).
export const INTC_M_SOFT: u32 = 3;
export const INTC_M_TIMER: u32 = 7;
export const INTC_S_EXT: u32 = 9;
export const INTC_M_EXT: u32 = 11;

@inline function bswap32(v: u32): u32 { return bswap<u32>(v); }

function structByte(b: u32): void {
  if (structLen >= STRUCT_CAPACITY) { overflow = true; return; }
  store<u8>(structBuf + structLen, <u8>b);
  structLen++;
}
function structU32(v: u32): void {
  if (structLen + 4 > STRUCT_CAPACITY) { overflow = true; return; }
  store<u32>(structBuf + structLen, bswap32(v));
  structLen += 4;
}
function structAlign(): void { while ((structLen & 3) != 0 && !overflow) structByte(0); }
function structString(s: string): void { for (let i = 0; i < s.length; i++) structByte(s.charCodeAt(i)); }
/** A unit address: lowercase hex, no leading zeros (DTSpec 2.2.1). */
function structHex(addr: u64): void {
  let shift: i32 = 60;
  while (shift > 0 && ((addr >> <u64>shift) & 0xf) == 0) shift -= 4;
  for (; shift >= 0; shift -= 4) {
    const d = <u32>((addr >> <u64>shift) & 0xf);
    structByte(d < 10 ? 0x30 + d : 0x61 + d - 10);
  }
}

/** Offset of `name` in the strings block, appending it if new (5.5: NUL-terminated names). */
function stringOffset(name: string): u32 {
  const n = <u32>name.length;
  let at: u32 = 0;
  while (at < stringsLen) {
    let end = at;
    while (load<u8>(stringsBuf + end) != 0) end++;
    if (end - at == n) {
      let same = true;
      for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(stringsBuf + at + i) != <u32>name.charCodeAt(i)) { same = false; break; }
      if (same) return at;
    }
    at = end + 1;
  }
  if (stringsLen + n + 1 > STRINGS_CAPACITY) { overflow = true; return 0; }
  for (let i: u32 = 0; i < n; i++) store<u8>(stringsBuf + stringsLen + i, <u8>name.charCodeAt(i));
  store<u8>(stringsBuf + stringsLen + n, 0);
  stringsLen += n + 1;
  return at;
}

// ---- nodes
export function beginNode(name: string): void {
  structU32(FDT_BEGIN_NODE);
  structString(name);
  structByte(0);
  structAlign();
}
/** Node "name@<hex addr>" (DTSpec 2.2.1). */
export function beginNodeAt(name: string, addr: u64): void {
  structU32(FDT_BEGIN_NODE);
  structString(name);
  structByte(0x40); // '@'
  structHex(addr);
  structByte(0);
  structAlign();
}
export function endNode(): void { structU32(FDT_END_NODE); }

// ---- properties: propBegin, then values, then propEnd patches the length and pads.
export function propBegin(name: string): void {
  structU32(FDT_PROP);
  propLenAt = structLen;
  structU32(0);
  structU32(stringOffset(name));
}
export function propEnd(): void {
  if (overflow) return;
  store<u32>(structBuf + propLenAt, bswap32(structLen - propLenAt - 8));
  structAlign();
}
export function cell(v: u32): void { structU32(v); }
export function cell64(v: u64): void { structU32(<u32>(v >> 32)); structU32(<u32>v); }
/** Appends a string and its NUL; a literal holding "\0" separators makes a stringlist. */
export function strValue(s: string): void { structString(s); structByte(0); }

export function propEmpty(name: string): void { propBegin(name); propEnd(); }
export function propU32(name: string, v: u32): void { propBegin(name); cell(v); propEnd(); }
export function propU64(name: string, v: u64): void { propBegin(name); cell64(v); propEnd(); }
export function propStr(name: string, s: string): void { propBegin(name); strValue(s); propEnd(); }
export function propBytes(name: string, ptr: usize, len: u32): void {
  propBegin(name);
  for (let i: u32 = 0; i < len; i++) structByte(<u32>load<u8>(ptr + i));
  propEnd();
}
/** A bytes property holding a NUL-terminated string taken from memory (e.g. the command line). */
export function propStrFrom(name: string, ptr: usize, len: u32): void {
  propBegin(name);
  for (let i: u32 = 0; i < len; i++) structByte(<u32>load<u8>(ptr + i));
  structByte(0);
  propEnd();
}
/** A path property "<prefix><name>@<hex addr>", e.g. "/soc/serial@10000000". */
export function propPathAt(name: string, prefix: string, nodeName: string, addr: u64): void {
  propBegin(name);
  structString(prefix);
  structString(nodeName);
  structByte(0x40);
  structHex(addr);
  structByte(0);
  propEnd();
}
/** reg = <addr size> with #address-cells = #size-cells = 2. */
export function propReg(base: u64, size: u64): void { propBegin('reg'); cell64(base); cell64(size); propEnd(); }

// ---- the blob

/** Starts a new tree. */
export function fdtBegin(): void {
  structLen = 0;
  stringsLen = 0;
  overflow = false;
}

/** Ends the structure block and assembles the blob in fdtBlob; its length, or 0 if it does not fit. */
export function fdtFinish(): u32 {
  structU32(FDT_END);
  const offStruct = HEADER_SIZE + RSVMAP_SIZE;
  const offStrings = offStruct + structLen;
  const total = (offStrings + stringsLen + 7) & ~7;
  if (overflow || total > FDT_CAPACITY) return 0;
  memory.fill(fdtBlob, 0, total);
  store<u32>(fdtBlob + 0, bswap32(FDT_MAGIC));
  store<u32>(fdtBlob + 4, bswap32(total));
  store<u32>(fdtBlob + 8, bswap32(offStruct));
  store<u32>(fdtBlob + 12, bswap32(offStrings));
  store<u32>(fdtBlob + 16, bswap32(HEADER_SIZE)); // off_mem_rsvmap: the terminating entry only
  store<u32>(fdtBlob + 20, bswap32(FDT_VERSION));
  store<u32>(fdtBlob + 24, bswap32(FDT_LAST_COMP_VERSION));
  store<u32>(fdtBlob + 28, 0); // boot_cpuid_phys
  store<u32>(fdtBlob + 32, bswap32(stringsLen));
  store<u32>(fdtBlob + 36, bswap32(structLen));
  memory.copy(fdtBlob + offStruct, structBuf, structLen);
  memory.copy(fdtBlob + offStrings, stringsBuf, stringsLen);
  return total;
}
