// virtio-mmio transport, version 2 (virtio spec v1.2 section 4.2.2), and split
// virtqueues (section 2.7) processed synchronously on QueueNotify: a request
// completes before the notifying store retires, which keeps replay exact.
//
// Guest memory is reached only through ramPtr(), which checks that a range lies
// wholly in RAM; a descriptor chain is capped at the queue size, so a buggy or
// hostile driver can neither reach host memory nor make the device loop. On a
// malformed ring the device sets DEVICE_NEEDS_RESET (section 2.1.2) and stops.
import { Device } from './device';
import { StateWriter, StateReader } from '../serialize';
import { ramPtr, markDirtyRange } from '../ram';
import { plicSetLevel } from './plic';
import { watchActive, hookDma } from '../hooks';
import { beginNodeAt, endNode, propU32, propReg, propStr, PHANDLE_PLIC } from '../fdt-writer';

// Register offsets (section 4.2.2.1, table "MMIO Device Register Layout").
export const VIRTIO_MMIO_MAGIC_VALUE: u32 = 0x000;
export const VIRTIO_MMIO_VERSION: u32 = 0x004;
export const VIRTIO_MMIO_DEVICE_ID: u32 = 0x008;
export const VIRTIO_MMIO_VENDOR_ID: u32 = 0x00c;
export const VIRTIO_MMIO_DEVICE_FEATURES: u32 = 0x010;
export const VIRTIO_MMIO_DEVICE_FEATURES_SEL: u32 = 0x014;
export const VIRTIO_MMIO_DRIVER_FEATURES: u32 = 0x020;
export const VIRTIO_MMIO_DRIVER_FEATURES_SEL: u32 = 0x024;
export const VIRTIO_MMIO_QUEUE_SEL: u32 = 0x030;
export const VIRTIO_MMIO_QUEUE_NUM_MAX: u32 = 0x034;
export const VIRTIO_MMIO_QUEUE_NUM: u32 = 0x038;
export const VIRTIO_MMIO_QUEUE_READY: u32 = 0x044;
export const VIRTIO_MMIO_QUEUE_NOTIFY: u32 = 0x050;
export const VIRTIO_MMIO_INTERRUPT_STATUS: u32 = 0x060;
export const VIRTIO_MMIO_INTERRUPT_ACK: u32 = 0x064;
export const VIRTIO_MMIO_STATUS: u32 = 0x070;
export const VIRTIO_MMIO_QUEUE_DESC_LOW: u32 = 0x080;
export const VIRTIO_MMIO_QUEUE_DESC_HIGH: u32 = 0x084;
export const VIRTIO_MMIO_QUEUE_DRIVER_LOW: u32 = 0x090;
export const VIRTIO_MMIO_QUEUE_DRIVER_HIGH: u32 = 0x094;
export const VIRTIO_MMIO_QUEUE_DEVICE_LOW: u32 = 0x0a0;
export const VIRTIO_MMIO_QUEUE_DEVICE_HIGH: u32 = 0x0a4;
export const VIRTIO_MMIO_SHM_SEL: u32 = 0x0ac;
export const VIRTIO_MMIO_SHM_LEN_LOW: u32 = 0x0b0;
export const VIRTIO_MMIO_SHM_LEN_HIGH: u32 = 0x0b4;
export const VIRTIO_MMIO_CONFIG_GENERATION: u32 = 0x0fc;
export const VIRTIO_MMIO_CONFIG: u32 = 0x100;

export const VIRTIO_MMIO_MAGIC: u32 = 0x74726976; // "virt"
export const VIRTIO_MMIO_VENDOR: u32 = 0x554d4551; // "QEMU", as QEMU reports

// Device status bits (section 2.1).
export const VIRTIO_STATUS_ACKNOWLEDGE: u32 = 1;
export const VIRTIO_STATUS_DRIVER: u32 = 2;
export const VIRTIO_STATUS_DRIVER_OK: u32 = 4;
export const VIRTIO_STATUS_FEATURES_OK: u32 = 8;
export const VIRTIO_STATUS_NEEDS_RESET: u32 = 0x40;
export const VIRTIO_STATUS_FAILED: u32 = 0x80;

// InterruptStatus bits (section 4.2.2.1).
export const VIRTIO_INT_USED_BUFFER: u32 = 1;
export const VIRTIO_INT_CONFIG_CHANGE: u32 = 2;

