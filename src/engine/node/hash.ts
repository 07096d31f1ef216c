// The host's synchronous SHA-256 for the engine (src/shared/sha256.ts `Sha256`):
// node:crypto's one-shot hash() where available (Node >= 20.12), else createHash.
// Importing this module also installs zlib's native CRC-32 (Node >= 20.15) for
// recording frames, after checking it agrees with the portable one.
import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';
import { crc32Portable, useNativeCrc32 } from '../../shared/crc32';
import type { Sha256 } from '../../shared/sha256';

const zlibCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
if (zlibCrc32) {
  const probe = new Uint8Array(Array.from({ length: 37 }, (_, i) => (i * 97 + 13) & 0xff));
  if (zlibCrc32(probe.subarray(5), zlibCrc32(probe.subarray(0, 5))) === crc32Portable(probe)) useNativeCrc32(zlibCrc32);
}

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

export const nodeSha256: Sha256 = oneShot
  ? (data) => oneShot('sha256', data, 'buffer')
  : (data) => crypto.createHash('sha256').update(data).digest();
