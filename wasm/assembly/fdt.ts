// Flattened device tree writer (Devicetree Specification v0.4, chapter 5):
// header (5.2), memory reservation block (5.3), structure block (5.4) and
// strings block (5.5), all big-endian. The machine describes its own board
// (constants.ts) the way QEMU's virt machine does (hw/riscv/virt.c), for 1 hart.
// The blob is packed (totalsize = used size), as QEMU's is: the loader must leave
// free RAM after it, because OpenSBI grows the tree in place (fdt_open_into) for
// its fixups. XXX: QEMU's rtc, fw-cfg, flash, PCI and pmu nodes have no
// counterpart here (there are no such devices), nor does cpu-map.
import {
  TEST_BASE, TEST_SIZE, CLINT_BASE, CLINT_SIZE, PLIC_BASE, PLIC_SIZE, UART0_BASE, UART0_SIZE, UART0_IRQ,
  VIRTIO_BASE, VIRTIO_STRIDE, VIRTIO_SLOTS, VIRTIO_IRQ0, RAM_BASE, TIMEBASE_HZ, PLIC_SOURCES,
} from './constants';

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

/** The finished blob (fdtBuild's result). */
export const fdtBlob = memory.data(FDT_CAPACITY, 8);
const structBuf = memory.data(STRUCT_CAPACITY, 4);
const stringsBuf = memory.data(STRINGS_CAPACITY);

let structLen: u32 = 0;
let stringsLen: u32 = 0;
let propLenAt: u32 = 0; // where the open property's length field sits
let overflow = false;

// Phandles (DTSpec 2.3.3); QEMU's numbering differs, the references are what count.
const PHANDLE_CPU_INTC: u32 = 1;
const PHANDLE_PLIC: u32 = 2;
const PHANDLE_TEST: u32 = 3;

// Interrupt numbers of the hart-local controller (Privileged spec 3.1.9: mip bit numbers).
const IRQ_M_SOFT: u32 = 3;
const IRQ_M_TIMER: u32 = 7;
const IRQ_S_EXT: u32 = 9;
const IRQ_M_EXT: u32 = 11;

const UART_CLOCK_HZ: u32 = 3686400; // QEMU virt: 0x384000

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
function beginNode(name: string): void {
  structU32(FDT_BEGIN_NODE);
  for (let i = 0; i < name.length; i++) structByte(name.charCodeAt(i));
  structByte(0);
  structAlign();
}
/** Node "name@<hex addr>" (unit address in lowercase hex, no leading zeros: DTSpec 2.2.1). */
function beginNodeAt(name: string, addr: u64): void {
  structU32(FDT_BEGIN_NODE);
  for (let i = 0; i < name.length; i++) structByte(name.charCodeAt(i));
  structByte(0x40); // '@'
  let shift: i32 = 60;
  while (shift > 0 && ((addr >> <u64>shift) & 0xf) == 0) shift -= 4;
  for (; shift >= 0; shift -= 4) {
    const d = <u32>((addr >> <u64>shift) & 0xf);
    structByte(d < 10 ? 0x30 + d : 0x61 + d - 10);
  }
  structByte(0);
  structAlign();
}
function endNode(): void { structU32(FDT_END_NODE); }

// ---- properties: propBegin, then values, then propEnd patches the length and pads.
function propBegin(name: string): void {
  structU32(FDT_PROP);
  propLenAt = structLen;
  structU32(0);
  structU32(stringOffset(name));
}
function propEnd(): void {
  if (overflow) return;
  store<u32>(structBuf + propLenAt, bswap32(structLen - propLenAt - 8));
  structAlign();
}
function cell(v: u32): void { structU32(v); }
function cell64(v: u64): void { structU32(<u32>(v >> 32)); structU32(<u32>v); }
/** Appends a string and its NUL; a literal holding "\0" separators makes a stringlist. */
function strValue(s: string): void { for (let i = 0; i < s.length; i++) structByte(s.charCodeAt(i)); structByte(0); }

function propEmpty(name: string): void { propBegin(name); propEnd(); }
function propU32(name: string, v: u32): void { propBegin(name); cell(v); propEnd(); }
function propU64(name: string, v: u64): void { propBegin(name); cell64(v); propEnd(); }
function propStr(name: string, s: string): void { propBegin(name); strValue(s); propEnd(); }
function propBytes(name: string, ptr: usize, len: u32): void {
  propBegin(name);
  for (let i: u32 = 0; i < len; i++) structByte(<u32>load<u8>(ptr + i));
  propEnd();
}
/** reg = <addr size> with #address-cells = #size-cells = 2. */
function propReg(base: u64, size: u64): void { propBegin('reg'); cell64(base); cell64(size); propEnd(); }

function virtioNode(slot: u32): void {
  const base = VIRTIO_BASE + <u64>slot * VIRTIO_STRIDE;
  beginNodeAt('virtio_mmio', base);
  propU32('interrupts', VIRTIO_IRQ0 + slot);
  propU32('interrupt-parent', PHANDLE_PLIC);
  propReg(base, VIRTIO_STRIDE);
  propStr('compatible', 'virtio,mmio');
  endNode();
}