export const VIRTIO_F_VERSION_1: u64 = <u64>1 << 32;

// Split virtqueue layout (section 2.7).
const VIRTQ_DESC_F_NEXT: u32 = 1;
const VIRTQ_DESC_F_WRITE: u32 = 2;
const VIRTQ_DESC_F_INDIRECT: u32 = 4; // XXX: VIRTIO_F_INDIRECT_DESC is not offered, so indirect tables are a driver error
const VIRTQ_AVAIL_F_NO_INTERRUPT: u32 = 1; // XXX: VIRTIO_F_EVENT_IDX and packed rings (2.8) are not offered

/** Largest queue any device offers; bounds the chain scratch arrays. */
export const VIRTQ_MAX_SIZE: u32 = 256;
const MAX_QUEUES: u32 = 2;

/**
 * One descriptor chain, gathered before the device sees it: device-readable
 * and device-writable segments (section 2.7.4.2: readable ones come first).
 * hostPtr is 0 for a segment that is not wholly in guest RAM; `valid` is then false.
 */
export class VirtqChain {
  count: u32 = 0;
  addr: StaticArray<u64> = new StaticArray<u64>(VIRTQ_MAX_SIZE);
  len: StaticArray<u32> = new StaticArray<u32>(VIRTQ_MAX_SIZE);
  hostPtr: StaticArray<usize> = new StaticArray<usize>(VIRTQ_MAX_SIZE);
  writable: StaticArray<bool> = new StaticArray<bool>(VIRTQ_MAX_SIZE);
  readableLen: u64 = 0;
  writableLen: u64 = 0;
  valid: bool = true;

  clear(): void { this.count = 0; this.readableLen = 0; this.writableLen = 0; this.valid = true; }

  add(addr: u64, len: u32, writable: bool): void {
    const i = this.count++;
    const p = ramPtr(addr, <u64>len);
    this.addr[i] = addr;
    this.len[i] = len;
    this.hostPtr[i] = p;
    this.writable[i] = writable;
    if (p == 0 && len != 0) this.valid = false;
    if (writable) this.writableLen += len; else this.readableLen += len;
  }

  /** Copies `len` bytes at `offset` of the readable part to host memory; returns bytes copied. */
  read(offset: u64, dst: usize, len: u64): u64 { return this.copy(false, offset, dst, len); }

  /** Copies `len` host bytes to `offset` of the writable part (marking RAM dirty); returns bytes copied. */
  write(offset: u64, src: usize, len: u64): u64 { return this.copy(true, offset, src, len); }

  private copy(toGuest: bool, offset: u64, host: usize, len: u64): u64 {
    let done: u64 = 0;
    let skip = offset;
    for (let i: u32 = 0; i < this.count && done < len; i++) {
      if (this.writable[i] != toGuest) continue;
      const segLen = <u64>this.len[i];
      if (skip >= segLen) { skip -= segLen; continue; }
      const p = this.hostPtr[i];
      if (p == 0) break;
      let n = segLen - skip;
      if (n > len - done) n = len - done;
      if (toGuest) {
        memory.copy(p + <usize>skip, host + <usize>done, <usize>n);
        markDirtyRange(this.addr[i] + skip, n);
        if (watchActive) hookDma(this.addr[i] + skip, n);
      } else {
        memory.copy(host + <usize>done, p + <usize>skip, <usize>n);
      }
      done += n;
      skip = 0;
    }
    return done;
  }
}

/** The scratch chain shared by every transport (requests are processed one at a time). */
export const virtqChain = new VirtqChain();

/** What a virtio device type implements behind the transport (device-specific chapters of section 5). */
export abstract class VirtioBackend {
  abstract deviceId(): u32;
  abstract deviceFeatures(): u64;
  abstract queueCount(): u32;
  abstract queueNumMax(): u32;
  abstract configRead(offset: u32, size: u32): u64;
  abstract configWrite(offset: u32, value: u64, size: u32): void;
  /** Serves one request; returns the number of bytes written into the chain (used.len). */
  abstract process(queue: u32, chain: VirtqChain): u32;
  abstract save(w: StateWriter): void;
  abstract load(r: StateReader): void;
  abstract reset(): void;
}

