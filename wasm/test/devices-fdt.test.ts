// The machine's own device tree (wasm/assembly/fdt.ts): header fields, and dtc parsing it back
// into the shape of QEMU virt's tree for one hart.
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMachine, type Machine } from './devices-harness';

const hasDtc = spawnSync('dtc', ['--version']).status === 0;

function build(m: Machine, cmdline: string, initrd: [bigint, bigint], seed: number[]): Uint8Array {
  const inp = m.fdtInputPtr();
  const cmd = Buffer.from(cmdline);
  new Uint8Array(m.memory.buffer, inp, cmd.length).set(cmd);
  new Uint8Array(m.memory.buffer, inp + 4096, seed.length).set(seed);
  const n = m.fdtBuild(256n << 20n, inp, cmd.length, initrd[0], initrd[1], inp + 4096, seed.length);
  return new Uint8Array(m.memory.buffer, m.fdtPtr(), n).slice();
}

function toDts(blob: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-fdt-'));
  const path = join(dir, 'board.dtb');
  writeFileSync(path, blob);
  return execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', '-q', path], { encoding: 'utf8' });
}

describe('fdt', () => {
  it('writes a version 17 header whose blocks lie inside the blob', () => {
    const blob = build(loadMachine(), 'console=ttyS0', [0n, 0n], []);
    const v = new DataView(blob.buffer);
    expect(v.getUint32(0)).toBe(0xd00dfeed);
    expect(v.getUint32(4)).toBe(blob.length);
    expect(v.getUint32(20)).toBe(17);
    expect(v.getUint32(24)).toBe(16);
    const offStruct = v.getUint32(8), offStrings = v.getUint32(12), sizeStrings = v.getUint32(32), sizeStruct = v.getUint32(36);
    expect(v.getUint32(16)).toBe(40); // memory reservation map right after the header
    expect(v.getBigUint64(40)).toBe(0n);
    expect(offStruct + sizeStruct).toBeLessThanOrEqual(offStrings);
    expect(offStrings + sizeStrings).toBeLessThanOrEqual(blob.length);
    expect(v.getUint32(offStruct + sizeStruct - 4)).toBe(9); // FDT_END
  });

  it('is byte for byte the tree the machine has booted Linux with (a change here changes every boot)', () => {
    const seed = Array.from({ length: 32 }, (_, i) => i);
    const blob = build(loadMachine(), 'console=ttyS0 root=/dev/vda rw', [0x8800_0000n, 0x8810_0000n], seed);
    expect(blob.length).toBe(2928);
    expect(createHash('sha256').update(blob).digest('hex')).toBe('09859d8dcdcff2328a16cc49cf24261438d292066e3553e30e93361be69086b9');
  });

  it('returns 0 for a command line that does not fit', () => {
    const m = loadMachine();
    expect(m.fdtBuild(256n << 20n, m.fdtInputPtr(), 70_000, 0n, 0n, 0, 0)).toBe(0);
  });

  it.skipIf(!hasDtc)('is parsed back by dtc with the nodes and properties of QEMU virt', () => {
    const seed = Array.from({ length: 32 }, (_, i) => i);
    const dts = toDts(build(loadMachine(), 'console=ttyS0 root=/dev/vda rw', [0x8800_0000n, 0x8810_0000n], seed));
    const node = (path: string) => {
      // the body of the node at the end of `path`, found by its name
      const name = path.split('/').pop()!;
      const start = dts.indexOf(`\t${name} {`);
      expect(start, `node ${path}`).toBeGreaterThanOrEqual(0);
      return dts.slice(start, dts.indexOf('};', start));
    };
    expect(dts).toContain('compatible = "riscv-virtio";');
    expect(dts).toContain('model = "riscv-virtio,qemu";');
    const chosen = node('/chosen');
    expect(chosen).toContain('bootargs = "console=ttyS0 root=/dev/vda rw";');
    expect(chosen).toContain('stdout-path = "/soc/serial@10000000";');
    expect(chosen).toContain('linux,initrd-start = <0x00 0x88000000>;');
    expect(chosen).toContain('linux,initrd-end = <0x00 0x88100000>;');
    expect(chosen).toContain('rng-seed = <0x10203 0x4050607');
    expect(node('/memory@80000000')).toContain('reg = <0x00 0x80000000 0x00 0x10000000>;');
    expect(node('/cpus')).toContain('timebase-frequency = <0x989680>;');
    const cpu = node('/cpus/cpu@0');
    expect(cpu).toContain('riscv,isa = "rv64imafdc_zicntr_zicsr_zifencei_sstc";');
    expect(cpu).toContain('riscv,isa-base = "rv64i";');
    expect(cpu).toContain('riscv,isa-extensions = "i\\0m\\0a\\0f\\0d\\0c\\0zicntr\\0zicsr\\0zifencei\\0sstc";');
    expect(cpu).toContain('mmu-type = "riscv,sv39";');
    const intc = node('/cpus/cpu@0/interrupt-controller');
    expect(intc).toContain('compatible = "riscv,cpu-intc";');
    const intcPhandle = /phandle = <(0x[0-9a-f]+)>/.exec(intc)![1];
    const plic = node('/soc/plic@c000000');
    const plicPhandle = /phandle = <(0x[0-9a-f]+)>/.exec(plic)![1];
    expect(plic).toContain(`interrupts-extended = <${intcPhandle} 0x0b ${intcPhandle} 0x09>;`);
    expect(plic).toContain('riscv,ndev = <0x5f>;');
    expect(plic).toContain('compatible = "sifive,plic-1.0.0\\0riscv,plic0";');
    expect(node('/soc/clint@2000000')).toContain(`interrupts-extended = <${intcPhandle} 0x03 ${intcPhandle} 0x07>;`);
    const serial = node('/soc/serial@10000000');
    expect(serial).toContain('compatible = "ns16550a";');
    expect(serial).toContain('interrupts = <0x0a>;');
    expect(serial).toContain(`interrupt-parent = <${plicPhandle}>;`);
    expect(serial).toContain('reg = <0x00 0x10000000 0x00 0x100>;');
    for (let slot = 0; slot < 8; slot++) {
      const v = node(`/soc/virtio_mmio@1000${slot + 1}000`);
      expect(v).toContain(`interrupts = <0x0${slot + 1}>;`);
      expect(v).toContain('compatible = "virtio,mmio";');
    }
    const test = node('/soc/test@100000');
    const testPhandle = /phandle = <(0x[0-9a-f]+)>/.exec(test)![1];
    expect(node('/poweroff')).toContain(`regmap = <${testPhandle}>;`);
    expect(node('/poweroff')).toContain('value = <0x5555>;');
    expect(node('/reboot')).toContain('value = <0x7777>;');
  });

  it.skipIf(!hasDtc)('leaves out initrd and rng-seed when not given', () => {
    const dts = toDts(build(loadMachine(), '', [0n, 0n], []));
    expect(dts).not.toContain('linux,initrd');
    expect(dts).not.toContain('rng-seed');
    expect(dts).not.toContain('bootargs');
  });
});
