// `prnr push FILE --server URL`: uploads a recording to a prnr server
// (prnr serve) and prints its share link on the last line.
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { openRecordingFile } from '../../engine/node/recording-file';
import { PrnrError } from '../../shared/errors';
import { RECORDINGS_PATH, type UploadAnswer } from '../../shared/server-api';
import { commandUsage, parseCommandArgs, type OptionTable } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';

const options = {
  server: { type: 'string', arg: 'URL', help: 'the prnr server, e.g. http://localhost:4173 (prnr serve)' },
  title: { type: 'string', arg: 'TEXT', help: 'the title the server lists it under (default: the commands the session typed)' },
} as const satisfies OptionTable;

function serverUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server takes the server's URL, e.g. http://localhost:4173, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server takes an http(s) URL, got ${JSON.stringify(text)}`);
  return url;
}

export const command: Command = {
  name: 'push',
  summary: 'upload a recording to a prnr server and print its share link',
  usage: commandUsage('prnr push FILE.prnr --server URL [--title TEXT]', [
    'Checks the recording here, uploads it to the server (which checks it again and stores it with',
    'its pages shared across recordings) and prints the share link on the last line; anyone who can',
    'reach the server opens it in the app, and prnr replay and analyze take it in place of a file.',
  ], options),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('push', argv, options, { positionals: true });
    if (positionals.length !== 1) throw new UsageError('push takes one recording file');
    if (values.server === undefined) throw new UsageError('push needs --server URL (the prnr serve to upload to)');
    const file = positionals[0];
    const base = serverUrl(values.server);
    // A file that is not a finished recording is refused here, in the reader's words, before any upload.
    const { recording, source, recovery } = openRecordingFile(file);
    source.close();
    if (recovery || !recording.complete) throw new PrnrError('RECORDING_TRUNCATED', `${file} is an interrupted recording (no END record); a server takes finished recordings only`);
    const size = statSync(file).size;
    const target = new URL(RECORDINGS_PATH, base);
    if (values.title !== undefined) target.searchParams.set('title', values.title);
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
    } catch (err) {
      const cause = (err as Error).cause;
      throw new PrnrError('SERVER_UNREACHABLE', `cannot reach ${base.origin}: ${cause instanceof Error ? cause.message : (err as Error).message}`);
    }
    const body = (await response.json().catch(() => ({}))) as Partial<UploadAnswer> & { error?: string };
    if (response.status !== 201 || typeof body.url !== 'string') {
      throw new PrnrError('SERVER_REFUSED', `${base.origin} refused ${file} (${response.status})${body.error ? `: ${body.error}` : ''}`);
    }
    console.log(`uploaded ${file}: ${size} bytes, ${body.storedBytes ?? 0} of them new to the server`);
    console.log(body.url);
    return 0;
  },
};
