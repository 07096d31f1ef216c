// mtval of an illegal instruction holds the instruction as fetched (Privileged
// spec 3.1.16): for a compressed one, its 16 bits, not its 32-bit expansion.
import { describe, expect, it } from 'vitest';
import { Machine, RAM_BASE } from './machine-harness';

const le32 = (...words: number[]) => new Uint8Array(new Uint32Array(words).buffer);
const le16 = (...halves: number[]) => new Uint8Array(new Uint16Array(halves).buffer);

describe('illegal instruction mtval', () => {
  it('is the 16-bit encoding of a compressed instruction that is illegal after expansion', () => {
    const m = new Machine();
    const CFLD = 0x2008; // c.fld fa0, 0(s0): illegal while mstatus.FS = 0 (its value at reset)
    m.write(RAM_BASE, le32(
      0x00000297, // auipc t0, 0
      0x10028293, // addi  t0, t0, 0x100
      0x30529073, // csrw  mtvec, t0
    ));
    m.write(RAM_BASE + 0xcn, le16(CFLD));
    m.write(RAM_BASE + 0x100n, le16(0xa001)); // handler: c.j .
    m.exports.setBootRegisters(RAM_BASE, 0n, 0n);
    m.run(100n);
    expect(m.csr(0x342)).toBe(2n); // mcause: illegal instruction
    expect(m.csr(0x341)).toBe(RAM_BASE + 0xcn); // mepc
    expect(m.csr(0x343)).toBe(BigInt(CFLD)); // mtval
  });
});
