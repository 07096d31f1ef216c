// What `prnr info` and `prnr verify` say about a recording's chain of custody:
// the digest its END seals (docs/design.md 3) and whether, and by whom, it is signed.
import { toHex } from '../shared/sha256';
import type { BlobBytes, Recording } from '../shared/recording/reader';

/** "digest: <hex>": the head of the integrity chain that END seals (for a recovered file, the last snapshot's). */
export function digestLine(rec: Recording): string {
  const last = rec.snapshots[rec.snapshots.length - 1];
  return `digest: ${toHex(rec.digest)}${rec.complete ? '' : ` (the chain up to snapshot ${last.index}; a recovered recording has no END to seal it)`}`;
}

/** "signature: ...": valid and by which Ed25519 key, present but not checked, or none. */
export function signatureLine(rec: Recording): string {
  const key = rec.end?.signature ? toHex(rec.end.signature.publicKey) : '';
  if (rec.signature === 'valid') return `signature: valid, Ed25519 key ${key}`;
  if (rec.signature === 'unchecked') return `signature: not checked (no verifier), Ed25519 key ${key}`;
  return rec.complete ? 'signature: none (unsigned)' : 'signature: none (a recovered recording has no END to sign)';
}

/** "N blobs (S bytes stored of C content bytes, P%)". */
export function blobBytesText(count: number, bytes: BlobBytes): string {
  const percent = bytes.content === 0 ? 100 : (100 * bytes.stored) / bytes.content;
  return `${count} (${bytes.stored} bytes stored of ${bytes.content} content bytes, ${percent.toFixed(1)}%)`;
}
