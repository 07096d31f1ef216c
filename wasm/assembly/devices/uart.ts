// ns16550a UART (TI PC16550D datasheet; QEMU hw/char/serial.c), byte registers
// at reg-shift 0, as Linux's 8250 driver (drivers/tty/serial/8250/8250_port.c)
// probes and drives it:
//   0 RBR (read) / THR (write) / DLL (LCR.DLAB)   4 MCR
//   1 IER / DLM (LCR.DLAB)                        5 LSR
//   2 IIR (read) / FCR (write)                    6 MSR
//   3 LCR                                         7 SCR
// Transmission is instant: THR bytes go to the output buffer the host drains,
// so LSR.THRE and LSR.TEMT are always set. Reception: a 16-byte RX FIFO
// (1 byte with FIFOs disabled) refilled from a 64 KiB input queue that the
// host fills between runs. Loopback (MCR.LOOP) routes TX to RX and MCR to MSR,
// which the 8250 autoconfig test checks (MCR = LOOP|OUT2|RTS -> MSR = DCD|CTS).
// XXX: no line timing: the divisor latch and LCR framing are stored but have no
// effect, and parity/framing errors and breaks never occur.
import { Device } from './device';
import { StateWriter, StateReader } from '../serialize';
import { requestStop } from '../state';
import { STOP_OUTPUT } from '../constants';
import { beginNodeAt, endNode, propU32, propReg, propStr, PHANDLE_PLIC } from '../fdt-writer';
import { plicSetLevel } from './plic';

const IER_ERBFI: u32 = 0x01; // received data available
const IER_ETBEI: u32 = 0x02; // THR empty
const IER_ELSI: u32 = 0x04; // receiver line status
const IER_EDSSI: u32 = 0x08; // modem status

const IIR_NO_INT: u32 = 0x01;
const IIR_MSI: u32 = 0x00;
const IIR_THRI: u32 = 0x02;
const IIR_RDI: u32 = 0x04;
const IIR_RLSI: u32 = 0x06;
const IIR_FIFO_ENABLED: u32 = 0xc0;

const FCR_ENABLE_FIFO: u32 = 0x01;
const FCR_CLEAR_RCVR: u32 = 0x02;
const FCR_CLEAR_XMIT: u32 = 0x04;

const LCR_DLAB: u32 = 0x80;

const MCR_DTR: u32 = 0x01;
const MCR_RTS: u32 = 0x02;
const MCR_OUT1: u32 = 0x04;
const MCR_OUT2: u32 = 0x08;
const MCR_LOOP: u32 = 0x10;

const LSR_DR: u32 = 0x01;
const LSR_OE: u32 = 0x02;
const LSR_BI: u32 = 0x10;
const LSR_THRE: u32 = 0x20;
const LSR_TEMT: u32 = 0x40;

const MSR_DCTS: u32 = 0x01;
const MSR_DDSR: u32 = 0x02;
const MSR_TERI: u32 = 0x04;
const MSR_DDCD: u32 = 0x08;
const MSR_CTS: u32 = 0x10;
const MSR_DSR: u32 = 0x20;
const MSR_RI: u32 = 0x40;
const MSR_DCD: u32 = 0x80;

/** The node name, also in /chosen/stdout-path (fdt.ts). */
export const UART_DT_NAME = 'serial';
const UART_CLOCK_HZ: u32 = 3686400; // QEMU virt: 0x384000

export const UART_RX_FIFO_SIZE: u32 = 16;
export const CONSOLE_INPUT_SIZE: u32 = 64 * 1024; // power of two (ring index masks)
export const CONSOLE_OUTPUT_SIZE: u32 = 64 * 1024;
const CONSOLE_OUTPUT_STOP: u32 = CONSOLE_OUTPUT_SIZE / 4 * 3;

const rxFifo = memory.data(UART_RX_FIFO_SIZE);
const inputQueue = memory.data(CONSOLE_INPUT_SIZE);
const outputBuf = memory.data(CONSOLE_OUTPUT_SIZE);

export class Uart extends Device {
  ier: u32 = 0;
  lcr: u32 = 0;
  mcr: u32 = 0;
  lsrErrors: u32 = 0; // sticky OE/PE/FE/BI bits, cleared by reading LSR
  msrDelta: u32 = 0; // DCTS/DDSR/TERI/DDCD
  scr: u32 = 0;
  dll: u32 = 0;
  dlm: u32 = 0;
  fifoEnabled: bool = false;
  fcrTrigger: u32 = 0; // FCR bits 7:6 (RX trigger level; reported data-available regardless)
  /** THRE interrupt condition: set when THR empties or ETBEI is written, cleared by reading IIR with THRE reported or writing THR. */
  thrIpending: bool = false;
  rxHead: u32 = 0;
  rxCount: u32 = 0;
  inHead: u32 = 0;
  inCount: u32 = 0;
  outLength: u32 = 0;
  /** Bytes lost because the host did not drain the output buffer. */
  outDropped: u32 = 0;