/** An unpopulated slot: DeviceID 0, which drivers skip (section 4.2.3.1.1). */
export class VirtioEmpty extends VirtioBackend {
  deviceId(): u32 { return 0; }
  deviceFeatures(): u64 { return 0; }
  queueCount(): u32 { return 0; }
  queueNumMax(): u32 { return 0; }
  configRead(offset: u32, size: u32): u64 { return 0; }
  configWrite(offset: u32, value: u64, size: u32): void {}
  process(queue: u32, chain: VirtqChain): u32 { return 0; }
  save(w: StateWriter): void {}
  load(r: StateReader): void {}
  reset(): void {}
}

class Virtq {
  num: u32 = 0;
  ready: bool = false;
  desc: u64 = 0;
  avail: u64 = 0; // "driver area"
  used: u64 = 0; // "device area"
  lastAvail: u32 = 0; // u16 arithmetic
  usedIdx: u32 = 0; // u16 arithmetic

  reset(): void { this.num = 0; this.ready = false; this.desc = 0; this.avail = 0; this.used = 0; this.lastAvail = 0; this.usedIdx = 0; }
  save(w: StateWriter): void {
    w.u32(this.num); w.bool(this.ready); w.u64(this.desc); w.u64(this.avail); w.u64(this.used);
    w.u32(this.lastAvail); w.u32(this.usedIdx);
  }
  load(r: StateReader): void {
    this.num = r.u32(); this.ready = r.bool(); this.desc = r.u64(); this.avail = r.u64(); this.used = r.u64();
    this.lastAvail = r.u32() & 0xffff; this.usedIdx = r.u32() & 0xffff;
    if (this.num > VIRTQ_MAX_SIZE) { this.num = 0; r.failed = true; }
  }
}

export class VirtioMmio extends Device {
  backend: VirtioBackend;
  queues: StaticArray<Virtq> = new StaticArray<Virtq>(MAX_QUEUES);
  status: u32 = 0;
  deviceFeaturesSel: u32 = 0;
  driverFeaturesSel: u32 = 0;
  driverFeatures: u64 = 0;
  queueSel: u32 = 0;
  interruptStatus: u32 = 0;

  constructor(backend: VirtioBackend) {
    super();
    this.backend = backend;
    for (let i: u32 = 0; i < MAX_QUEUES; i++) this.queues[i] = new Virtq();
  }

  private features(): u64 { return this.backend.deviceId() == 0 ? 0 : (this.backend.deviceFeatures() | VIRTIO_F_VERSION_1); }

  private selected(): Virtq | null {
    return this.queueSel < this.backend.queueCount() && this.queueSel < MAX_QUEUES ? this.queues[this.queueSel] : null;
  }

  read(offset: u32, size: u32): u64 {
    if (offset >= VIRTIO_MMIO_CONFIG) return this.backend.configRead(offset - VIRTIO_MMIO_CONFIG, size);
    if (size != 4 || (offset & 3) != 0) return 0; // section 4.2.2.2: registers are read as 32-bit words
    const q = this.selected();
    switch (offset) {
      case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
      case VIRTIO_MMIO_VERSION: return 2;
      case VIRTIO_MMIO_DEVICE_ID: return this.backend.deviceId();
      case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
      case VIRTIO_MMIO_DEVICE_FEATURES:
        return this.deviceFeaturesSel == 0 ? (this.features() & 0xffff_ffff) : this.deviceFeaturesSel == 1 ? (this.features() >> 32) : 0;
      case VIRTIO_MMIO_QUEUE_NUM_MAX: return q != null ? this.backend.queueNumMax() : 0;
      case VIRTIO_MMIO_QUEUE_READY: return q != null && q.ready ? 1 : 0;
      case VIRTIO_MMIO_INTERRUPT_STATUS: return this.interruptStatus;
      case VIRTIO_MMIO_STATUS: return this.status;
      case VIRTIO_MMIO_QUEUE_DESC_LOW: return q != null ? (q.desc & 0xffff_ffff) : 0;
      case VIRTIO_MMIO_QUEUE_DESC_HIGH: return q != null ? (q.desc >> 32) : 0;
      case VIRTIO_MMIO_QUEUE_DRIVER_LOW: return q != null ? (q.avail & 0xffff_ffff) : 0;
      case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: return q != null ? (q.avail >> 32) : 0;
      case VIRTIO_MMIO_QUEUE_DEVICE_LOW: return q != null ? (q.used & 0xffff_ffff) : 0;
      case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: return q != null ? (q.used >> 32) : 0;
      case VIRTIO_MMIO_SHM_LEN_LOW: return 0xffff_ffff; // no shared memory regions: length -1
      case VIRTIO_MMIO_SHM_LEN_HIGH: return 0xffff_ffff;
      case VIRTIO_MMIO_CONFIG_GENERATION: return 0; // config space never changes on its own
      default: return 0;
    }
  }

