// `prnr verify FILE`: the chain of custody without replaying. Opening checks
// every record against the integrity chain each snapshot commits to and END
// seals (and END's signature); then every blob is read and checked (frame,
// encoding, size for its kind, sha256). Exit 0 only if all of it holds.
import { openRecordingFile } from '../../engine/node/recording-file';
import { errorCode, errorMessage, PrnrError } from '../../shared/errors';
import { toHex } from '../../shared/sha256';
import { commandUsage, parseCommandArgs, type OptionTable, JIT_OPTIONS } from '../args';
import type { Command } from '../command';
import { useInterpreterOnly } from '../jit';
import { blobBytesText, digestLine, signatureLine } from '../custody';
import { UsageError } from '../errors';
import { readPublicKey } from '../keys';

const options = {
  key: { type: 'string', arg: 'KEY', help: 'also require a valid signature by this Ed25519 key: its 64 hex digits\n(as prnr keygen and prnr info print them) or a PEM file holding it' },
  ...JIT_OPTIONS,
} as const satisfies OptionTable;

export const command: Command = {
  name: 'verify',
  summary: 'check a recording\'s integrity chain, signature and every blob, without replaying',
  usage: commandUsage('prnr verify FILE.prnr [--key KEY]', [
    'Checks every record of the recording against the integrity chain that its snapshots commit to',
    'and its END record seals, the Ed25519 signature if it is signed, and every stored blob (frame,',
    'encoding, size, sha256); prints the digest and the signature. Exits 0 only if all of it holds;',
    'otherwise prints what is wrong, in one line, and exits 1. It does not replay: prnr replay runs',
    'every slice and checks that it reproduces the next snapshot\'s state root. A FILE.prnr.partial',
    '(an interrupted recording) is checked up to its last snapshot.',
  ], options),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('verify', argv, options, { positionals: true });
    if (values['no-jit']) useInterpreterOnly();
    if (positionals.length !== 1) throw new UsageError('verify takes one recording file');
    const path = positionals[0];
    const key = values.key === undefined ? undefined : readPublicKey('--key', values.key);
    const tty = process.stderr.isTTY === true;
    let shownAt = 0;
    const progress = (done: number, total: number) => {
      const now = Date.now();
      if (done < total && now - shownAt < (tty ? 100 : 2000)) return;
      shownAt = now;
      const line = `prnr: checking blobs: ${done}/${total}`;
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else if (done < total) process.stderr.write(`${line}\n`);
    };
    const opened = (() => {
      try {
        return openRecordingFile(path);
      } catch (err) {
        throw failed(path, err);
      }
    })();
    const { recording: rec, source } = opened;
    let bytes;
    try {
      bytes = rec.verifyBlobs(progress);
    } catch (err) {
      throw failed(path, err);
    } finally {
      if (tty) process.stderr.write('\r\x1b[K');
      source.close();
    }
    if (key !== undefined) {
      const signer = rec.end?.signature ? toHex(rec.end.signature.publicKey) : undefined;
      if (signer === undefined) throw new PrnrError('RECORDING_UNSIGNED', `${path} fails verification: it is not signed, and --key asks for a signature by ${key}`);
      if (signer !== key) throw new PrnrError('RECORDING_WRONG_SIGNER', `${path} fails verification: it is signed by Ed25519 key ${signer}, not by ${key}`);
    }
    const last = rec.snapshots[rec.snapshots.length - 1];
    const what = rec.complete ? 'from the header to END' : `up to snapshot ${last.index} (a recovered recording: no END seals it, so a cut after a snapshot cannot be told from the crash that left it)`;
    console.log([
      `verified ${path}: the integrity chain ${what}; ${rec.snapshots.length} snapshots, ${rec.slices.length} slices, ticks 0 to ${last.tick}`,
      `blobs: ${blobBytesText(rec.blobCount, bytes)}, every one checked`,
      digestLine(rec),
      signatureLine(rec) + (key !== undefined ? ' (the key --key asks for)' : ''),
    ].join('\n'));
    return 0;
  },
};

/** A recording error as one line that names the file; others as they are. */
function failed(path: string, err: unknown): Error {
  const code = errorCode(err);
  if (code === undefined || !code.startsWith('RECORDING_') || code === 'RECORDING_NOT_FOUND') return err as Error;
  return new PrnrError(code, `${path} fails verification: ${errorMessage(err)}`);
}
