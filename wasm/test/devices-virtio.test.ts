// virtio-mmio transport, split virtqueues built by the test in guest RAM, virtio-blk and
// virtio-rng requests, and malformed rings that must fail safely (wasm/assembly/devices/virtio-*.ts).
import { describe, it, expect, beforeEach } from 'vitest';
import { loadMachine, rd, wr, ram, RAM_BASE, type Machine } from './devices-harness';
import { PLIC_BASE, VIRTIO_BASE, VIRTIO_STRIDE } from '../build/constants';

const SLOT_BASE = (slot: number) => Number(VIRTIO_BASE + BigInt(slot) * VIRTIO_STRIDE);
const REG = {
  magic: 0x000, version: 0x004, deviceId: 0x008, vendorId: 0x00c, deviceFeatures: 0x010, deviceFeaturesSel: 0x014,
  driverFeatures: 0x020, driverFeaturesSel: 0x024, queueSel: 0x030, queueNumMax: 0x034, queueNum: 0x038,
  queueReady: 0x044, queueNotify: 0x050, interruptStatus: 0x060, interruptAck: 0x064, status: 0x070,
  descLow: 0x080, descHigh: 0x084, driverLow: 0x090, driverHigh: 0x094, deviceLow: 0x0a0, deviceHigh: 0x0a4,
  config: 0x100,
};
const STATUS_NEEDS_RESET = 0x40;
const PLIC_PENDING = Number(PLIC_BASE) + 0x1000;
const DESC_F_NEXT = 1, DESC_F_WRITE = 2;

// Guest physical layout used by the tests (RAM is 1 MiB at RAM_BASE).
const DESC = 0x1000, AVAIL = 0x2000, USED = 0x3000, BUF = 0x10000;

interface Seg { addr: bigint; len: number; write?: boolean }

