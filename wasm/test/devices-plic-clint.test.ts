// PLIC claim/complete/priority/threshold, CLINT mtime/mtimecmp/msip and the Sstc compare,
// sifive_test poweroff, and the bus's fault for unbacked addresses.
import { describe, it, expect, beforeEach } from 'vitest';
import { loadMachine, rd, wr, u64, type Machine } from './devices-harness';
import { CLINT_BASE, PLIC_BASE, TEST_BASE, StopReason } from '../build/constants';

const PLIC = Number(PLIC_BASE);
const prio = (src: number) => PLIC + 4 * src;
const PENDING = PLIC + 0x1000;
const enable = (ctx: number) => PLIC + 0x2000 + 0x80 * ctx;
const threshold = (ctx: number) => PLIC + 0x20_0000 + 0x1000 * ctx;
const claim = (ctx: number) => threshold(ctx) + 4;
const IRQ_MSIP = 1n << 3n, IRQ_STIP = 1n << 5n, IRQ_MTIP = 1n << 7n, IRQ_SEIP = 1n << 9n, IRQ_MEIP = 1n << 11n;

const CLINT = Number(CLINT_BASE);
const MSIP = CLINT, MTIMECMP = CLINT + 0x4000, MTIME = CLINT + 0xbff8;
const U64_MAX = (1n << 64n) - 1n;
const STCE = 1n << 63n;

describe('plic', () => {
  let m: Machine;
  const lines = () => u64(m.testMipLines());
  beforeEach(() => { m = loadMachine(); });

  it('keeps 3 priority bits per source and no source 0', () => {
    wr(m, prio(5), 0xff);
    expect(rd(m, prio(5))).toBe(7);
    wr(m, prio(0), 3);
    expect(rd(m, prio(0))).toBe(0);
    wr(m, enable(0), 0xffff_ffff);
    expect(rd(m, enable(0))).toBe(0xffff_fffe);
  });

  it('claims the highest priority first, lowest id on ties, and clears pending while in service', () => {
    for (const [src, p] of [[3, 2], [4, 5], [5, 5]]) wr(m, prio(src), p);
    wr(m, enable(1), (1 << 3) | (1 << 4) | (1 << 5));
    for (const src of [3, 4, 5]) m.testPlicSetLevel(src, 1);
    expect(rd(m, PENDING)).toBe((1 << 3) | (1 << 4) | (1 << 5));
    expect(lines() & IRQ_SEIP).toBe(IRQ_SEIP);
    expect(lines() & IRQ_MEIP).toBe(0n); // nothing enabled for context 0
    expect(rd(m, claim(1))).toBe(4);
    expect(rd(m, PENDING) & (1 << 4)).toBe(0);
    expect(rd(m, claim(1))).toBe(5);
    expect(rd(m, claim(1))).toBe(3);
    expect(rd(m, claim(1))).toBe(0);
    expect(lines() & IRQ_SEIP).toBe(0n);
  });

  it('re-pends a level still high at complete (gateway), and not one that dropped', () => {
    wr(m, prio(7), 1);
    wr(m, enable(0), 1 << 7);
    m.testPlicSetLevel(7, 1);
    expect(lines() & IRQ_MEIP).toBe(IRQ_MEIP);
    expect(rd(m, claim(0))).toBe(7);
    expect(lines() & IRQ_MEIP).toBe(0n);
    m.testPlicSetLevel(7, 1); // still high while in service: no new request
    expect(rd(m, claim(0))).toBe(0);
    wr(m, claim(0), 7);
    expect(lines() & IRQ_MEIP).toBe(IRQ_MEIP);
    expect(rd(m, claim(0))).toBe(7);
    m.testPlicSetLevel(7, 0);
    wr(m, claim(0), 7);
    expect(lines() & IRQ_MEIP).toBe(0n);
    expect(rd(m, PENDING)).toBe(0);
  });

  it('masks sources at or below the threshold, and priority 0 never interrupts', () => {
    wr(m, prio(9), 3);
    wr(m, prio(8), 0);
    wr(m, enable(1), (1 << 9) | (1 << 8));
    m.testPlicSetLevel(8, 1);
    expect(lines() & IRQ_SEIP).toBe(0n);
    m.testPlicSetLevel(9, 1);
    wr(m, threshold(1), 3);
    expect(rd(m, threshold(1))).toBe(3);
    expect(lines() & IRQ_SEIP).toBe(0n);
    expect(rd(m, claim(1))).toBe(0);
    wr(m, threshold(1), 2);
    expect(lines() & IRQ_SEIP).toBe(IRQ_SEIP);
    expect(rd(m, claim(1))).toBe(9);
  });

  it('ignores a completion for a source not enabled in that context', () => {
    wr(m, prio(2), 1);
    wr(m, enable(1), 1 << 2);
    m.testPlicSetLevel(2, 1);
    expect(rd(m, claim(1))).toBe(2);
    wr(m, claim(0), 2); // context 0 has source 2 disabled
    expect(rd(m, claim(1))).toBe(0); // still in service
    wr(m, claim(1), 2);
    expect(rd(m, claim(1))).toBe(2);
  });
});

