// Node's implementations of the recording's pluggable primitives: raw deflate
// for blobs (node:zlib) and Ed25519 signatures (node:crypto), beside the
// SHA-256 of hash.ts.
import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';
import type { DeflateCodec } from '../../shared/recording/page-codec';
import type { OpenOptions, SignatureVerifier } from '../../shared/recording/reader';
import type { Signer, WriterOptions } from '../record/writer';
import { nodeSha256 } from './hash';

export const nodeDeflate: DeflateCodec = {
  deflate: (content) => zlib.deflateRawSync(content, { level: 1 }),
  inflate: (stored, size) => zlib.inflateRawSync(stored, { maxOutputLength: Math.max(size, 1) }),
};

/** Ed25519 public keys as SPKI DER: a fixed 12-byte prefix, then the 32 key bytes (RFC 8410). */
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

export const nodeVerifySignature: SignatureVerifier = (publicKey, message, signature) => {
  const der = new Uint8Array(ED25519_SPKI_PREFIX.length + publicKey.length);
  der.set(ED25519_SPKI_PREFIX);
  der.set(publicKey, ED25519_SPKI_PREFIX.length);
  const key = crypto.createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  return crypto.verify(null, message, key, signature);
};

/** A signer from an Ed25519 private key in PEM (as `openssl genpkey -algorithm ed25519` or `prnr keygen` writes). */
export function ed25519Signer(privateKeyPem: string): Signer {
  const key = crypto.createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519`);
  const spki = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  return (message) => ({ publicKey, signature: new Uint8Array(crypto.sign(null, message, key)) });
}

/**
 * What `prnr record` writes with: blobs as sparse words where that pays, no
 * deflate. Measured side by side (npm run bench, storage): deflate after
 * sparse words saves 11% more on a CPU-heavy session and 2% on a
 * memory-heavy one, for 1.4x and 2.3x the processing per snapshot — on a
 * memory-heavy session more than a slice's run time, so the recorder's worker
 * would hold the machine back. The reader inflates what other writers deflate.
 */
export function nodeWriterOptions(signingKeyPem?: string): WriterOptions {
  return { sha256: nodeSha256, sign: signingKeyPem ? ed25519Signer(signingKeyPem) : undefined };
}

export const nodeOpenOptions: Pick<OpenOptions, 'sha256' | 'deflate' | 'verifySignature'> = {
  sha256: nodeSha256,
  deflate: nodeDeflate,
  verifySignature: nodeVerifySignature,
};