  write(offset: u32, value: u64, size: u32): void {
    if (this.backend.deviceId() == 0) return;
    if (offset >= VIRTIO_MMIO_CONFIG) { this.backend.configWrite(offset - VIRTIO_MMIO_CONFIG, value, size); return; }
    if (size != 4 || (offset & 3) != 0) return;
    const v = <u32>value;
    const q = this.selected();
    switch (offset) {
      case VIRTIO_MMIO_DEVICE_FEATURES_SEL: this.deviceFeaturesSel = v; break;
      case VIRTIO_MMIO_DRIVER_FEATURES:
        if (this.driverFeaturesSel == 0) this.driverFeatures = (this.driverFeatures & 0xffff_ffff_0000_0000) | <u64>v;
        else if (this.driverFeaturesSel == 1) this.driverFeatures = (this.driverFeatures & 0xffff_ffff) | (<u64>v << 32);
        break;
      case VIRTIO_MMIO_DRIVER_FEATURES_SEL: this.driverFeaturesSel = v; break;
      case VIRTIO_MMIO_QUEUE_SEL: this.queueSel = v; break;
      case VIRTIO_MMIO_QUEUE_NUM: if (q != null) q.num = v <= this.backend.queueNumMax() ? v : 0; break;
      case VIRTIO_MMIO_QUEUE_READY: if (q != null) q.ready = (v & 1) != 0; break;
      case VIRTIO_MMIO_QUEUE_NOTIFY: this.notify(v & 0xffff); break;
      case VIRTIO_MMIO_INTERRUPT_ACK: this.interruptStatus &= ~v; this.updateIrq(); break;
      case VIRTIO_MMIO_STATUS: this.writeStatus(v); break;
      case VIRTIO_MMIO_QUEUE_DESC_LOW: if (q != null) q.desc = (q.desc & 0xffff_ffff_0000_0000) | <u64>v; break;
      case VIRTIO_MMIO_QUEUE_DESC_HIGH: if (q != null) q.desc = (q.desc & 0xffff_ffff) | (<u64>v << 32); break;
      case VIRTIO_MMIO_QUEUE_DRIVER_LOW: if (q != null) q.avail = (q.avail & 0xffff_ffff_0000_0000) | <u64>v; break;
      case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: if (q != null) q.avail = (q.avail & 0xffff_ffff) | (<u64>v << 32); break;
      case VIRTIO_MMIO_QUEUE_DEVICE_LOW: if (q != null) q.used = (q.used & 0xffff_ffff_0000_0000) | <u64>v; break;
      case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: if (q != null) q.used = (q.used & 0xffff_ffff) | (<u64>v << 32); break;
      default: break;
    }
  }

  /** Section 2.1 / 4.2.3.1: 0 resets the device; FEATURES_OK sticks only if the driver took offered features only. */
  private writeStatus(v: u32): void {
    if (v == 0) { this.reset(); return; }
    if ((v & VIRTIO_STATUS_FEATURES_OK) != 0 && (this.status & VIRTIO_STATUS_FEATURES_OK) == 0
      && (this.driverFeatures & ~this.features()) != 0) {
      v &= ~VIRTIO_STATUS_FEATURES_OK;
    }
    this.status = v | (this.status & VIRTIO_STATUS_NEEDS_RESET);
  }

  private updateIrq(): void { plicSetLevel(this.irq, this.interruptStatus != 0); }

  private raise(bits: u32): void { this.interruptStatus |= bits; this.updateIrq(); }

  /** Section 2.1.2: the device hit a driver error; it stops until reset. */
  private failSlow(): void {
    this.status |= VIRTIO_STATUS_NEEDS_RESET;
    if ((this.status & VIRTIO_STATUS_DRIVER_OK) != 0) this.raise(VIRTIO_INT_CONFIG_CHANGE);
  }

