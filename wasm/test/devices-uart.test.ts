// ns16550a UART: registers as Linux's 8250 driver uses them (wasm/assembly/devices/uart.ts).
import { describe, it, expect, beforeEach } from 'vitest';
import { loadMachine, rd, wr, u64, type Machine } from './devices-harness';
import { PLIC_BASE, UART0_BASE, StopReason } from '../build/constants';

const UART = Number(UART0_BASE);
const RBR = UART + 0, THR = UART + 0, IER = UART + 1, IIR = UART + 2, FCR = UART + 2, LCR = UART + 3;
const MCR = UART + 4, LSR = UART + 5, MSR = UART + 6, SCR = UART + 7;
const PLIC = Number(PLIC_BASE);
const IRQ_SEIP = 1n << 9n;

function output(m: Machine): string {
  const bytes = new Uint8Array(m.memory.buffer, m.consoleOutputPtr(), m.consoleOutputLength());
  return Buffer.from(bytes).toString('latin1');
}

describe('uart', () => {
  let m: Machine;
  beforeEach(() => { m = loadMachine(); });

  it('sends THR bytes to the output buffer the host drains', () => {
    for (const c of 'hi\n') wr(m, THR, c.charCodeAt(0), 1);
    expect(output(m)).toBe('hi\n');
    expect(rd(m, LSR, 1) & 0x60).toBe(0x60); // THRE, TEMT
    m.consoleOutputClear();
    expect(m.consoleOutputLength()).toBe(0);
  });

  it('delivers host input through RBR with LSR.DR, beyond the 16-byte FIFO', () => {
    wr(m, FCR, 0x07, 1); // enable and clear FIFOs
    const text = 'abcdefghijklmnopqrstuvwxyz';
    for (const c of text) expect(m.consoleInput(c.charCodeAt(0))).toBe(1);
    expect(m.consoleInputPending()).toBe(text.length);
    let got = '';
    while (rd(m, LSR, 1) & 1) got += String.fromCharCode(rd(m, RBR, 1));
    expect(got).toBe(text);
    expect(m.consoleInputPending()).toBe(0);
    expect(rd(m, LSR, 1) & 1).toBe(0);
  });

  it('keeps DLL/DLM behind LCR.DLAB and SCR as plain storage', () => {
    wr(m, LCR, 0x83, 1);
    wr(m, UART + 0, 0x01, 1);
    wr(m, UART + 1, 0x02, 1);
    expect(rd(m, UART + 0, 1)).toBe(0x01);
    expect(rd(m, UART + 1, 1)).toBe(0x02);
    wr(m, LCR, 0x03, 1);
    expect(rd(m, IER, 1)).toBe(0);
    expect(m.consoleOutputLength()).toBe(0); // the DLL write was not a THR write
    wr(m, SCR, 0x5a, 1);
    expect(rd(m, SCR, 1)).toBe(0x5a);
  });

  it('passes the 8250 autoconfig probes (IER bits, loopback MSR, 16550A FIFO IIR)', () => {
    wr(m, IER, 0, 1);
    expect(rd(m, IER, 1) & 0x0f).toBe(0);
    wr(m, IER, 0x0f, 1);
    expect(rd(m, IER, 1) & 0x0f).toBe(0x0f);
    wr(m, IER, 0xff, 1);
    expect(rd(m, IER, 1)).toBe(0x0f); // UART_IER_UUE and friends read as 0
    wr(m, IER, 0, 1);
    wr(m, MCR, 0x10 | 0x0a, 1); // LOOP | OUT2 | RTS
    expect(rd(m, MSR, 1) & 0xf0).toBe(0x90); // DCD | CTS
    wr(m, MCR, 0, 1);
    wr(m, LCR, 0xbf, 1);
    wr(m, UART + 2, 0, 1); // EFR write on enhanced parts; FCR here
    wr(m, LCR, 0, 1);
    wr(m, FCR, 0x01, 1);
    expect(rd(m, IIR, 1) >> 6).toBe(3); // 16550A
    wr(m, FCR, 0x21, 1); // 64-byte FIFO bit (16750 probe) must not show in IIR bit 5
    expect((rd(m, IIR, 1) >> 5) & 7).toBe(6);
    expect(rd(m, LSR, 1)).not.toBe(0xff);
  });

  it('reports carrier present (DCD DSR CTS) outside loopback', () => {
    expect(rd(m, MSR, 1) & 0xf0).toBe(0xb0);
  });

  it('loops TX back to RX and MCR to MSR in loopback mode', () => {
    wr(m, FCR, 0x01, 1);
    wr(m, MCR, 0x10 | 0x01 | 0x04, 1); // LOOP | DTR | OUT1
    expect(rd(m, MSR, 1) & 0xf0).toBe(0x20 | 0x40); // DSR | RI
    wr(m, THR, 0x55, 1);
    expect(m.consoleOutputLength()).toBe(0);
    expect(rd(m, LSR, 1) & 1).toBe(1);
    expect(rd(m, RBR, 1)).toBe(0x55);
    // host input waits while the line is looped back
    m.consoleInput(0x41);
    expect(rd(m, LSR, 1) & 1).toBe(0);
    wr(m, MCR, 0, 1);
    expect(rd(m, RBR, 1)).toBe(0x41);
  });

  it('orders IIR sources: line status > RX data > THR empty > modem status', () => {
    // FIFOs off: the receiver holds one byte, so a second looped byte overruns.
    wr(m, MCR, 0x10, 1);
    wr(m, IER, 0x0f, 1);
    expect(rd(m, IIR, 1)).toBe(0x02); // THRE raised by the IER write
    expect(rd(m, IIR, 1)).toBe(0x00); // reading IIR cleared THRE; the loopback MCR write left modem deltas
    rd(m, MSR, 1); // clears them
    expect(rd(m, IIR, 1)).toBe(0x01);
    wr(m, THR, 0x31, 1);
    wr(m, THR, 0x32, 1); // overrun
    expect(rd(m, IIR, 1)).toBe(0x06); // receiver line status
    expect(rd(m, LSR, 1) & 0x03).toBe(0x03); // DR | OE; reading clears OE
    expect(rd(m, IIR, 1)).toBe(0x04); // RX data
    expect(rd(m, RBR, 1)).toBe(0x31);
    expect(rd(m, IIR, 1)).toBe(0x02); // THRE, re-armed by the THR writes
    expect(rd(m, IIR, 1)).toBe(0x01);
  });

  it('re-asserts THRE whenever ETBEI is written, as the 8250 startup THRE test requires', () => {
    wr(m, FCR, 0x01, 1);
    wr(m, IER, 0x02, 1);
    const iir1 = rd(m, IIR, 1);
    wr(m, IER, 0, 1);
    wr(m, IER, 0x02, 1);
    const iir2 = rd(m, IIR, 1);
    expect(iir1 & 1).toBe(0);
    expect(iir2 & 1).toBe(0);
    expect(iir2 & 0x0f).toBe(0x02);
    expect(iir2 & 0xc0).toBe(0xc0);
    expect(rd(m, IIR, 1)).toBe(0xc1); // reading IIR cleared the THRE condition
    wr(m, THR, 0x41, 1);
    expect(rd(m, IIR, 1)).toBe(0xc2); // sent at once: THR empty again
  });

  it('drives PLIC source 10 and the S-mode external interrupt line', () => {
    wr(m, PLIC + 4 * 10, 1);
    wr(m, PLIC + 0x2000 + 0x80, 1 << 10); // context 1 enable
    wr(m, PLIC + 0x20_1000, 0); // context 1 threshold
    wr(m, IER, 0x01, 1);
    expect(u64(m.testMipLines()) & IRQ_SEIP).toBe(0n);
    m.consoleInput(0x0d);
    expect(u64(m.testMipLines()) & IRQ_SEIP).toBe(IRQ_SEIP);
    expect(rd(m, PLIC + 0x20_1004)).toBe(10);
    expect(rd(m, RBR, 1)).toBe(0x0d);
    wr(m, PLIC + 0x20_1004, 10);
    expect(u64(m.testMipLines()) & IRQ_SEIP).toBe(0n);
  });

  it('asks the run loop to stop when the output buffer is 3/4 full', () => {
    const n = 48 * 1024;
    for (let i = 0; i < n - 1; i++) wr(m, THR, 0x2e, 1);
    expect(m.testStopReason()).toBe(-1);
    wr(m, THR, 0x2e, 1);
    expect(m.testStopReason()).toBe(StopReason.output);
    expect(m.consoleOutputLength()).toBe(n);
  });

  it('refuses input when the 64 KiB queue is full', () => {
    let accepted = 0;
    for (let i = 0; i < 70_000; i++) if (m.consoleInput(0x61)) accepted++;
    expect(accepted).toBe(64 * 1024 + 1); // queue plus the one-byte receiver (FIFOs off)
  });
});