/** A minimal virtio driver: the steps of virtio spec 3.1.1 and 4.2.3.2 for queue 0. */
class Driver {
  base: number;
  nextDesc = 0;
  availIdx = 0;
  constructor(public m: Machine, public slot: number, public num = 8, features = 0) {
    this.base = SLOT_BASE(slot);
    const w = (r: number, v: number | bigint) => wr(m, this.base + r, v);
    w(REG.status, 0);
    w(REG.status, 1);
    w(REG.status, 3);
    w(REG.driverFeaturesSel, 1);
    w(REG.driverFeatures, 1); // VIRTIO_F_VERSION_1
    w(REG.driverFeaturesSel, 0);
    w(REG.driverFeatures, features);
    w(REG.status, 0xb);
    w(REG.queueSel, 0);
    w(REG.queueNum, num);
    w(REG.descLow, Number(RAM_BASE) + DESC);
    w(REG.descHigh, 0);
    w(REG.driverLow, Number(RAM_BASE) + AVAIL);
    w(REG.driverHigh, 0);
    w(REG.deviceLow, Number(RAM_BASE) + USED);
    w(REG.deviceHigh, 0);
    w(REG.queueReady, 1);
    w(REG.status, 0xf);
  }
  reg(r: number): number { return rd(this.m, this.base + r); }
  get view(): DataView { return ram(this.m).view; }
  /** Writes a descriptor chain and makes it available; returns its head. */
  submit(segs: Seg[]): number {
    const v = this.view;
    const head = this.nextDesc;
    segs.forEach((s, i) => {
      const d = DESC + 16 * ((head + i) % this.num);
      v.setBigUint64(d, s.addr, true);
      v.setUint32(d + 8, s.len, true);
      v.setUint16(d + 12, (s.write ? DESC_F_WRITE : 0) | (i < segs.length - 1 ? DESC_F_NEXT : 0), true);
      v.setUint16(d + 14, (head + i + 1) % this.num, true);
    });
    this.nextDesc = (head + segs.length) % this.num;
    this.publish(head);
    return head;
  }
  publish(head: number): void {
    const v = this.view;
    v.setUint16(AVAIL + 4 + 2 * (this.availIdx % this.num), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    v.setUint16(AVAIL + 2, this.availIdx, true);
  }
  notify(): void { wr(this.m, this.base + REG.queueNotify, 0); }
  usedIdx(): number { return this.view.getUint16(USED + 2, true); }
  used(i: number): { id: number; len: number } {
    const e = USED + 4 + 8 * (i % this.num);
    return { id: this.view.getUint32(e, true), len: this.view.getUint32(e + 4, true) };
  }
}

const gpa = (off: number) => RAM_BASE + BigInt(off);

function blkHeader(m: Machine, at: number, type: number, sector: bigint): void {
  const v = ram(m).view;
  v.setUint32(at, type, true);
  v.setUint32(at + 4, 0, true);
  v.setBigUint64(at + 8, sector, true);
}

describe('virtio-mmio transport', () => {
  let m: Machine;
  beforeEach(() => { m = loadMachine(); });

  it('identifies blk in slot 0, rng in slot 1, and empty slots as device 0', () => {
    for (let slot = 0; slot < 8; slot++) {
      expect(rd(m, SLOT_BASE(slot) + REG.magic)).toBe(0x74726976);
      expect(rd(m, SLOT_BASE(slot) + REG.version)).toBe(2);
      expect(rd(m, SLOT_BASE(slot) + REG.vendorId)).toBe(0x554d4551);
    }
    expect(rd(m, SLOT_BASE(0) + REG.deviceId)).toBe(2);
    expect(rd(m, SLOT_BASE(1) + REG.deviceId)).toBe(4);
    for (let slot = 2; slot < 8; slot++) expect(rd(m, SLOT_BASE(slot) + REG.deviceId)).toBe(0);
  });

  it('offers VIRTIO_F_VERSION_1 and rejects FEATURES_OK for features it did not offer', () => {
    const b = SLOT_BASE(0);
    wr(m, b + REG.deviceFeaturesSel, 1);
    expect(rd(m, b + REG.deviceFeatures) & 1).toBe(1);
    wr(m, b + REG.deviceFeaturesSel, 0);
    expect(rd(m, b + REG.deviceFeatures) & (1 << 9)).toBe(1 << 9); // VIRTIO_BLK_F_FLUSH
    wr(m, b + REG.status, 3);
    wr(m, b + REG.driverFeaturesSel, 0);
    wr(m, b + REG.driverFeatures, 1 << 28); // INDIRECT_DESC: not offered
    wr(m, b + REG.status, 0xb);
    expect(rd(m, b + REG.status) & 8).toBe(0);
    wr(m, b + REG.status, 0);
    expect(rd(m, b + REG.status)).toBe(0);
  });

  it('keeps queue registers per queue and clears them on reset', () => {
    const d = new Driver(m, 0, 8);
    expect(d.reg(REG.queueNumMax)).toBe(256);
    expect(d.reg(REG.queueReady)).toBe(1);
    expect(d.reg(REG.descLow)).toBe(Number(RAM_BASE) + DESC);
    wr(m, d.base + REG.queueSel, 1); // blk has one queue
    expect(d.reg(REG.queueNumMax)).toBe(0);
    wr(m, d.base + REG.queueSel, 0);
    wr(m, d.base + REG.status, 0);
    expect(d.reg(REG.queueReady)).toBe(0);
    expect(d.reg(REG.descLow)).toBe(0);
  });
});

describe('virtio-blk', () => {
  let m: Machine;
  let disk: Uint8Array;
  beforeEach(() => {
    m = loadMachine();
    const size = 64 * 1024;
    const ptr = m.diskAlloc(size);
    disk = new Uint8Array(m.memory.buffer, ptr, size);
    for (let i = 0; i < size; i++) disk[i] = (i * 7 + (i >> 9)) & 0xff;
    m.diskClearDirty();
  });

  it('reports the capacity in 512-byte sectors', () => {
    const b = SLOT_BASE(0) + REG.config;
    expect(rd(m, b)).toBe(128);
    expect(rd(m, b + 4)).toBe(0);
    expect(Number(m.mmioRead(BigInt(b), 8))).toBe(128);
    expect(rd(m, b, 1)).toBe(128);
    expect(m.diskBlocks()).toBe(16);
    expect(m.diskSize()).toBe(65536n);
  });

  it('reads sectors into guest memory, writes the status and used ring, and interrupts', () => {
    const d = new Driver(m, 0);
    blkHeader(m, BUF, 0, 3n);
    const head = d.submit([{ addr: gpa(BUF), len: 16 }, { addr: gpa(BUF + 0x1000), len: 1024, write: true }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    ram(m).bytes[BUF + 0x2000] = 0xff;
    d.notify();
    expect(d.usedIdx()).toBe(1);
    expect(d.used(0)).toEqual({ id: head, len: 1025 });
    expect(ram(m).bytes[BUF + 0x2000]).toBe(0);
    expect(Array.from(ram(m).bytes.subarray(BUF + 0x1000, BUF + 0x1400))).toEqual(Array.from(disk.subarray(3 * 512, 3 * 512 + 1024)));
    expect(d.reg(REG.interruptStatus)).toBe(1);
    expect(rd(m, PLIC_PENDING) & (1 << 1)).toBe(1 << 1); // slot 0 -> IRQ 1
    // DMA marks the RAM pages it wrote dirty.
    const dirty = new Uint8Array(m.memory.buffer, m.testRamDirtyMapPtr(), 256);
    expect(dirty[(BUF + 0x1000) >> 12]).toBe(1);
    expect(dirty[(BUF + 0x2000) >> 12]).toBe(1);
    wr(m, d.base + REG.interruptAck, 1);
    expect(d.reg(REG.interruptStatus)).toBe(0);
  });

  it('writes guest data to the disk, marking 4 KiB disk blocks dirty', () => {
    const d = new Driver(m, 0);
    blkHeader(m, BUF, 1, 16n); // byte 8192: block 2
    ram(m).bytes.fill(0xab, BUF + 0x1000, BUF + 0x1200);
    d.submit([{ addr: gpa(BUF), len: 16 }, { addr: gpa(BUF + 0x1000), len: 512 }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d.notify();
    expect(d.used(0).len).toBe(1);
    expect(ram(m).bytes[BUF + 0x2000]).toBe(0);
    expect(disk[8192]).toBe(0xab);
    expect(disk[8192 + 511]).toBe(0xab);
    const dirty = new Uint8Array(m.memory.buffer, m.diskDirtyMapPtr(), m.diskBlocks());
    expect(Array.from(dirty)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    m.diskClearDirty();
    expect(dirty.every((b) => b === 0)).toBe(true);
  });

  it('answers FLUSH, GET_ID and unknown types, and IOERR beyond the disk', () => {
    const d = new Driver(m, 0);
    const status = () => ram(m).bytes[BUF + 0x2000];
    blkHeader(m, BUF, 4, 0n);
    d.submit([{ addr: gpa(BUF), len: 16 }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d.notify();
    expect(status()).toBe(0);
    blkHeader(m, BUF, 8, 0n);
    d.submit([{ addr: gpa(BUF), len: 16 }, { addr: gpa(BUF + 0x1000), len: 20, write: true }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d.notify();
    expect(status()).toBe(0);
    expect(Buffer.from(ram(m).bytes.subarray(BUF + 0x1000, BUF + 0x1009)).toString()).toBe('prnr-disk');
    blkHeader(m, BUF, 99, 0n);
    d.submit([{ addr: gpa(BUF), len: 16 }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d.notify();
    expect(status()).toBe(2); // UNSUPP
    blkHeader(m, BUF, 0, 127n); // last sector + 1 more: out of range
    d.submit([{ addr: gpa(BUF), len: 16 }, { addr: gpa(BUF + 0x1000), len: 1024, write: true }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d.notify();
    expect(status()).toBe(1); // IOERR
    blkHeader(m, BUF, 1, (1n << 64n) - 1n); // sector * 512 overflows
    d.submit([{ addr: gpa(BUF), len: 16 }, { addr: gpa(BUF + 0x1000), len: 512 }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d.notify();
    expect(status()).toBe(1);
    expect(d.usedIdx()).toBe(5);
  });

  it('fails a request whose buffers lie outside RAM with IOERR, touching nothing else', () => {
    const d = new Driver(m, 0);
    blkHeader(m, BUF, 0, 0n);
    d.submit([{ addr: gpa(BUF), len: 16 }, { addr: 0x1000n, len: 512, write: true }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d.notify();
    expect(ram(m).bytes[BUF + 0x2000]).toBe(1);
    blkHeader(m, BUF, 0, 0n);
    d.submit([{ addr: gpa(BUF), len: 16 }, { addr: RAM_BASE + BigInt(1 << 20) - 100n, len: 512, write: true }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d.notify();
    expect(ram(m).bytes[BUF + 0x2000]).toBe(1);
    expect(d.usedIdx()).toBe(2);
  });
});

describe('virtio rings from a buggy or hostile driver', () => {
  let m: Machine;
  beforeEach(() => { m = loadMachine(); m.diskAlloc(4096); });

  it('stops at a descriptor loop (NEEDS_RESET) and recovers after a reset', () => {
    const d = new Driver(m, 0);
    const v = ram(m).view;
    for (const i of [0, 1]) {
      v.setBigUint64(DESC + 16 * i, gpa(BUF), true);
      v.setUint32(DESC + 16 * i + 8, 16, true);
      v.setUint16(DESC + 16 * i + 12, DESC_F_NEXT, true);
      v.setUint16(DESC + 16 * i + 14, 1 - i, true);
    }
    d.publish(0);
    d.notify();
    expect(d.reg(REG.status) & STATUS_NEEDS_RESET).toBe(STATUS_NEEDS_RESET);
    expect(d.reg(REG.interruptStatus) & 2).toBe(2); // configuration change
    expect(d.usedIdx()).toBe(0);
    const d2 = new Driver(m, 0);
    ram(m).view.setUint16(AVAIL + 2, 0, true);
    ram(m).view.setUint16(USED + 2, 0, true);
    blkHeader(m, BUF, 4, 0n);
    d2.submit([{ addr: gpa(BUF), len: 16 }, { addr: gpa(BUF + 0x2000), len: 1, write: true }]);
    d2.notify();
    expect(d2.reg(REG.status)).toBe(0xf);
    expect(d2.usedIdx()).toBe(1);
  });

  it('rejects a head or next index beyond the queue, and an avail index running ahead', () => {
    let d = new Driver(m, 0);
    d.publish(200);
    d.notify();
    expect(d.reg(REG.status) & STATUS_NEEDS_RESET).toBe(STATUS_NEEDS_RESET);

    ram(m).view.setUint16(AVAIL + 2, 0, true);
    d = new Driver(m, 0);
    const v = ram(m).view;
    v.setBigUint64(DESC, gpa(BUF), true);
    v.setUint32(DESC + 8, 16, true);
    v.setUint16(DESC + 12, DESC_F_NEXT, true);
    v.setUint16(DESC + 14, 9, true);
    d.publish(0);
    d.notify();
    expect(d.reg(REG.status) & STATUS_NEEDS_RESET).toBe(STATUS_NEEDS_RESET);

    ram(m).view.setUint16(AVAIL + 2, 0, true);
    d = new Driver(m, 0);
    v.setUint16(AVAIL + 2, 1000, true);
    d.notify();
    expect(d.reg(REG.status) & STATUS_NEEDS_RESET).toBe(STATUS_NEEDS_RESET);
    expect(d.usedIdx()).toBe(0);
  });

  it('rejects rings placed outside RAM, and indirect descriptors it never offered', () => {
    const d = new Driver(m, 0);
    wr(m, d.base + REG.descLow, 0x1000);
    d.publish(0);
    d.notify();
    expect(d.reg(REG.status) & STATUS_NEEDS_RESET).toBe(STATUS_NEEDS_RESET);

    ram(m).view.setUint16(AVAIL + 2, 0, true);
    const d2 = new Driver(m, 0);
    const v = ram(m).view;
    v.setBigUint64(DESC, gpa(BUF), true);
    v.setUint32(DESC + 8, 16, true);
    v.setUint16(DESC + 12, 4, true); // VIRTQ_DESC_F_INDIRECT
    d2.publish(0);
    d2.notify();
    expect(d2.reg(REG.status) & STATUS_NEEDS_RESET).toBe(STATUS_NEEDS_RESET);
  });

  it('ignores a queue size above QueueNumMax and notifies of queues that do not exist', () => {
    const d = new Driver(m, 0, 512);
    expect(d.reg(REG.queueNumMax)).toBe(256);
    d.publish(0);
    d.notify(); // num 0: not usable, nothing happens
    wr(m, d.base + REG.queueNotify, 5);
    wr(m, SLOT_BASE(5) + REG.queueNotify, 0);
    expect(d.usedIdx()).toBe(0);
    expect(d.reg(REG.status) & STATUS_NEEDS_RESET).toBe(0);
  });
});

describe('virtio-rng', () => {
  function draw(seedLo: bigint, seedHi: bigint, n: number): number[][] {
    const m = loadMachine();
    m.rngSeed(seedLo, seedHi);
    const d = new Driver(m, 1);
    const out: number[][] = [];
    for (let i = 0; i < n; i++) {
      const at = BUF + i * 0x100;
      d.submit([{ addr: gpa(at), len: 37, write: true }]);
      d.notify();
      expect(d.used(i).len).toBe(37);
      out.push(Array.from(ram(m).bytes.subarray(at, at + 37)));
    }
    expect(d.reg(REG.interruptStatus)).toBe(1);
    return out;
  }

  it('fills buffers from a PRNG that depends only on the seed', () => {
    const a = draw(1n, 2n, 3);
    const b = draw(1n, 2n, 3);
    const c = draw(1n, 3n, 3);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0]).not.toEqual(a[1]);
    expect(a[0].some((x) => x !== 0)).toBe(true);
  });
});
