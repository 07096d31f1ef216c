// Write watches see device DMA (wasm/assembly/hooks.ts hookDma): a virtio-rng
// request filling a buffer that overlaps a watched range is reported as the
// watched part of what the device wrote, new bytes only, in chunks of
// HOOK_DMA_CHUNK bytes; the used ring the device updates likewise.
import { describe, expect, it } from 'vitest';
import { loadMachine, wr, ram, RAM_BASE, type Machine } from './devices-harness';
import { HOOK_DMA_CHUNK, HOOK_WRITE, HOOK_WRITE_DMA, VIRTIO_BASE, VIRTIO_SLOT_RNG, VIRTIO_STRIDE } from '../build/constants';

const BASE = Number(VIRTIO_BASE + BigInt(VIRTIO_SLOT_RNG) * VIRTIO_STRIDE);
const DESC = 0x1000, AVAIL = 0x2000, USED = 0x3000, BUF = 0x10000, NUM = 8;
const gpa = (off: number) => RAM_BASE + BigInt(off);

/** virtio spec 3.1.1 for queue 0 of the rng, then one device-writable buffer of `len` bytes at BUF, notified. */
function requestEntropy(m: Machine, len: number): void {
  const w = (reg: number, v: number) => wr(m, BASE + reg, v);
  for (const s of [0, 1, 3]) w(0x070, s);
  w(0x024, 1); w(0x020, 1); w(0x024, 0); w(0x020, 0); // VIRTIO_F_VERSION_1
  w(0x070, 0xb);
  w(0x030, 0); w(0x038, NUM);
  w(0x080, Number(gpa(DESC))); w(0x084, 0);
  w(0x090, Number(gpa(AVAIL))); w(0x094, 0);
  w(0x0a0, Number(gpa(USED))); w(0x0a4, 0);
  w(0x044, 1); w(0x070, 0xf);
  const v = ram(m).view;
  v.setBigUint64(DESC, gpa(BUF), true);
  v.setUint32(DESC + 8, len, true);
  v.setUint16(DESC + 12, 2, true); // VIRTQ_DESC_F_WRITE
  v.setUint16(AVAIL + 4, 0, true);
  v.setUint16(AVAIL + 2, 1, true);
  w(0x050, 0); // QueueNotify: the request completes before this store returns
}

/** The raw events in the hook buffer: paddr, info, and the data words' bytes. */
function drain(m: Machine): { paddr: bigint; info: number; bytes: Uint8Array }[] {
  const view = new DataView(m.memory.buffer, m.hookBufferPtr(), m.hookBufferLength());
  const out = [];
  for (let at = 0; at < view.byteLength; ) {
    const header = view.getUint32(at, true);
    const words = (header >> 8) & 0xff;
    expect(header & 0xff).toBe(HOOK_WRITE);
    const info = Number(view.getBigUint64(at + 32, true));
    out.push({ paddr: view.getBigUint64(at + 24, true), info, bytes: new Uint8Array(view.buffer.slice(view.byteOffset + at + 40, view.byteOffset + at + 40 + (info & 0xffff))) });
    at += words * 8;
  }
  m.hookBufferClear();
  return out;
}

describe('write watches and DMA', () => {
  it('report the watched part of a device write, in chunks, with the bytes it wrote', () => {
    const m = loadMachine();
    m.setHookMask(HOOK_WRITE);
    expect(m.hookWatchAdd(gpa(BUF + 8), 100n)).toBe(1);
    requestEntropy(m, 256);
    const events = drain(m);
    const bytes = ram(m).bytes;
    expect(events.map((e) => [e.paddr, e.info & 0xffff, e.info >>> 24])).toEqual([
      [gpa(BUF + 8), HOOK_DMA_CHUNK, HOOK_WRITE_DMA],
      [gpa(BUF + 8 + HOOK_DMA_CHUNK), 100 - HOOK_DMA_CHUNK, HOOK_WRITE_DMA],
    ]);
    for (const e of events) expect(e.bytes).toEqual(bytes.slice(Number(e.paddr - RAM_BASE), Number(e.paddr - RAM_BASE) + (e.info & 0xffff)));
    expect(events[0]!.bytes.some((b) => b !== 0)).toBe(true); // entropy, not the zeros that were there
  });

  it('report the used ring the device updates, and nothing outside the watched ranges', () => {
    const m = loadMachine();
    m.setHookMask(HOOK_WRITE);
    expect(m.hookWatchAdd(gpa(USED + 4), 8n)).toBe(1); // the first used element: id, len
    requestEntropy(m, 16);
    const [event, ...rest] = drain(m);
    expect(rest).toEqual([]);
    expect(event!.paddr).toBe(gpa(USED + 4));
    expect(new DataView(event!.bytes.buffer).getUint32(4, true)).toBe(16); // used.len: the bytes written
  });
});