describe('clint', () => {
  let m: Machine;
  const lines = () => u64(m.testMipLines());
  beforeEach(() => { m = loadMachine(); });

  it('derives mtime from ticks (10 ticks per mtime unit) and moves it by an offset when written', () => {
    m.testSetTick(12_345n);
    expect(u64(m.mmioRead(BigInt(MTIME), 8))).toBe(1234n);
    expect(rd(m, MTIME)).toBe(1234);
    expect(rd(m, MTIME + 4)).toBe(0);
    wr(m, MTIME, 1_000_000n, 8);
    expect(u64(m.mmioRead(BigInt(MTIME), 8))).toBe(1_000_000n);
    m.testSetTick(12_345n + 100n);
    expect(u64(m.mmioRead(BigInt(MTIME), 8))).toBe(1_000_010n);
    wr(m, MTIME + 4, 1); // 32-bit write of the high half
    expect(u64(m.mmioRead(BigInt(MTIME), 8))).toBe((1n << 32n) + 1_000_010n);
  });

  it('raises MTIP when mtime reaches mtimecmp, written as 64 bits or two 32-bit halves', () => {
    expect(u64(m.mmioRead(BigInt(MTIMECMP), 8))).toBe(U64_MAX);
    m.testSetTick(1000n); // mtime 100
    wr(m, MTIMECMP, 0xffff_ffff); // low half first, as 32-bit drivers do
    wr(m, MTIMECMP + 4, 0);
    wr(m, MTIMECMP, 150);
    expect(u64(m.mmioRead(BigInt(MTIMECMP), 8))).toBe(150n);
    expect(lines() & IRQ_MTIP).toBe(0n);
    expect(u64(m.testNextTimerTick())).toBe(1500n);
    m.testSetTick(1499n);
    expect(lines() & IRQ_MTIP).toBe(0n);
    m.testSetTick(1500n);
    expect(lines() & IRQ_MTIP).toBe(IRQ_MTIP);
    expect(u64(m.testNextTimerTick())).toBe(U64_MAX); // already pending: no future edge
    wr(m, MTIMECMP, 1000n, 8);
    expect(lines() & IRQ_MTIP).toBe(0n);
  });

  it('drives MSIP from msip bit 0', () => {
    wr(m, MSIP, 1);
    expect(rd(m, MSIP)).toBe(1);
    expect(lines() & IRQ_MSIP).toBe(IRQ_MSIP);
    wr(m, MSIP, 2);
    expect(rd(m, MSIP)).toBe(0);
    expect(lines() & IRQ_MSIP).toBe(0n);
  });

  it('drives STIP from stimecmp only while menvcfg.STCE is set (Sstc)', () => {
    m.testSetTick(0n);
    m.testSetStimecmp(50n);
    m.testDevicesUpdate();
    expect(u64(m.testNextTimerTick())).toBe(U64_MAX); // STCE clear: stimecmp is not a deadline
    m.testSetMenvcfg(STCE);
    expect(u64(m.testNextTimerTick())).toBe(500n);
    wr(m, MTIMECMP, 70n, 8);
    expect(u64(m.testNextTimerTick())).toBe(500n);
    wr(m, MTIMECMP, 20n, 8);
    expect(u64(m.testNextTimerTick())).toBe(200n);
    m.testSetTick(500n);
    expect(lines() & IRQ_STIP).toBe(IRQ_STIP);
    m.testSetMenvcfg(0n);
    m.testDevicesUpdate();
    expect(lines() & IRQ_STIP).toBe(0n);
  });

  it('does not overflow computing a far deadline', () => {
    m.testSetTick(0n);
    wr(m, MTIMECMP, U64_MAX - 1n, 8);
    expect(u64(m.testNextTimerTick())).toBe(U64_MAX);
  });
});

describe('sifive_test and the bus', () => {
  let m: Machine;
  beforeEach(() => { m = loadMachine(); });

  it('powers off on 0x5555, fails with a code on 0x3333, reboots on 0x7777', () => {
    wr(m, TEST_BASE, 0x5555);
    expect(m.testStopReason()).toBe(StopReason.poweroff);
    expect(m.powerOffCode()).toBe(0);
    m.testClearStop();
    wr(m, TEST_BASE, (42 << 16) | 0x3333);
    expect(m.testStopReason()).toBe(StopReason.poweroff);
    expect(m.powerOffCode()).toBe(42);
    m.testClearStop();
    wr(m, TEST_BASE, 0x7777);
    expect(m.testStopReason()).toBe(StopReason.reboot);
  });

  it('faults on addresses no device backs, and not on those one does', () => {
    m.mmioRead(0x10_1000n, 4);
    expect(m.mmioFault()).toBe(1);
    m.mmioRead(0x1000_0005n, 1);
    expect(m.mmioFault()).toBe(0);
    m.mmioWrite(0x4000_0000n, 1n, 4);
    expect(m.mmioFault()).toBe(1);
    m.mmioRead(0x1000_00ffn, 2); // straddles the end of the UART
    expect(m.mmioFault()).toBe(1);
    m.mmioRead(0x1000_8ffcn, 4); // last word of the last virtio slot
    expect(m.mmioFault()).toBe(0);
    m.mmioRead(0x1000_9000n, 4);
    expect(m.mmioFault()).toBe(1);
  });
});