  // ---- RX side
  private rxCapacity(): u32 { return this.fifoEnabled ? UART_RX_FIFO_SIZE : 1; }

  private rxPush(b: u32): void {
    if (this.rxCount >= this.rxCapacity()) { this.lsrErrors |= LSR_OE; return; }
    store<u8>(rxFifo + ((this.rxHead + this.rxCount) & (UART_RX_FIFO_SIZE - 1)), <u8>b);
    this.rxCount++;
  }

  private rxPop(): u32 {
    if (this.rxCount == 0) return 0;
    const b = <u32>load<u8>(rxFifo + this.rxHead);
    this.rxHead = (this.rxHead + 1) & (UART_RX_FIFO_SIZE - 1);
    this.rxCount--;
    return b;
  }

  /** Moves host input into the RX FIFO while it has room. The line is disconnected in loopback. */
  refill(): void {
    if ((this.mcr & MCR_LOOP) != 0) return;
    const cap = this.rxCapacity();
    while (this.inCount > 0 && this.rxCount < cap) {
      this.rxPush(<u32>load<u8>(inputQueue + this.inHead));
      this.inHead = (this.inHead + 1) & (CONSOLE_INPUT_SIZE - 1);
      this.inCount--;
    }
  }

  queueInput(b: u32): bool {
    if (this.inCount >= CONSOLE_INPUT_SIZE) return false;
    store<u8>(inputQueue + ((this.inHead + this.inCount) & (CONSOLE_INPUT_SIZE - 1)), <u8>b);
    this.inCount++;
    this.refill();
    this.updateIrq();
    return true;
  }

  // ---- TX side
  private transmit(b: u32): void {
    if ((this.mcr & MCR_LOOP) != 0) { this.rxPush(b); return; }
    if (this.outLength >= CONSOLE_OUTPUT_SIZE) { this.outDropped++; return; } // XXX: host did not drain after STOP_OUTPUT
    store<u8>(outputBuf + this.outLength, <u8>b);
    this.outLength++;
    if (this.outLength >= CONSOLE_OUTPUT_STOP) requestStop(STOP_OUTPUT);
  }

  clearOutput(): void { this.outLength = 0; }

  // ---- status registers
  private lsr(): u32 {
    return (this.rxCount > 0 ? LSR_DR : 0) | LSR_THRE | LSR_TEMT | this.lsrErrors;
  }

  /** MSR status bits 7:4: wired from MCR in loopback (DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD), else carrier present. */
  private msrStatus(): u32 {
    const m = this.mcr;
    if ((m & MCR_LOOP) == 0) return MSR_DCD | MSR_DSR | MSR_CTS;
    return ((m & MCR_DTR) != 0 ? MSR_DSR : 0) | ((m & MCR_RTS) != 0 ? MSR_CTS : 0)
      | ((m & MCR_OUT1) != 0 ? MSR_RI : 0) | ((m & MCR_OUT2) != 0 ? MSR_DCD : 0);
  }

  /** The pending interrupt of highest priority (datasheet table 4): line status > RX data > THR empty > modem status. */
  private iirSource(): u32 {
    const ier = this.ier;
    if ((ier & IER_ELSI) != 0 && (this.lsrErrors & (LSR_OE | 0x0c | LSR_BI)) != 0) return IIR_RLSI;
    if ((ier & IER_ERBFI) != 0 && this.rxCount > 0) return IIR_RDI; // XXX: no separate RX timeout (0x0c)
    if ((ier & IER_ETBEI) != 0 && this.thrIpending) return IIR_THRI;
    if ((ier & IER_EDSSI) != 0 && this.msrDelta != 0) return IIR_MSI;
    return IIR_NO_INT;
  }

  updateIrq(): void { plicSetLevel(this.irq, this.iirSource() != IIR_NO_INT); }

  read(offset: u32, size: u32): u64 {
    let v: u32;
    const dlab = (this.lcr & LCR_DLAB) != 0;
    switch (offset) {
      case 0:
        if (dlab) { v = this.dll; break; }
        v = this.rxPop();
        this.refill();
        break;
      case 1: v = dlab ? this.dlm : this.ier; break;
      case 2: {
        const src = this.iirSource();
        if (src == IIR_THRI) this.thrIpending = false;
        v = src | (this.fifoEnabled ? IIR_FIFO_ENABLED : 0);
        break;
      }
      case 3: v = this.lcr; break;
      case 4: v = this.mcr; break;
      case 5: v = this.lsr(); this.lsrErrors = 0; break;
      case 6: v = this.msrStatus() | this.msrDelta; this.msrDelta = 0; break;
      case 7: v = this.scr; break;
      default: return 0;
    }
    this.updateIrq();
    return <u64>v;
  }

