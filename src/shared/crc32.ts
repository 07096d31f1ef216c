// CRC-32 (IEEE 802.3, the zlib/PNG polynomial): the checksum of every framed
// record in a recording (docs/recording-format.md).

// Slicing-by-8: eight tables, eight bytes per step (about 4x the byte loop).
const TABLES = (() => {
  const t = new Uint32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n] >>> 8) ^ t[t[(k - 1) * 256 + n] & 0xff];
  }
  return t;
})();

type Crc32 = (data: Uint8Array, crc?: number) => number;
let native: Crc32 | undefined;

/**
 * Installs the host's native CRC-32 (Node: zlib.crc32, several times faster).
 * It must compute the same function, chaining included; the Node host checks
 * that when it installs it, and a test compares the two on random data.
 */
export function useNativeCrc32(fn: Crc32 | undefined): void {
  native = fn;
}

/** CRC-32 of `data`, continuing from `crc` (pass the previous result to checksum in pieces). */
export function crc32(data: Uint8Array, crc = 0): number {
  return native ? native(data, crc) : crc32Portable(data, crc);
}

/** The portable implementation (browsers, and the reference for native ones). */
export function crc32Portable(data: Uint8Array, crc = 0): number {
  const t = TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const end8 = data.length & ~7;
  for (; i < end8; i += 8) {
    const lo = (c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0;
    c = t[7 * 256 + (lo & 0xff)] ^ t[6 * 256 + ((lo >>> 8) & 0xff)] ^ t[5 * 256 + ((lo >>> 16) & 0xff)] ^ t[4 * 256 + (lo >>> 24)]
      ^ t[3 * 256 + data[i + 4]] ^ t[2 * 256 + data[i + 5]] ^ t[256 + data[i + 6]] ^ t[data[i + 7]];
  }
  for (; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
