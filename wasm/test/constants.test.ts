// The generated constants module (scripts/build-wasm.mjs from wasm/assembly/constants.ts)
// states what the built machine does: each fact checked against the machine itself.
import { describe, it, expect } from 'vitest';
import * as C from '../build/constants';
import { loadMachine, rd, wr, u64, RAM_BYTES } from './devices-harness';

describe('generated machine constants', () => {
  it('carry the API version the machine reports and the state header it writes', () => {
    const m = loadMachine();
    expect(m.apiVersion()).toBe(C.MACHINE_API_VERSION);
    const len = m.saveState();
    const header = new DataView(m.memory.buffer, m.stateBufferPtr(), len);
    expect(header.getUint32(0, true)).toBe(C.STATE_MAGIC);
    expect(header.getUint32(4, true)).toBe(C.STATE_VERSION);
  });

  it('place RAM, the page size and the reset pc where the machine has them', () => {
    const m = loadMachine();
    expect(u64(m.getPc())).toBe(C.RAM_BASE);
    expect(m.ramPageCount()).toBe(RAM_BYTES / Number(C.PAGE_SIZE));
    expect(1n << BigInt(C.PAGE_SIZE_LOG2)).toBe(C.PAGE_SIZE);
    m.mmioRead(C.RAM_BASE - 8n, 8);
    expect(m.mmioFault()).toBe(1); // RAM is not MMIO, and nothing else sits below it
  });

  it('place every device at its base, and nothing right after it', () => {
    const m = loadMachine();
    const devices: Array<[string, bigint, bigint]> = [
      ['sifive_test', C.TEST_BASE, C.TEST_SIZE], ['CLINT', C.CLINT_BASE, C.CLINT_SIZE], ['PLIC', C.PLIC_BASE, C.PLIC_SIZE],
      ['UART', C.UART0_BASE, C.UART0_SIZE], ['virtio', C.VIRTIO_BASE, C.VIRTIO_STRIDE * BigInt(C.VIRTIO_SLOTS)],
    ];
    for (const [name, base, size] of devices) {
      m.mmioRead(base, 1);
      expect(m.mmioFault(), `${name} at 0x${base.toString(16)}`).toBe(0);
      m.mmioRead(base + size - 1n, 1);
      expect(m.mmioFault(), `${name} last byte`).toBe(0);
      if (name !== 'UART') { // the UART's range is followed directly by the first virtio slot
        m.mmioRead(base + size, 1);
        expect(m.mmioFault(), `past ${name}`).toBe(1);
      }
    }
    for (let slot = 0; slot < C.VIRTIO_SLOTS; slot++) expect(rd(m, C.VIRTIO_BASE + BigInt(slot) * C.VIRTIO_STRIDE)).toBe(0x74726976); // "virt"
    const deviceId = (slot: number) => rd(m, C.VIRTIO_BASE + BigInt(slot) * C.VIRTIO_STRIDE + 8n);
    expect([deviceId(C.VIRTIO_SLOT_BLK), deviceId(C.VIRTIO_SLOT_RNG)]).toEqual([2, 4]); // block, entropy
  });

  it('give the stop reasons the devices request', () => {
    const m = loadMachine();
    wr(m, C.TEST_BASE, 0x5555);
    expect(m.testStopReason()).toBe(C.STOP_POWEROFF);
    expect(C.StopReason.poweroff).toBe(C.STOP_POWEROFF);
    m.testClearStop();
    wr(m, C.TEST_BASE, 0x7777);
    expect(m.testStopReason()).toBe(C.StopReason.reboot);
  });

  it('state the time model: mtime = tick / TICKS_PER_MTIME', () => {
    const m = loadMachine();
    m.testSetTick(12_345n);
    expect(u64(m.mmioRead(C.CLINT_BASE + 0xbff8n, 8))).toBe(12_345n / C.TICKS_PER_MTIME);
    expect(C.TIMEBASE_HZ * C.TICKS_PER_MTIME).toBe(100_000_000n); // a nominal 100 MIPS hart (docs/design.md 2)
  });
});
