// Platform-Level Interrupt Controller as QEMU virt configures it
// (hw/intc/sifive_plic.c; RISC-V PLIC spec v1.0.0): PLIC_SOURCES ids (0 is
// "no interrupt", sources 1..PLIC_SOURCES-1), 3 priority bits, and 2 contexts
// for hart 0: context 0 = M-mode (mip.MEIP), context 1 = S-mode (mip.SEIP).
//   0x000000 + 4*src       priority
//   0x001000 + 4*word      pending bits (read-only)
//   0x002000 + 0x80*ctx    enable bits
//   0x200000 + 0x1000*ctx  threshold; +4 claim (read) / complete (write)
//
// Gateways (PLIC spec "Interrupt Gateways"): inputs are level-triggered. A high
// level sets the pending bit unless the source is in service. A claim clears
// the pending bit and puts the source in service; a complete takes it out, and
// a level still high pends it again. A level that drops after pending stays
// pending (the handler finds nothing to do), as the spec says.
import { Device } from './device';
import { StateWriter, StateReader } from '../serialize';
import { setIrqLine, IRQ_MEIP, IRQ_SEIP } from '../state';
import { PLIC_SOURCES, PLIC_CONTEXTS } from '../constants';
import {
  beginNodeAt, endNode, propBegin, propEnd, cell, propEmpty, propU32, propReg, propStr, PHANDLE_PLIC, PHANDLE_CPU_INTC, INTC_M_EXT, INTC_S_EXT,
} from '../fdt-writer';

export const PLIC_PRIORITY: u32 = 0x0;
export const PLIC_PENDING: u32 = 0x1000;
export const PLIC_ENABLE: u32 = 0x2000;
export const PLIC_ENABLE_STRIDE: u32 = 0x80;
export const PLIC_CONTEXT: u32 = 0x20_0000;
export const PLIC_CONTEXT_STRIDE: u32 = 0x1000;
export const PLIC_PRIORITY_MASK: u32 = 7; // QEMU virt: VIRT_IRQCHIP_NUM_PRIO_BITS = 3

const WORDS: u32 = (PLIC_SOURCES + 31) >> 5;

// Bit sets of WORDS u32 each, and per-source / per-context registers, laid end
// to end in one static block: the whole PLIC state, saved, loaded and reset as one.
const PRIORITY_BYTES: u32 = PLIC_SOURCES * 4;
const BITS_BYTES: u32 = WORDS * 4;
const ENABLE_BYTES: u32 = PLIC_CONTEXTS * WORDS * 4;
const THRESHOLD_BYTES: u32 = PLIC_CONTEXTS * 4;
const STATE_BYTES: u32 = PRIORITY_BYTES + 3 * BITS_BYTES + ENABLE_BYTES + THRESHOLD_BYTES;
const state = memory.data(STATE_BYTES, 4);
const priority = state;
const pending = priority + PRIORITY_BYTES;
const inService = pending + BITS_BYTES;
const level = inService + BITS_BYTES;
const enable = level + BITS_BYTES;
const threshold = enable + ENABLE_BYTES;

@inline function bitGet(set: usize, irq: u32): bool { return (load<u32>(set + ((irq >> 5) << 2)) >> (irq & 31) & 1) != 0; }
@inline function bitSet(set: usize, irq: u32, on: bool): void {
  const p = set + ((irq >> 5) << 2);
  const m: u32 = 1 << (irq & 31);
  store<u32>(p, on ? (load<u32>(p) | m) : (load<u32>(p) & ~m));
}
@inline function enableSet(ctx: u32): usize { return enable + ctx * WORDS * 4; }

/** The highest-priority pending, enabled source above the context's threshold (ties: lowest id), or 0. */
function plicBest(ctx: u32): u32 {
  const en = enableSet(ctx);
  const thr = load<u32>(threshold + (ctx << 2));
  let best: u32 = 0;
  let bestPrio: u32 = thr;
  for (let w: u32 = 0; w < WORDS; w++) {
    let bits = load<u32>(pending + (w << 2)) & load<u32>(en + (w << 2));
    while (bits != 0) {
      const irq = (w << 5) + <u32>ctz(bits);
      bits &= bits - 1;
      if (irq == 0 || irq >= PLIC_SOURCES) continue;
      const p = load<u32>(priority + (irq << 2));
      if (p > bestPrio) { best = irq; bestPrio = p; }
    }
  }
  return best;
}

/** Drives mip.MEIP / mip.SEIP from the two contexts. */
function plicUpdate(): void {
  setIrqLine(IRQ_MEIP, plicBest(0) != 0);
  setIrqLine(IRQ_SEIP, plicBest(1) != 0);
}

