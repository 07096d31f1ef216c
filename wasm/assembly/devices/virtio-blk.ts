// virtio block device (virtio spec v1.2 section 5.2) over an in-memory disk.
// The host copies its image into the buffer from diskAlloc(); the guest writes
// only this copy, so it is the copy-on-write overlay and the host's image never
// changes. Each 4 KiB disk block has a dirty byte, so snapshots store only the
// blocks written since the last diskClearDirty(), as they do for RAM pages.
// Disk contents are therefore not part of save()/load().
import { VirtioBackend, VirtqChain } from './virtio-mmio';
import { StateWriter, StateReader } from '../serialize';
import { regRead } from './device';

export const VIRTIO_ID_BLOCK: u32 = 2;
export const VIRTIO_BLK_F_SEG_MAX: u64 = <u64>1 << 2;
export const VIRTIO_BLK_F_FLUSH: u64 = <u64>1 << 9;

export const VIRTIO_BLK_T_IN: u32 = 0;
export const VIRTIO_BLK_T_OUT: u32 = 1;
export const VIRTIO_BLK_T_FLUSH: u32 = 4;
export const VIRTIO_BLK_T_GET_ID: u32 = 8;

export const VIRTIO_BLK_S_OK: u8 = 0;
export const VIRTIO_BLK_S_IOERR: u8 = 1;
export const VIRTIO_BLK_S_UNSUPP: u8 = 2;

export const BLK_SECTOR_SIZE_LOG2: u32 = 9;
export const DISK_BLOCK_SIZE_LOG2: u32 = 12;
const BLK_QUEUE_SIZE: u32 = 256;
const BLK_SEG_MAX: u32 = BLK_QUEUE_SIZE - 2; // header and status take two descriptors
const BLK_ID_BYTES: u32 = 20; // section 5.2.6: GET_ID returns up to 20 bytes, zero padded

const reqHeader = memory.data(16, 8); // struct virtio_blk_req header: type u32, reserved u32, sector u64
const idBytes = memory.data(BLK_ID_BYTES);
const statusByte = memory.data(1);

export let diskHost: usize = 0;
export let diskBytes: u64 = 0;
export let diskDirty: usize = 0;
export let diskBlockCount: u32 = 0;

/** Allocates the disk (zeroed) and its dirty map; returns where the host copies the image. */
export function diskAllocate(sizeBytes: u32): usize {
  // XXX: a second call leaks the first buffer (stub runtime: no free); the host allocates once per machine.
  diskBlockCount = <u32>((<u64>sizeBytes + (1 << DISK_BLOCK_SIZE_LOG2) - 1) >> DISK_BLOCK_SIZE_LOG2);
  diskHost = heap.alloc(<usize>diskBlockCount << DISK_BLOCK_SIZE_LOG2);
  memory.fill(diskHost, 0, <usize>diskBlockCount << DISK_BLOCK_SIZE_LOG2);
  diskBytes = <u64>sizeBytes;
  diskDirty = heap.alloc(<usize>diskBlockCount);
  memory.fill(diskDirty, 0, <usize>diskBlockCount);
  return diskHost;
}

export function diskClearDirtyMap(): void { if (diskDirty != 0) memory.fill(diskDirty, 0, <usize>diskBlockCount); }

function diskMarkDirty(offset: u64, len: u64): void {
  if (len == 0) return;
  const first = offset >> DISK_BLOCK_SIZE_LOG2;
  const last = (offset + len - 1) >> DISK_BLOCK_SIZE_LOG2;
  for (let b = first; b <= last; b++) store<u8>(diskDirty + <usize>b, 1);
}

export class VirtioBlk extends VirtioBackend {
  deviceId(): u32 { return VIRTIO_ID_BLOCK; }
  deviceFeatures(): u64 { return VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_FLUSH; }
  queueCount(): u32 { return 1; }
  queueNumMax(): u32 { return BLK_QUEUE_SIZE; }

  /** Section 5.2.4 struct virtio_blk_config: capacity le64 @0, size_max @8, seg_max @12, ... (rest 0). */
  configRead(offset: u32, size: u32): u64 {
    if (offset < 8) return regRead(diskBytes >> BLK_SECTOR_SIZE_LOG2, offset, size);
    if (offset >= 12 && offset < 16) return regRead(<u64>BLK_SEG_MAX, offset - 12, size);
    return 0;
  }
  configWrite(offset: u32, value: u64, size: u32): void {} // writeback toggle etc. not offered

  /**
   * Section 5.2.6: header (readable), data, status byte (last writable byte).
   * Returns bytes written to the chain: data read plus the status byte.
   */
  process(queue: u32, chain: VirtqChain): u32 {
    if (chain.writableLen == 0) return 0; // nowhere to put the status: drop the request
    const dataIn = chain.writableLen - 1; // writable bytes before the status byte
    if (!chain.valid || chain.read(0, reqHeader, 16) != 16) return this.finish(chain, dataIn, 0, VIRTIO_BLK_S_IOERR);
    const type = load<u32>(reqHeader);
    const sector = load<u64>(reqHeader + 8);
    if (type == VIRTIO_BLK_T_IN) {
      const off = sector << BLK_SECTOR_SIZE_LOG2;
      if (!this.inRange(sector, dataIn)) return this.finish(chain, dataIn, 0, VIRTIO_BLK_S_IOERR);
      const n = chain.write(0, diskHost + <usize>off, dataIn);
      return this.finish(chain, dataIn, <u32>n, VIRTIO_BLK_S_OK);
    }
    if (type == VIRTIO_BLK_T_OUT) {
      const len = chain.readableLen - 16;
      const off = sector << BLK_SECTOR_SIZE_LOG2;
      if (!this.inRange(sector, len)) return this.finish(chain, dataIn, 0, VIRTIO_BLK_S_IOERR);
      const n = chain.read(16, diskHost + <usize>off, len);
      diskMarkDirty(off, n);
      return this.finish(chain, dataIn, 0, VIRTIO_BLK_S_OK);
    }
    if (type == VIRTIO_BLK_T_FLUSH) return this.finish(chain, dataIn, 0, VIRTIO_BLK_S_OK); // writes land at once
    if (type == VIRTIO_BLK_T_GET_ID) {
      memory.fill(idBytes, 0, BLK_ID_BYTES);
      const id = 'prnr-disk';
      for (let i = 0; i < id.length; i++) store<u8>(idBytes + <usize>i, <u8>id.charCodeAt(i));
      const len = dataIn < <u64>BLK_ID_BYTES ? dataIn : <u64>BLK_ID_BYTES;
      const n = chain.write(0, idBytes, len);
      return this.finish(chain, dataIn, <u32>n, VIRTIO_BLK_S_OK);
    }
    return this.finish(chain, dataIn, 0, VIRTIO_BLK_S_UNSUPP);
  }

  /** [sector * 512, + len) lies within the disk, without overflow. */
  private inRange(sector: u64, len: u64): bool {
    if (sector > (diskBytes >> BLK_SECTOR_SIZE_LOG2)) return false;
    const off = sector << BLK_SECTOR_SIZE_LOG2;
    return len <= diskBytes - off;
  }

  private finish(chain: VirtqChain, statusOffset: u64, dataWritten: u32, status: u8): u32 {
    store<u8>(statusByte, status);
    chain.write(statusOffset, statusByte, 1);
    return dataWritten + 1;
  }

  save(w: StateWriter): void {} // no device state beyond the transport; disk blocks are saved by the snapshot code
  load(r: StateReader): void {}
  reset(): void {}
}

export const virtioBlk = new VirtioBlk();
