// Ed25519 keys on the command line: the private key `prnr record --sign`
// signs with (PEM, as `prnr keygen` or `openssl genpkey -algorithm ed25519`
// writes it) and the public key `prnr verify --key` asks for. A public key is
// shown and given as its 32 bytes in hex, as `prnr info` prints the signer.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileErrorText } from '../engine/node/file-errors';
import { toHex } from '../shared/sha256';
import { UsageError } from './errors';

/** The 32 bytes of an Ed25519 public key (private keys give their public half) as hex. */
export function publicKeyHex(key: KeyObject): string {
  const spki = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'der', type: 'spki' });
  return toHex(new Uint8Array(spki.subarray(spki.length - 32)));
}

function readKeyFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}: cannot read the key file ${path}: ${fileErrorText(err) ?? (err as Error).message}`);
  }
}

/** Reads and checks the Ed25519 private key in PEM file `path`; returns the PEM and its public key (hex). */
export function readSigningKey(flag: string, path: string): { pem: string; publicKey: string } {
  const pem = readKeyFile(flag, path);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || /passphrase/i.test((err as Error).message)) throw new UsageError(`${flag}: ${path} is encrypted with a passphrase; give an unencrypted Ed25519 private key (prnr keygen writes one)`);
    const isPublic = /-----BEGIN PUBLIC KEY-----/.test(pem);
    throw new UsageError(`${flag}: ${path} holds ${isPublic ? 'a public key; signing needs the private key' : 'no PEM private key'} (prnr keygen -o KEY.pem writes an Ed25519 one)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${flag}: ${path} holds ${key.asymmetricKeyType ? `an ${key.asymmetricKeyType.toUpperCase()}` : 'a non-asymmetric'} private key; recordings are signed with Ed25519 (prnr keygen -o KEY.pem writes one)`);
  return { pem, publicKey: publicKeyHex(key) };
}

/** The Ed25519 public key that `text` names (64 hex digits, or a PEM file holding the public or private key), as hex. */
export function readPublicKey(flag: string, text: string): string {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return text.toLowerCase();
  if (/^[0-9a-fA-F]+$/.test(text)) throw new UsageError(`${flag}: an Ed25519 public key is 64 hex digits, got ${text.length}`);
  const pem = readKeyFile(flag, text);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new UsageError(`${flag}: ${text} holds no PEM key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${flag}: ${text} holds ${key.asymmetricKeyType ? `an ${key.asymmetricKeyType.toUpperCase()}` : 'a non-asymmetric'} key, not an Ed25519 one`);
  return publicKeyHex(key);
}
