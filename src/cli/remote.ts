// Recordings named by URL on the command line (docs/design.md 6): a share link
// (/r/<id>), an API URL of a recording, or any http(s) URL of a .prnr file.
// prnr replay and analyze fetch it whole into a cache file and then run as
// on any file. A share link's recording is cached by its id (a digest of its
// content, checked after the download), so it is fetched once; another URL
// is fetched again each time. PRNR_CACHE_DIR overrides the cache's place.
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { randomBytes } from 'node:crypto';
import { openRecordingFile } from '../engine/node/recording-file';
import { sha256Hex } from '../engine/node/images';
import { PrnrError } from '../shared/errors';
import { toHex } from '../shared/sha256';
import { recordingFilePath, recordingIdOfPath } from '../shared/server-api';

export function isRecordingUrl(arg: string): boolean {
  return /^https?:\/\//i.test(arg);
}

export function recordingCacheDir(): string {
  return process.env.PRNR_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'prnr', 'recordings');
}

/** The file URL and, for a prnr server's, the recording id a URL names. */
export function resolveRecordingUrl(arg: string): { fileUrl: URL; id?: string } {
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    throw new PrnrError('RECORDING_URL', `${arg} is not a URL`);
  }
  const id = recordingIdOfPath(url.pathname);
  return id ? { fileUrl: new URL(recordingFilePath(id), url.origin), id } : { fileUrl: url };
}

async function download(url: URL, path: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new PrnrError('RECORDING_URL', `cannot fetch ${url.href}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  if (!response.ok || !response.body) {
    const why = await response.json().then((b) => (b as { error?: string }).error, () => undefined);
    throw new PrnrError(response.status === 404 ? 'RECORDING_NOT_FOUND' : 'RECORDING_URL', `${url.href} answered ${response.status}${why ? `: ${why}` : ''}`);
  }
  const tmp = `${path}.download-${randomBytes(6).toString('hex')}`;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(tmp, { flags: 'wx' }));
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * The local file for a recording argument: the argument itself if it is not a URL, else the
 * recording fetched into the cache (module comment). A share link's file must have its id as digest.
 */
export async function localRecordingFile(arg: string): Promise<string> {
  if (!isRecordingUrl(arg)) return arg;
  const { fileUrl, id } = resolveRecordingUrl(arg);
  const dir = recordingCacheDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${id ?? `url-${sha256Hex(new TextEncoder().encode(fileUrl.href)).slice(0, 32)}`}.prnr`);
  if (id === undefined || !existsSync(path)) await download(fileUrl, path);
  if (id !== undefined) {
    let digest: string;
    try {
      const { recording, source } = openRecordingFile(path);
      source.close();
      digest = toHex(recording.digest);
    } catch (err) {
      rmSync(path, { force: true });
      throw err;
    }
    if (digest !== id) {
      rmSync(path, { force: true });
      throw new PrnrError('RECORDING_MISMATCH', `${fileUrl.href} served recording ${digest.slice(0, 16)}…, not ${id.slice(0, 16)}… as the link says`);
    }
  }
  return path;
}
