import { describe, expect, it } from 'vitest';
import { hex64, hexdump } from './hexdump';

describe('hexdump', () => {
  it('prints 16 bytes a line with the address and the printable bytes', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => 0x41 + i);
    bytes[1] = 0x00;
    expect(hexdump(0x80200000n, bytes)).toEqual([
      '0000000080200000  41 00 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50  A.CDEFGHIJKLMNOP',
      '0000000080200010  51 52 53 54                                      QRST',
    ]);
    expect(hex64(0xffn)).toBe('0x00000000000000ff');
  });
});
