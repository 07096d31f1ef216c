// `prnr keygen -o KEY.pem`: a new Ed25519 private key for `prnr record --sign`,
// written readable by its owner only, and its public key as `prnr info` and
// `prnr verify --key` show and take it.
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, closeSync, openSync, writeSync } from 'node:fs';
import { commandUsage, parseCommandArgs, type OptionTable } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { publicKeyHex } from '../keys';

const options = {
  output: { type: 'string', short: 'o', arg: 'KEY.pem', help: 'where to write the private key (PEM, PKCS#8; mode 0600)' },
  force: { type: 'boolean', help: 'overwrite KEY.pem if it exists' },
} as const satisfies OptionTable;

export const command: Command = {
  name: 'keygen',
  summary: 'write a new Ed25519 signing key for prnr record --sign and print its public key',
  usage: commandUsage('prnr keygen -o KEY.pem [--force]', [
    'Generates an Ed25519 key pair, writes the private key to KEY.pem (readable by you only) and',
    'prints the public key (64 hex digits): give it to whoever checks your recordings, who runs',
    'prnr verify FILE --key PUBLIC. The same key comes from openssl genpkey -algorithm ed25519.',
  ], options),
  async run(argv) {
    const { values } = parseCommandArgs('keygen', argv, options);
    if (!values.output) throw new UsageError('keygen needs -o KEY.pem');
    const path = values.output;
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    let fd: number;
    try {
      // 'wx' never follows or truncates an existing file; with --force the key replaces it (and its mode is set again).
      fd = openSync(path, values.force ? 'w' : 'wx', 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UsageError(`${path} already exists; pass --force to replace that key (recordings signed with it stay verifiable by its public key)`);
      if (code === 'ENOENT') throw new UsageError(`cannot write ${path}: its directory does not exist`);
      if (code === 'EISDIR') throw new UsageError(`cannot write ${path}: it is a directory`);
      if (code === 'EACCES') throw new UsageError(`cannot write ${path}: permission denied`);
      throw err;
    }
    try {
      writeSync(fd, pem);
    } finally {
      closeSync(fd);
    }
    chmodSync(path, 0o600);
    console.log(`wrote ${path}: an Ed25519 private key (mode 0600); keep it secret`);
    console.log(`public key: ${publicKeyHex(privateKey)}`);
    return 0;
  },
};