  write(offset: u32, value: u64, size: u32): void {
    const v = <u32>value & 0xff;
    const dlab = (this.lcr & LCR_DLAB) != 0;
    switch (offset) {
      case 0:
        if (dlab) { this.dll = v; break; }
        this.transmit(v);
        this.thrIpending = true; // sent at once: THR is empty again
        break;
      case 1:
        if (dlab) { this.dlm = v; break; }
        this.ier = v & 0x0f; // bits 7:4 read as zero (8250 autoconfig checks this)
        // Writing IER with ETBEI set while THR is empty (always) raises THRE again,
        // which Linux's startup THRE test expects of a real 16550.
        this.thrIpending = (this.ier & IER_ETBEI) != 0;
        break;
      case 2: {
        const enable = (v & FCR_ENABLE_FIFO) != 0;
        if (enable != this.fifoEnabled) { this.rxHead = 0; this.rxCount = 0; } // mode change empties the FIFOs
        this.fifoEnabled = enable;
        if ((v & FCR_CLEAR_RCVR) != 0) { this.rxHead = 0; this.rxCount = 0; }
        if ((v & FCR_CLEAR_XMIT) != 0) this.thrIpending = (this.ier & IER_ETBEI) != 0;
        this.fcrTrigger = v & 0xc0;
        this.refill();
        break;
      }
      case 3: this.lcr = v; break;
      case 4: {
        const before = this.msrStatus();
        this.mcr = v & 0x1f;
        const after = this.msrStatus();
        const changed = before ^ after;
        if ((changed & MSR_CTS) != 0) this.msrDelta |= MSR_DCTS;
        if ((changed & MSR_DSR) != 0) this.msrDelta |= MSR_DDSR;
        if ((changed & MSR_DCD) != 0) this.msrDelta |= MSR_DDCD;
        if ((before & MSR_RI) != 0 && (after & MSR_RI) == 0) this.msrDelta |= MSR_TERI;
        this.refill();
        break;
      }
      case 5: break; // LSR: factory test only
      case 6: break; // MSR: read-only
      case 7: this.scr = v; break;
      default: return;
    }
    this.updateIrq();
  }

  save(w: StateWriter): void {
    w.u32(this.ier); w.u32(this.lcr); w.u32(this.mcr); w.u32(this.lsrErrors); w.u32(this.msrDelta);
    w.u32(this.scr); w.u32(this.dll); w.u32(this.dlm); w.bool(this.fifoEnabled); w.u32(this.fcrTrigger);
    w.bool(this.thrIpending);
    w.u32(this.rxCount);
    for (let i: u32 = 0; i < this.rxCount; i++) w.u8(load<u8>(rxFifo + ((this.rxHead + i) & (UART_RX_FIFO_SIZE - 1))));
    // Host input not yet taken by the guest is machine state: it decides what the guest reads next.
    w.u32(this.inCount);
    for (let i: u32 = 0; i < this.inCount; i++) w.u8(load<u8>(inputQueue + ((this.inHead + i) & (CONSOLE_INPUT_SIZE - 1))));
  }

  load(r: StateReader): void {
    this.ier = r.u32(); this.lcr = r.u32(); this.mcr = r.u32(); this.lsrErrors = r.u32(); this.msrDelta = r.u32();
    this.scr = r.u32(); this.dll = r.u32(); this.dlm = r.u32(); this.fifoEnabled = r.bool(); this.fcrTrigger = r.u32();
    this.thrIpending = r.bool();
    let n = r.u32();
    if (n > UART_RX_FIFO_SIZE) { n = 0; r.failed = true; }
    this.rxHead = 0; this.rxCount = n;
    for (let i: u32 = 0; i < n; i++) store<u8>(rxFifo + i, r.u8());
    let m = r.u32();
    if (m > CONSOLE_INPUT_SIZE) { m = 0; r.failed = true; }
    this.inHead = 0; this.inCount = m;
    for (let i: u32 = 0; i < m; i++) store<u8>(inputQueue + i, r.u8());
    this.updateIrq();
  }

  reset(): void {
    this.ier = 0; this.lcr = 0; this.mcr = 0; this.lsrErrors = 0; this.msrDelta = 0;
    this.scr = 0; this.dll = 0; this.dlm = 0; this.fifoEnabled = false; this.fcrTrigger = 0;
    this.thrIpending = false; this.rxHead = 0; this.rxCount = 0;
    // The input queue and the output buffer belong to the host side and survive a reset.
    this.refill();
    this.updateIrq();
  }

  dtNode(base: u64, size: u64): void {
    beginNodeAt(UART_DT_NAME, base);
    propU32('interrupts', this.irq);
    propU32('interrupt-parent', PHANDLE_PLIC);
    propU32('clock-frequency', UART_CLOCK_HZ);
    propReg(base, size);
    propStr('compatible', 'ns16550a');
    endNode();
  }
}

export const uart = new Uart();

export function consoleInput(byte: u32): bool { return uart.queueInput(byte); }
/** Host input bytes the guest has not read yet (input queue plus RX FIFO). */
export function consoleInputPending(): u32 { return uart.inCount + uart.rxCount; }
export function consoleOutputPtr(): usize { return outputBuf; }
export function consoleOutputLength(): u32 { return uart.outLength; }
export function consoleOutputClear(): void { uart.clearOutput(); }
