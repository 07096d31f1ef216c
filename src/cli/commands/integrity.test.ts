// Chain of custody from the command line: what `prnr info` and `prnr verify`
// say about a recording's digest and signature, and what they refuse.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR } from '../../engine/node/images';
import { useTempDir } from '../test-dir';
import { openRecordingFile } from '../../engine/node/recording-file';
import { crc32 } from '../../shared/crc32';
import { END_FRAME_BYTES, FILE_HEADER_BYTES, FRAME_OVERHEAD, RecordType } from '../../shared/recording/format';
import { toHex } from '../../shared/sha256';
import { prnr } from '../../../test/prnr';

const hasDefaultImage = existsSync(join(DEFAULT_IMAGES_DIR, 'default', 'manifest.json'));

/** The records of a recording file: offset, type and payload length of each. */
function frames(data: Uint8Array): Array<{ at: number; type: number; length: number }> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = [];
  for (let at = FILE_HEADER_BYTES; at < data.length; at += FRAME_OVERHEAD + view.getUint32(at + 1, true)) out.push({ at, type: data[at], length: view.getUint32(at + 1, true) });
  return out;
}

/** A copy of `path` with the last byte of the first record of `type` flipped, its CRC recomputed if `reseal`. */
function damaged(path: string, to: string, type: RecordType, reseal: boolean): string {
  const data = new Uint8Array(readFileSync(path));
  const f = frames(data).find((r) => r.type === type)!;
  data[f.at + 5 + f.length - 1] ^= 0x01;
  if (reseal) new DataView(data.buffer).setUint32(f.at + 5 + f.length, crc32(data.subarray(f.at, f.at + 5 + f.length)), true);
  writeFileSync(to, data);
  return to;
}

