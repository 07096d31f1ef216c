// The host's synchronous SHA-256 for the engine (src/shared/sha256.ts `Sha256`):
// node:crypto's one-shot hash() where available (Node >= 20.12), else createHash.
import * as crypto from 'node:crypto';
import type { Sha256 } from '../../shared/sha256';

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

export const nodeSha256: Sha256 = oneShot
  ? (data) => new Uint8Array(oneShot('sha256', data, 'buffer'))
  : (data) => new Uint8Array(crypto.createHash('sha256').update(data).digest());
