// Every device round-trips its state: save, mutate, load, and the registers read back as saved;
// the saved bytes also restore into a fresh instance, and a corrupted section is named.
import { describe, it, expect } from 'vitest';
import { loadMachine, rd, wr, type Machine } from './devices-harness';
import { CLINT_BASE, PLIC_BASE, UART0_BASE, VIRTIO_BASE, VIRTIO_SLOT_BLK, VIRTIO_SLOT_RNG, VIRTIO_STRIDE } from '../build/constants';

const UART = Number(UART0_BASE), PLIC = Number(PLIC_BASE), CLINT = Number(CLINT_BASE);
const slot = (n: number) => Number(VIRTIO_BASE + BigInt(n) * VIRTIO_STRIDE);
const BLK = slot(VIRTIO_SLOT_BLK), RNG = slot(VIRTIO_SLOT_RNG);

/** Registers that can be read without side effects. */
function snapshot(m: Machine): Record<string, number | bigint> {
  const r: Record<string, number | bigint> = {};
  for (const off of [1, 3, 4, 7]) r[`uart${off}`] = rd(m, UART + off, 1);
  wr(m, UART + 3, rd(m, UART + 3, 1) | 0x80, 1);
  r.dll = rd(m, UART, 1);
  r.dlm = rd(m, UART + 1, 1);
  wr(m, UART + 3, rd(m, UART + 3, 1) & 0x7f, 1);
  r.lsr = rd(m, UART + 5, 1) & 0x61; // DR THRE TEMT (errors are cleared by the read)
  r.rxPending = m.consoleInputPending();
  for (const src of [1, 2, 10]) r[`prio${src}`] = rd(m, PLIC + 4 * src);
  r.pending = rd(m, PLIC + 0x1000);
  r.en0 = rd(m, PLIC + 0x2000);
  r.en1 = rd(m, PLIC + 0x2080);
  r.thr0 = rd(m, PLIC + 0x20_0000);
  r.thr1 = rd(m, PLIC + 0x20_1000);
  r.msip = rd(m, CLINT);
  r.mtimecmp = m.mmioRead(BigInt(CLINT + 0x4000), 8);
  r.mtime = m.mmioRead(BigInt(CLINT + 0xbff8), 8);
  for (const [name, base] of [['blk', BLK], ['rng', RNG]] as const) {
    for (const off of [0x34, 0x44, 0x60, 0x70, 0x80, 0x90, 0xa0]) r[`${name}${off.toString(16)}`] = rd(m, base + off);
  }
  r.mip = m.testMipLines();
  return r;
}

function configure(m: Machine): void {
  m.testSetTick(123_456n);
  wr(m, UART + 2, 0x01, 1);
  wr(m, UART + 3, 0x83, 1);
  wr(m, UART, 0x0c, 1);
  wr(m, UART + 3, 0x03, 1);
  wr(m, UART + 1, 0x05, 1);
  wr(m, UART + 4, 0x0b, 1);
  wr(m, UART + 7, 0x42, 1);
  for (const c of 'queued input') m.consoleInput(c.charCodeAt(0));
  wr(m, PLIC + 4 * 10, 3);
  wr(m, PLIC + 4 * 1, 2);
  wr(m, PLIC + 0x2080, (1 << 10) | (1 << 1));
  wr(m, PLIC + 0x20_1000, 1);
  wr(m, CLINT, 1);
  wr(m, CLINT + 0x4000, 99_999n, 8);
  wr(m, CLINT + 0xbff8, 5_000_000n, 8);
  for (const base of [BLK, RNG]) {
    wr(m, base + 0x70, 3);
    wr(m, base + 0x38, 16);
    wr(m, base + 0x80, 0x8000_1000);
    wr(m, base + 0x90, 0x8000_2000);
    wr(m, base + 0xa0, 0x8000_3000);
    wr(m, base + 0x44, 1);
  }
}

function saved(m: Machine): Uint8Array {
  const n = m.testDevicesSave();
  return new Uint8Array(m.memory.buffer, m.testStateBufPtr(), n).slice();
}

describe('device state', () => {
  it('round-trips every device through save and load', () => {
    const m = loadMachine();
    configure(m);
    const state = saved(m);
    const before = snapshot(m);
    // mutate everything
    m.devicesResetAll();
    wr(m, UART + 7, 0x99, 1);
    wr(m, PLIC + 4 * 10, 7);
    wr(m, CLINT + 0x4000, 1n, 8);
    m.consoleInput(0x7a);
    expect(snapshot(m)).not.toEqual(before);
    new Uint8Array(m.memory.buffer, m.testStateBufPtr(), state.length).set(state);
    expect(m.testDevicesLoad(state.length)).toBe(0);
    expect(snapshot(m)).toEqual(before);
    expect(saved(m)).toEqual(state);
  });

  it('restores into a fresh machine, which then behaves the same', () => {
    const a = loadMachine();
    configure(a);
    a.rngSeed(7n, 8n);
    const state = saved(a);
    const b = loadMachine();
    b.testSetTick(123_456n); // hart state is restored by the machine, before the devices
    new Uint8Array(b.memory.buffer, b.testStateBufPtr(), state.length).set(state);
    expect(b.testDevicesLoad(state.length)).toBe(0);
    expect(snapshot(b)).toEqual(snapshot(a));
    // the same future: queued input comes out in order on both
    const drain = (m: Machine) => { let s = ''; while (rd(m, UART + 5, 1) & 1) s += String.fromCharCode(rd(m, UART, 1)); return s; };
    expect(drain(b)).toBe(drain(a));
    expect(saved(b)).toEqual(saved(a));
  });

  it('names the first section that does not match, and rejects truncated input', () => {
    const m = loadMachine();
    const state = saved(m);
    const buf = new Uint8Array(m.memory.buffer, m.testStateBufPtr(), state.length);
    buf.set(state);
    const plicAt = Buffer.from(state).indexOf(Buffer.from('PLIC'));
    expect(plicAt).toBeGreaterThan(0);
    buf[plicAt] = 0x58;
    const tag = m.testDevicesLoad(state.length);
    expect(Buffer.from(new Uint32Array([tag]).buffer).toString('latin1')).toBe('PLIC');
    buf.set(state);
    expect(m.testDevicesLoad(state.length - 3)).not.toBe(0);
  });
});