describe.skipIf(!hasDefaultImage)('prnr info and verify', () => {
  const dir = useTempDir('integrity');
  let plain: string;
  beforeAll(async () => {
    plain = join(dir(), 'plain.prnr');
    const recorded = await prnr(['record', '--cmd', 'echo hi', '-o', plain]);
    expect(recorded.stderr).not.toMatch(/^prnr: (?!\[)/m);
    expect(recorded.code).toBe(0);
  }, 120_000);

  it('info prints the digest that seals the recording, says it is unsigned, and how much its blobs were compressed', async () => {
    const { recording, source } = openRecordingFile(plain);
    source.close();
    const info = await prnr(['info', plain]);
    expect(info).toMatchObject({ code: 0, stderr: '' });
    expect(info.stdout).toContain(`\ndigest: ${toHex(recording.digest)}\n`);
    expect(info.stdout).toContain('\nsignature: none (unsigned)\n');
    expect(info.stdout).toMatch(/\nblobs: \d+ \(\d+ bytes stored of \d+ content bytes, \d+(\.\d)?%\)/);
  });

  it('verify checks the chain and every blob, prints the digest and signature, and exits 0', async () => {
    const info = await prnr(['info', plain]);
    const verify = await prnr(['verify', plain]);
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    const lines = verify.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^verified ${plain}: the integrity chain from the header to END; \\d+ snapshots, \\d+ slices, ticks 0 to \\d+$`));
    expect(lines[1]).toMatch(/^blobs: \d+ \(\d+ bytes stored of \d+ content bytes, [\d.]+%\), every one checked$/);
    expect(lines.slice(2)).toEqual(info.stdout.split('\n').filter((l) => /^(digest|signature): /.test(l)));
  });

  it('verify finds a damaged blob that info does not read, and a forged one whose checksum was recomputed, in one line, exit 1', async () => {
    const flipped = damaged(plain, join(dir(), 'flipped.prnr'), RecordType.blob, false);
    expect((await prnr(['info', flipped])).code).toBe(0);
    expect(await prnr(['verify', flipped])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(new RegExp(`^prnr: ${flipped} fails verification: recording is corrupt: blob record at byte \\d+ fails its checksum\n$`, 'i')) });
    const forged = damaged(plain, join(dir(), 'forged.prnr'), RecordType.blob, true);
    const result = await prnr(['verify', forged]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(new RegExp(`^prnr: ${forged} fails verification: recording (has been tampered with|is corrupt): blob record at byte \\d+[^\n]*\n$`, 'i'));
  });

  it('verify names an edited console output record (checksum recomputed) as tampered', async () => {
    const edited = damaged(plain, join(dir(), 'edited.prnr'), RecordType.output, true);
    const result = await prnr(['verify', edited]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(new RegExp(`^prnr: ${edited} fails verification: recording has been tampered with: the records of slice \\d+ .* do not match the integrity chain`));
  });

  it('has its own usage, from prnr help verify and prnr verify --help', async () => {
    const help = await prnr(['help', 'verify']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^prnr verify FILE\.prnr/);
    expect(help.stdout).toMatch(/^ {2}--key KEY +also require a valid signature/m);
    expect(await prnr(['verify', '--help'])).toEqual({ ...help, ms: expect.any(Number) });
    expect((await prnr(['--help'])).stdout).toMatch(/^ {2}verify +check a recording's integrity chain/m);
    expect(await prnr(['verify'])).toMatchObject({ code: 2, stderr: 'prnr: verify takes one recording file\n' });
    expect(await prnr(['verify', join(dir(), 'none.prnr')])).toMatchObject({ code: 1, stderr: `prnr: no recording at ${join(dir(), 'none.prnr')}\n` });
  });
});

describe.skipIf(!hasDefaultImage)('signed recordings: prnr keygen, record --sign, info and verify --key', () => {
  const dir = useTempDir('signed');
  let key: string;
  let publicKey: string;
  let signed: string;
  beforeAll(async () => {
    key = join(dir(), 'key.pem');
    const keygen = await prnr(['keygen', '-o', key]);
    expect(keygen).toMatchObject({ code: 0, stderr: '' });
    expect(keygen.stdout).toMatch(new RegExp(`^wrote ${key}: an Ed25519 private key \\(mode 0600\\); keep it secret\npublic key: [0-9a-f]{64}\n$`));
    publicKey = /public key: ([0-9a-f]{64})/.exec(keygen.stdout)![1];
    signed = join(dir(), 'signed.prnr');
    const recorded = await prnr(['record', '--cmd', 'echo signed', '--sign', key, '-o', signed]);
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toMatch(new RegExp(`^recorded ${signed}: .*, signed by Ed25519 key ${publicKey}\n`));
  }, 120_000);

  it('keygen writes a key only its owner can read, and does not replace one without --force', async () => {
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(await prnr(['keygen', '-o', key])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(new RegExp(`^prnr: ${key} already exists; pass --force to replace that key`)) });
    expect(await prnr(['keygen', '-o', join(dir(), 'no', 'such', 'key.pem')])).toMatchObject({ code: 2, stderr: `prnr: cannot write ${join(dir(), 'no', 'such', 'key.pem')}: its directory does not exist\n` });
  });

  it('info and verify show a valid signature by the key; verify --key accepts that key (hex or PEM) and refuses another or none', async () => {
    const info = await prnr(['info', signed]);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`\nsignature: valid, Ed25519 key ${publicKey}\n`);
    const verify = await prnr(['verify', signed, '--key', publicKey]);
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    expect(verify.stdout).toContain(`\nsignature: valid, Ed25519 key ${publicKey} (the key --key asks for)\n`);
    expect((await prnr(['verify', signed, '--key', key])).code).toBe(0);
    const other = '00'.repeat(32);
    expect(await prnr(['verify', signed, '--key', other])).toMatchObject({ code: 1, stdout: '', stderr: `prnr: ${signed} fails verification: it is signed by Ed25519 key ${publicKey}, not by ${other}\n` });
    const unsigned = join(dir(), 'unsigned.prnr');
    expect((await prnr(['record', '--cmd', 'true', '-o', unsigned])).code).toBe(0);
    expect(await prnr(['verify', unsigned, '--key', publicKey])).toMatchObject({ code: 1, stderr: `prnr: ${unsigned} fails verification: it is not signed, and --key asks for a signature by ${publicKey}\n` });
    expect(await prnr(['verify', signed, '--key', 'abc'])).toMatchObject({ code: 2, stderr: 'prnr: --key: an Ed25519 public key is 64 hex digits, got 3\n' });
  });

  it('a signature changed by a forger (checksum recomputed) fails info and verify', async () => {
    const data = new Uint8Array(readFileSync(signed));
    const end = data.length - END_FRAME_BYTES;
    data[data.length - 5] ^= 0x01; // the signature's last byte
    new DataView(data.buffer).setUint32(data.length - 4, crc32(data.subarray(end, data.length - 4)), true);
    const forged = join(dir(), 'forged.prnr');
    writeFileSync(forged, data);
    for (const command of ['info', 'verify']) {
      const result = await prnr([command, forged]);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(/^prnr: .*recording has been tampered with: END record at byte \d+: its Ed25519 signature does not match \(key [0-9a-f]{16}…\)\n$/);
    }
  });

  it('record --sign refuses a missing file, a public key, an RSA key and an encrypted key before it boots, writing nothing', async () => {
    const { privateKey, publicKey: pub } = generateKeyPairSync('ed25519');
    writeFileSync(join(dir(), 'public.pem'), pub.export({ format: 'pem', type: 'spki' }));
    writeFileSync(join(dir(), 'rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(join(dir(), 'secret.pem'), privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' }));
    const cases: Array<[string, string]> = [
      ['missing.pem', 'cannot read the key file {}: no such file or directory'],
      ['public.pem', '{} holds a public key; signing needs the private key (prnr keygen -o KEY.pem writes an Ed25519 one)'],
      ['rsa.pem', '{} holds an RSA private key; recordings are signed with Ed25519 (prnr keygen -o KEY.pem writes one)'],
      ['secret.pem', '{} is encrypted with a passphrase; give an unencrypted Ed25519 private key (prnr keygen writes one)'],
    ];
    const before = readdirSync(dir()).sort();
    for (const [name, message] of cases) {
      const path = join(dir(), name);
      const result = await prnr(['record', '--cmd', 'true', '--sign', path, '-o', join(dir(), 'out.prnr')]);
      expect(result).toEqual({ code: 2, stdout: '', stderr: `prnr: --sign: ${message.replace('{}', path)}\n`, ms: expect.any(Number) });
    }
    expect(readdirSync(dir()).sort()).toEqual(before);
  });
});
