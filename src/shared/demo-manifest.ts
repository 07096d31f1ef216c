// The demo recordings' manifest: public/demos/manifest.json, written by
// `npm run demos` (scripts/demos/make.ts) and read by the library page. Each
// demo is a recording of the default image, stored gzip-compressed beside the
// manifest (the browser inflates it with DecompressionStream); its id is the
// recording's digest, the id every other recording has (RecordingInfo.id).
// Runtime-neutral: parsing and validation only.
import { PrnrError } from './errors';
import { isObject } from './image-manifest';
import { parseTick } from './tick';

export const DEMO_MANIFEST_FORMAT = 'prnr-demos';
export const DEMO_MANIFEST_VERSION = 1;

export interface DemoEntry {
  /** The recording's digest (lowercase hex), as `prnr info` prints it. */
  id: string;
  name: string;
  title: string;
  /** Two lines on what to look at. */
  about: string[];
  /** The gzip-compressed recording, relative to the manifest. */
  file: string;
  /** Bytes of `file` as stored. */
  fileBytes: number;
  /** Bytes and sha256 (hex) of the recording itself (decompressed). */
  bytes: number;
  sha256: string;
  /** The recording's last tick (decimal). */
  ticks: string;
  slices: number;
  /** The entropy seed it was recorded with (decimal) and the commands typed. */
  seed: string;
  commands: string[];
}

export interface DemoManifest {
  format: typeof DEMO_MANIFEST_FORMAT;
  version: typeof DEMO_MANIFEST_VERSION;
  demos: DemoEntry[];
}

const invalid = (why: string) => new PrnrError('DEMO_MANIFEST_INVALID', `demo manifest: ${why}`);
const HEX64 = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9._-]+$/;

/** Parses and checks a manifest (DEMO_MANIFEST_INVALID names the first problem). */
export function parseDemoManifest(text: string): DemoManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(json)) throw invalid('not an object');
  if (json.format !== DEMO_MANIFEST_FORMAT) throw invalid(`format must be "${DEMO_MANIFEST_FORMAT}"`);
  if (json.version !== DEMO_MANIFEST_VERSION) throw invalid(`version ${String(json.version)}; this prnr reads version ${DEMO_MANIFEST_VERSION}`);
  if (!Array.isArray(json.demos)) throw invalid('demos must be a list');
  const ids = new Set<string>();
  const demos = json.demos.map((demo: unknown, i): DemoEntry => {
    const where = `demos[${i}]`;
    if (!isObject(demo)) throw invalid(`${where} is not an object`);
    const str = (key: string) => {
      const value = demo[key];
      if (typeof value !== 'string' || value === '') throw invalid(`${where}.${key} must be a non-empty string`);
      return value;
    };
    const count = (key: string) => {
      const value = demo[key];
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(`${where}.${key} must be a count`);
      return value;
    };
    const strings = (key: string) => {
      const value = demo[key];
      if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw invalid(`${where}.${key} must be a list of strings`);
      return value as string[];
    };
    const entry: DemoEntry = {
      id: str('id'),
      name: str('name'),
      title: str('title'),
      about: strings('about'),
      file: str('file'),
      fileBytes: count('fileBytes'),
      bytes: count('bytes'),
      sha256: str('sha256'),
      ticks: str('ticks'),
      slices: count('slices'),
      seed: str('seed'),
      commands: strings('commands'),
    };
    if (!HEX64.test(entry.id)) throw invalid(`${where}.id must be 64 lowercase hex digits`);
    if (!HEX64.test(entry.sha256)) throw invalid(`${where}.sha256 must be 64 lowercase hex digits`);
    if (!FILE_NAME.test(entry.file)) throw invalid(`${where}.file must be a plain file name`);
    try {
      parseTick(entry.ticks);
      parseTick(entry.seed);
    } catch (err) {
      throw invalid(`${where}: ${(err as Error).message}`);
    }
    if (ids.has(entry.id)) throw invalid(`${where}.id appears twice`);
    ids.add(entry.id);
    return entry;
  });
  return { format: DEMO_MANIFEST_FORMAT, version: DEMO_MANIFEST_VERSION, demos };
}
