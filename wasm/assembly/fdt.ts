// The board's device tree (DTSpec v0.4; writer in fdt-writer.ts), described
// the way QEMU's virt machine does it (hw/riscv/virt.c) for one hart: the
// root, /chosen, the syscon poweroff and reboot nodes, memory, the CPU and its
// interrupt controller, and /soc, whose children each device writes itself
// (Device.dtNode, in the order of the board table's dtRank, bus.ts). XXX:
// QEMU's rtc, fw-cfg, flash, PCI and pmu nodes have no counterpart here (there
// are no such devices), nor does cpu-map.
import { UART0_BASE, RAM_BASE, TIMEBASE_HZ } from './constants';
import {
  fdtBegin, fdtFinish, beginNode, beginNodeAt, endNode, propEmpty, propU32, propU64, propStr, propBytes, propStrFrom,
  propPathAt, propReg, PHANDLE_CPU_INTC, PHANDLE_TEST,
} from './fdt-writer';
import { devicesDtNodes } from './bus';
import { UART_DT_NAME } from './devices/uart';
import { FINISHER_PASS, FINISHER_RESET } from './devices/sifive-test';

export { fdtBlob, FDT_CAPACITY } from './fdt-writer';

function buildStructure(ramSize: u64, cmdlinePtr: usize, cmdlineLen: u32, initrdStart: u64, initrdEnd: u64,
  rngSeedPtr: usize, rngSeedLen: u32): void {
  beginNode('');
  propU32('#address-cells', 2);
  propU32('#size-cells', 2);
  propStr('compatible', 'riscv-virtio');
  propStr('model', 'riscv-virtio,qemu');

  beginNode('chosen');
  if (cmdlineLen > 0) propStrFrom('bootargs', cmdlinePtr, cmdlineLen);
  propPathAt('stdout-path', '/soc/', UART_DT_NAME, UART0_BASE);
  if (initrdEnd > initrdStart) {
    propU64('linux,initrd-start', initrdStart);
    propU64('linux,initrd-end', initrdEnd);
  }
  if (rngSeedLen > 0) propBytes('rng-seed', rngSeedPtr, rngSeedLen);
  endNode();

  // Linux's syscon-poweroff / syscon-reboot drivers write `value` at `offset` of the regmap (sifive_test).
  beginNode('poweroff');
  propU32('value', FINISHER_PASS);
  propU32('offset', 0);
  propU32('regmap', PHANDLE_TEST);
  propStr('compatible', 'syscon-poweroff');
  endNode();
  beginNode('reboot');
  propU32('value', FINISHER_RESET);
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
  devicesDtNodes();
  endNode(); // soc
  endNode(); // root
}

/**
 * Builds the board's device tree into fdtBlob. Returns the blob length, or 0
 * if it does not fit (FDT_CAPACITY), e.g. for an oversized command line.
 */
export function fdtBuildBlob(ramSize: u64, cmdlinePtr: usize, cmdlineLen: u32, initrdStart: u64, initrdEnd: u64,
  rngSeedPtr: usize, rngSeedLen: u32): u32 {
  fdtBegin();
  buildStructure(ramSize, cmdlinePtr, cmdlineLen, initrdStart, initrdEnd, rngSeedPtr, rngSeedLen);
  return fdtFinish();
}
