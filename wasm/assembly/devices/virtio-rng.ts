// virtio entropy device (virtio spec v1.2 section 5.4): fills every writable
// buffer with bytes from a deterministic PRNG, xoshiro256** (Blackman & Vigna)
// seeded by splitmix64 from a host-given seed. The PRNG state is saved, so a
// replay hands the guest the same "entropy" (docs/design.md determinism contract).
import { VirtioBackend, VirtqChain } from './virtio-mmio';
import { StateWriter, StateReader } from '../serialize';
import { markDirtyRange } from '../ram';
import { watchActive, hookDma } from '../hooks';

export const VIRTIO_ID_ENTROPY: u32 = 4;
const RNG_QUEUE_SIZE: u32 = 64;
/** Bytes served per request at most; the device may return fewer than asked (section 5.4.6.1). */
const RNG_MAX_REQUEST: u64 = 64 * 1024;

let s0: u64 = 0;
let s1: u64 = 0;
let s2: u64 = 0;
let s3: u64 = 0;

let splitmixState: u64 = 0;
function splitmix64(): u64 {
  splitmixState += 0x9e37_79b9_7f4a_7c15;
  let z = splitmixState;
  z = (z ^ (z >> 30)) * 0xbf58_476d_1ce4_e5b9;
  z = (z ^ (z >> 27)) * 0x94d0_49bb_1331_11eb;
  return z ^ (z >> 31);
}

/** Seeds the PRNG from a 128-bit seed (host-chosen, recorded with the session). */
export function rngSetSeed(lo: u64, hi: u64): void {
  splitmixState = lo;
  s0 = splitmix64();
  s1 = splitmix64();
  splitmixState ^= hi;
  s2 = splitmix64();
  s3 = splitmix64();
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1; // xoshiro's one forbidden state
}

/** xoshiro256** next output. */
export function rngNext(): u64 {
  const result = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u64>(s3, 45);
  return result;
}

function rngFill(dst: usize, len: u64): void {
  let i: u64 = 0;
  for (; i + 8 <= len; i += 8) store<u64>(dst + <usize>i, rngNext());
  if (i < len) {
    let v = rngNext();
    for (; i < len; i++) { store<u8>(dst + <usize>i, <u8>v); v >>= 8; }
  }
}

rngSetSeed(0x7072_6e72, 0); // default until the host seeds it

export class VirtioRng extends VirtioBackend {
  deviceId(): u32 { return VIRTIO_ID_ENTROPY; }
  deviceFeatures(): u64 { return 0; }
  queueCount(): u32 { return 1; }
  queueNumMax(): u32 { return RNG_QUEUE_SIZE; }
  configRead(offset: u32, size: u32): u64 { return 0; }
  configWrite(offset: u32, value: u64, size: u32): void {}

  process(queue: u32, chain: VirtqChain): u32 {
    let done: u64 = 0;
    for (let i: u32 = 0; i < chain.count && done < RNG_MAX_REQUEST; i++) {
      if (!chain.writable[i]) continue;
      const p = chain.hostPtr[i];
      if (p == 0) break; // not in RAM: stop at the first bad buffer
      let n = <u64>chain.len[i];
      if (n > RNG_MAX_REQUEST - done) n = RNG_MAX_REQUEST - done;
      rngFill(p, n);
      markDirtyRange(chain.addr[i], n);
      if (watchActive) hookDma(chain.addr[i], n);
      done += n;
    }
    return <u32>done;
  }

  save(w: StateWriter): void { w.u64(s0); w.u64(s1); w.u64(s2); w.u64(s3); }
  load(r: StateReader): void { s0 = r.u64(); s1 = r.u64(); s2 = r.u64(); s3 = r.u64(); }
  reset(): void {} // a device reset does not rewind the entropy stream
}

export const virtioRng = new VirtioRng();