/** A device's interrupt line (level-triggered). Idempotent. */
export function plicSetLevel(irq: u32, high: bool): void {
  if (irq == 0 || irq >= PLIC_SOURCES) return;
  bitSet(level, irq, high);
  if (high && !bitGet(inService, irq) && !bitGet(pending, irq)) {
    bitSet(pending, irq, true);
    plicUpdate();
  }
}

function plicClaim(ctx: u32): u32 {
  const irq = plicBest(ctx);
  if (irq != 0) {
    bitSet(pending, irq, false);
    bitSet(inService, irq, true);
    plicUpdate();
  }
  return irq;
}

function plicComplete(ctx: u32, irq: u32): void {
  // PLIC spec: a completion for a source not enabled for this context is ignored.
  if (irq == 0 || irq >= PLIC_SOURCES || !bitGet(enableSet(ctx), irq)) return;
  bitSet(inService, irq, false);
  if (bitGet(level, irq)) bitSet(pending, irq, true);
  plicUpdate();
}

// XXX: only the 32-bit registers of the 2 hart-0 contexts exist; other offsets read 0 and ignore writes.
export class Plic extends Device {
  // Registers are 32 bits wide; other sizes act on the word at `offset` (QEMU does the same for 4-byte ops only).
  read(offset: u32, size: u32): u64 {
    if (offset < PLIC_PENDING) {
      const irq = offset >> 2;
      return irq < PLIC_SOURCES ? <u64>load<u32>(priority + (irq << 2)) : 0;
    }
    if (offset < PLIC_ENABLE) {
      const w = (offset - PLIC_PENDING) >> 2;
      return w < WORDS ? <u64>load<u32>(pending + (w << 2)) : 0;
    }
    if (offset < PLIC_CONTEXT) {
      const ctx = (offset - PLIC_ENABLE) / PLIC_ENABLE_STRIDE;
      const w = ((offset - PLIC_ENABLE) % PLIC_ENABLE_STRIDE) >> 2;
      return ctx < PLIC_CONTEXTS && w < WORDS ? <u64>load<u32>(enableSet(ctx) + (w << 2)) : 0;
    }
    const ctx = (offset - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE;
    const reg = (offset - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE;
    if (ctx >= PLIC_CONTEXTS) return 0;
    if (reg == 0) return <u64>load<u32>(threshold + (ctx << 2));
    if (reg == 4) return <u64>plicClaim(ctx);
    return 0;
  }

  write(offset: u32, value: u64, size: u32): void {
    const v = <u32>value;
    if (offset < PLIC_PENDING) {
      const irq = offset >> 2;
      if (irq != 0 && irq < PLIC_SOURCES) { store<u32>(priority + (irq << 2), v & PLIC_PRIORITY_MASK); plicUpdate(); }
      return;
    }
    if (offset < PLIC_ENABLE) return; // pending bits are read-only
    if (offset < PLIC_CONTEXT) {
      const ctx = (offset - PLIC_ENABLE) / PLIC_ENABLE_STRIDE;
      const w = ((offset - PLIC_ENABLE) % PLIC_ENABLE_STRIDE) >> 2;
      if (ctx < PLIC_CONTEXTS && w < WORDS) {
        store<u32>(enableSet(ctx) + (w << 2), w == 0 ? (v & ~1) : v); // source 0 does not exist
        plicUpdate();
      }
      return;
    }
    const ctx = (offset - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE;
    const reg = (offset - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE;
    if (ctx >= PLIC_CONTEXTS) return;
    if (reg == 0) { store<u32>(threshold + (ctx << 2), v & PLIC_PRIORITY_MASK); plicUpdate(); }
    else if (reg == 4) plicComplete(ctx, v);
  }

  save(w: StateWriter): void {
    w.bytes(state, STATE_BYTES);
  }

  load(r: StateReader): void {
    r.bytes(state, STATE_BYTES);
    plicUpdate();
  }

  reset(): void {
    memory.fill(state, 0, STATE_BYTES);
    plicUpdate();
  }

  dtNode(base: u64, size: u64): void {
    beginNodeAt('plic', base);
    propU32('phandle', PHANDLE_PLIC);
    propU32('riscv,ndev', PLIC_SOURCES - 1); // sources 1..PLIC_SOURCES-1
    propReg(base, size);
    propBegin('interrupts-extended');
    cell(PHANDLE_CPU_INTC); cell(INTC_M_EXT);
    cell(PHANDLE_CPU_INTC); cell(INTC_S_EXT);
    propEnd();
    propEmpty('interrupt-controller');
    propStr('compatible', 'sifive,plic-1.0.0\0riscv,plic0');
    propU32('#address-cells', 0);
    propU32('#interrupt-cells', 1);
    endNode();
  }
}

export const plic = new Plic();