  /** Section 2.7.13 (device side): consume every available chain, complete each, interrupt once. */
  private notify(index: u32): void {
    if (index >= this.backend.queueCount() || index >= MAX_QUEUES) return;
    if ((this.status & VIRTIO_STATUS_NEEDS_RESET) != 0) return;
    const q = this.queues[index];
    const num = q.num;
    if (!q.ready || num == 0) return;
    const descP = ramPtr(q.desc, <u64>num * 16);
    const availP = ramPtr(q.avail, 6 + <u64>num * 2);
    const usedP = ramPtr(q.used, 6 + <u64>num * 8);
    if (descP == 0 || availP == 0 || usedP == 0) { this.failSlow(); return; }
    const availIdx = <u32>load<u16>(availP + 2);
    const count = (availIdx - q.lastAvail) & 0xffff;
    if (count > num) { this.failSlow(); return; }
    const chain = virtqChain;
    let completed: u32 = 0;
    for (let n: u32 = 0; n < count; n++) {
      const head = <u32>load<u16>(availP + 4 + <usize>((q.lastAvail % num) << 1));
      q.lastAvail = (q.lastAvail + 1) & 0xffff;
      if (head >= num) { this.failSlow(); break; }
      chain.clear();
      let i = head;
      let ok = true;
      for (let hops: u32 = 0; ; hops++) {
        if (hops >= num) { ok = false; break; } // a loop, or longer than the table: section 2.7.5.3.1
        const d = descP + (<usize>i << 4);
        const flags = <u32>load<u16>(d + 12);
        if ((flags & VIRTQ_DESC_F_INDIRECT) != 0) { ok = false; break; }
        chain.add(load<u64>(d), load<u32>(d + 8), (flags & VIRTQ_DESC_F_WRITE) != 0);
        if ((flags & VIRTQ_DESC_F_NEXT) == 0) break;
        i = <u32>load<u16>(d + 14);
        if (i >= num) { ok = false; break; }
      }
      if (!ok) { this.failSlow(); break; }
      const written = this.backend.process(index, chain);
      const e = usedP + 4 + (<usize>(q.usedIdx % num) << 3);
      store<u32>(e, head);
      store<u32>(e + 4, written);
      q.usedIdx = (q.usedIdx + 1) & 0xffff;
      store<u16>(usedP + 2, <u16>q.usedIdx);
      completed++;
    }
    if (completed == 0) return;
    markDirtyRange(q.used, 6 + <u64>num * 8);
    if (watchActive) hookDma(q.used, 6 + <u64>num * 8);
    // Section 2.7.10: without VIRTIO_F_EVENT_IDX the driver may suppress interrupts with this flag.
    if ((<u32>load<u16>(availP) & VIRTQ_AVAIL_F_NO_INTERRUPT) == 0) this.raise(VIRTIO_INT_USED_BUFFER);
  }

  save(w: StateWriter): void {
    w.u32(this.status); w.u32(this.deviceFeaturesSel); w.u32(this.driverFeaturesSel); w.u64(this.driverFeatures);
    w.u32(this.queueSel); w.u32(this.interruptStatus);
    for (let i: u32 = 0; i < MAX_QUEUES; i++) this.queues[i].save(w);
    this.backend.save(w);
  }

  load(r: StateReader): void {
    this.status = r.u32(); this.deviceFeaturesSel = r.u32(); this.driverFeaturesSel = r.u32(); this.driverFeatures = r.u64();
    this.queueSel = r.u32(); this.interruptStatus = r.u32();
    for (let i: u32 = 0; i < MAX_QUEUES; i++) this.queues[i].load(r);
    this.backend.load(r);
    this.updateIrq();
  }

  reset(): void {
    this.status = 0; this.deviceFeaturesSel = 0; this.driverFeaturesSel = 0; this.driverFeatures = 0;
    this.queueSel = 0; this.interruptStatus = 0;
    for (let i: u32 = 0; i < MAX_QUEUES; i++) this.queues[i].reset();
    this.backend.reset();
    this.updateIrq();
  }

  /** Every slot has a node, populated or not (drivers skip DeviceID 0), as in QEMU virt. */
  dtNode(base: u64, size: u64): void {
    beginNodeAt('virtio_mmio', base);
    propU32('interrupts', this.irq);
    propU32('interrupt-parent', PHANDLE_PLIC);
    propReg(base, size);
    propStr('compatible', 'virtio,mmio');
    endNode();
  }
}
