import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Portable } from '../../src/shared/crc32';
import '../../src/engine/node/hash'; // installs the native CRC-32 that crc32() then uses
import { sha256, toHex } from '../../src/shared/sha256';
import { utf8Decode, utf8Encode } from '../../src/shared/utf8';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('sha256 (pure TypeScript)', () => {
  it('matches the FIPS 180-4 example vectors', () => {
    expect(toHex(sha256(ascii('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(toHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with node:crypto on every length around the block boundaries', () => {
    for (let n = 0; n < 200; n++) {
      const data = randomBytes(n);
      expect(toHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    }
    const page = randomBytes(4096);
    expect(toHex(sha256(page))).toBe(createHash('sha256').update(page).digest('hex'));
  });
});

describe('crc32', () => {
  it('matches the standard check value and chains', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(ascii('6789'), crc32(ascii('12345')))).toBe(0xcbf43926);
  });

  it('agrees with the bytewise definition at every length and alignment', () => {
    const bitwise = (data: Uint8Array): number => {
      let c = 0xffffffff;
      for (const byte of data) {
        c ^= byte;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return ~c >>> 0;
    };
    const data = randomBytes(4096 + 17);
    for (let length = 0; length < 70; length++) {
      for (const offset of [0, 1, 3]) {
        const piece = data.subarray(offset, offset + length);
        expect(crc32(piece)).toBe(bitwise(piece)); // native where the Node host installed it
        expect(crc32Portable(piece)).toBe(bitwise(piece));
      }
    }
    expect(crc32(data)).toBe(bitwise(data));
    expect(crc32(data.subarray(1000), crc32(data.subarray(0, 1000)))).toBe(bitwise(data));
    expect(crc32Portable(data.subarray(1000), crc32Portable(data.subarray(0, 1000)))).toBe(bitwise(data));
  });
});

describe('utf8', () => {
  it('round-trips text and rejects malformed bytes', () => {
    for (const text of ['', 'ls /', 'héllo wörld', '日本語', '🙂 emoji']) {
      expect(utf8Encode(text)).toEqual(new Uint8Array(Buffer.from(text, 'utf8')));
      expect(utf8Decode(utf8Encode(text))).toBe(text);
    }
    expect(() => utf8Decode(new Uint8Array([0xc3]))).toThrow();
    expect(() => utf8Decode(new Uint8Array([0xff]))).toThrow();
    expect(() => utf8Decode(new Uint8Array([0xc0, 0x80]))).toThrow();
  });
});