function buildStructure(ramSize: u64, cmdlinePtr: usize, cmdlineLen: u32, initrdStart: u64, initrdEnd: u64,
  rngSeedPtr: usize, rngSeedLen: u32): void {
  beginNode('');
  propU32('#address-cells', 2);
  propU32('#size-cells', 2);
  propStr('compatible', 'riscv-virtio');
  propStr('model', 'riscv-virtio,qemu');

  beginNode('chosen');
  if (cmdlineLen > 0) {
    propBegin('bootargs');
    for (let i: u32 = 0; i < cmdlineLen; i++) structByte(<u32>load<u8>(cmdlinePtr + i));
    structByte(0);
    propEnd();
  }
  propStr('stdout-path', '/soc/serial@10000000');
  if (initrdEnd > initrdStart) {
    propU64('linux,initrd-start', initrdStart);
    propU64('linux,initrd-end', initrdEnd);
  }
  if (rngSeedLen > 0) propBytes('rng-seed', rngSeedPtr, rngSeedLen);
  endNode();

  // Linux's syscon-poweroff / syscon-reboot drivers write `value` at `offset` of the regmap.
  beginNode('poweroff');
  propU32('value', 0x5555);
  propU32('offset', 0);
  propU32('regmap', PHANDLE_TEST);
  propStr('compatible', 'syscon-poweroff');
  endNode();
  beginNode('reboot');
  propU32('value', 0x7777);
  propU32('offset', 0);
  propU32('regmap', PHANDLE_TEST);
  propStr('compatible', 'syscon-reboot');
  endNode();

  beginNodeAt('memory', RAM_BASE);
  propStr('device_type', 'memory');
  propReg(RAM_BASE, ramSize);
  endNode();

  beginNode('cpus');
  propU32('#address-cells', 1);
  propU32('#size-cells', 0);
  propU32('timebase-frequency', <u32>TIMEBASE_HZ);
  beginNodeAt('cpu', 0);
  propStr('device_type', 'cpu');
  propU32('reg', 0);
  propStr('status', 'okay');
  propStr('compatible', 'riscv');
  // Linux 6.1 (arch/riscv/kernel/cpufeature.c) parses riscv,isa: single letters after
  // "rv64", then '_'-separated multi-letter names; unknown ones (zicntr) are skipped.
  propStr('riscv,isa', 'rv64imafdc_zicntr_zicsr_zifencei_sstc');
  // Newer kernels (6.7+) prefer these two (DT binding riscv/extensions.yaml).
  propStr('riscv,isa-base', 'rv64i');
  propStr('riscv,isa-extensions', 'i\0m\0a\0f\0d\0c\0zicntr\0zicsr\0zifencei\0sstc');
  propStr('mmu-type', 'riscv,sv39');
  beginNode('interrupt-controller');
  propU32('#interrupt-cells', 1);
  propEmpty('interrupt-controller');
  propStr('compatible', 'riscv,cpu-intc');
  propU32('phandle', PHANDLE_CPU_INTC);
  endNode();
  endNode(); // cpu@0
  endNode(); // cpus

  beginNode('soc');
  propU32('#address-cells', 2);
  propU32('#size-cells', 2);
  propStr('compatible', 'simple-bus');
  propEmpty('ranges');

  beginNodeAt('serial', UART0_BASE);
  propU32('interrupts', UART0_IRQ);
  propU32('interrupt-parent', PHANDLE_PLIC);
  propU32('clock-frequency', UART_CLOCK_HZ);
  propReg(UART0_BASE, UART0_SIZE);
  propStr('compatible', 'ns16550a');
  endNode();

  beginNodeAt('test', TEST_BASE);
  propU32('phandle', PHANDLE_TEST);
  propReg(TEST_BASE, TEST_SIZE);
  propStr('compatible', 'sifive,test1\0sifive,test0\0syscon');
  endNode();

  // QEMU lists the slots from the last to the first; so do we.
  for (let slot = <i32>VIRTIO_SLOTS - 1; slot >= 0; slot--) virtioNode(<u32>slot);

  beginNodeAt('plic', PLIC_BASE);
  propU32('phandle', PHANDLE_PLIC);
  propU32('riscv,ndev', PLIC_SOURCES - 1); // sources 1..PLIC_SOURCES-1
  propReg(PLIC_BASE, PLIC_SIZE);
  propBegin('interrupts-extended');
  cell(PHANDLE_CPU_INTC); cell(IRQ_M_EXT);
  cell(PHANDLE_CPU_INTC); cell(IRQ_S_EXT);
  propEnd();
  propEmpty('interrupt-controller');
  propStr('compatible', 'sifive,plic-1.0.0\0riscv,plic0');
  propU32('#address-cells', 0);
  propU32('#interrupt-cells', 1);
  endNode();

  beginNodeAt('clint', CLINT_BASE);
  propBegin('interrupts-extended');
  cell(PHANDLE_CPU_INTC); cell(IRQ_M_SOFT);
  cell(PHANDLE_CPU_INTC); cell(IRQ_M_TIMER);
  propEnd();
  propReg(CLINT_BASE, CLINT_SIZE);
  propStr('compatible', 'sifive,clint0\0riscv,clint0');
  endNode();

  endNode(); // soc
  endNode(); // root
  structU32(FDT_END);
}

/**
 * Builds the board's device tree into fdtBlob. Returns the blob length, or 0
 * if it does not fit (FDT_CAPACITY), e.g. for an oversized command line.
 */
export function fdtBuildBlob(ramSize: u64, cmdlinePtr: usize, cmdlineLen: u32, initrdStart: u64, initrdEnd: u64,
  rngSeedPtr: usize, rngSeedLen: u32): u32 {
  structLen = 0;
  stringsLen = 0;
  overflow = false;
  buildStructure(ramSize, cmdlinePtr, cmdlineLen, initrdStart, initrdEnd, rngSeedPtr, rngSeedLen);
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
