// Guest image manifests: public/images/<name>/manifest.json.
//
// A manifest names every file of an image with its size and sha256, both of
// the file as stored (gzip) and of the content the machine loads, plus how to
// boot it (kernel command line, RAM size) and what the shell prompt looks like.
// Runtime-neutral: parsing and validation only; hashing and I/O are the
// caller's (Node: scripts/oracle/images.ts; browser: fetch + DecompressionStream).
// Format documented in docs/images.md.

import { PrnrError } from './errors.ts';

export const IMAGE_MANIFEST_FORMAT = 'prnr-image-manifest';
export const IMAGE_MANIFEST_VERSION = 1;

/** What a file is for; the machine loads firmware, kernel, initrd and disk. */
export type ImageFileRole = 'firmware' | 'kernel' | 'initrd' | 'disk' | 'symbols' | 'profile';
export const IMAGE_FILE_ROLES: readonly ImageFileRole[] = [
  'firmware',
  'kernel',
  'initrd',
  'disk',
  'symbols',
  'profile',
];
const REQUIRED_ROLES: readonly ImageFileRole[] = ['firmware', 'kernel', 'initrd', 'profile'];
/** The files the machine loads, in load order; the others (symbols, profile) are for analyses. */
export const BOOT_FILE_ROLES = ['firmware', 'kernel', 'initrd', 'disk'] as const satisfies readonly ImageFileRole[];
export type BootFileRole = (typeof BOOT_FILE_ROLES)[number];

export type ImageCompression = 'gzip' | 'none';

export interface ImageFile {
  /** File name inside the image directory, e.g. "Image.gz". */
  name: string;
  compression: ImageCompression;
  /** Bytes and sha256 (lowercase hex) of the file as stored. */
  size: number;
  sha256: string;
  /** Bytes and sha256 of the decompressed content (equal to the above for "none"). */
  contentSize: number;
  contentSha256: string;
}

export interface ImageManifest {
  format: typeof IMAGE_MANIFEST_FORMAT;
  version: typeof IMAGE_MANIFEST_VERSION;
  name: string;
  description: string;
  /** ISA string of the hart the image is built for, e.g. "rv64imafdc". */
  isa: string;
  ramMiB: number;
  kernelCmdline: string;
  /** The shell prompt printed when the guest is ready for a command. */
  prompt: string;
  /** CONFIG_HZ of the kernel. */
  kernelHz: number;
  /** Physical load addresses as hex strings (QEMU virt convention). */
  boot: { firmwareAddress: string; kernelAddress: string };
  files: Partial<Record<ImageFileRole, ImageFile>> &
    Record<'firmware' | 'kernel' | 'initrd' | 'profile', ImageFile>;
  /** Debian package versions and other provenance, name -> version. */
  packages: Record<string, string>;
}

export class ImageManifestError extends PrnrError {
  constructor(message: string) {
    super('IMAGE_MANIFEST_INVALID', message);
  }
}

type Json = Record<string, unknown>;

/** A JSON object (not null, not an array); also used by the OS profile parser (src/analysis/os-profile.ts). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(obj: Json, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw new ImageManifestError(`${where}.${key} must be a string`);
  return value;
}

/** `obj[key]` as a non-negative safe integer; throws ImageManifestError naming `where.key`. */
export function count(obj: Json, key: string, where: string): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ImageManifestError(`${where}.${key} must be a non-negative integer`);
  }
  return value;
}

function sha256(obj: Json, key: string, where: string): string {
  const value = str(obj, key, where);
  if (!/^[0-9a-f]{64}$/.test(value)) throw new ImageManifestError(`${where}.${key} must be 64 lowercase hex digits`);
  return value;
}

function parseFile(value: unknown, where: string): ImageFile {
  if (!isObject(value)) throw new ImageManifestError(`${where} must be an object`);
  const name = str(value, 'name', where);
  // A manifest names files in its own directory, never elsewhere.
  if (name === '' || name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    throw new ImageManifestError(`${where}.name must be a plain file name, got "${name}"`);
  }
  const compression = str(value, 'compression', where);
  if (compression !== 'gzip' && compression !== 'none') {
    throw new ImageManifestError(`${where}.compression must be "gzip" or "none"`);
  }
  const file: ImageFile = {
    name,
    compression,
    size: count(value, 'size', where),
    sha256: sha256(value, 'sha256', where),
    contentSize: count(value, 'contentSize', where),
    contentSha256: sha256(value, 'contentSha256', where),
  };
  if (compression === 'none' && (file.size !== file.contentSize || file.sha256 !== file.contentSha256)) {
    throw new ImageManifestError(`${where}: an uncompressed file must have equal size/sha256 and content size/sha256`);
  }
  return file;
}

/** Validate parsed JSON as a manifest; throws ImageManifestError naming the bad field. */
export function validateImageManifest(json: unknown): ImageManifest {
  if (!isObject(json)) throw new ImageManifestError('manifest must be a JSON object');
  if (json.format !== IMAGE_MANIFEST_FORMAT) {
    throw new ImageManifestError(`manifest.format must be "${IMAGE_MANIFEST_FORMAT}"`);
  }
  if (json.version !== IMAGE_MANIFEST_VERSION) {
    throw new ImageManifestError(
      `manifest.version ${String(json.version)} is not supported (expected ${IMAGE_MANIFEST_VERSION})`,
    );
  }
  const where = 'manifest';
  const boot = json.boot;
  if (!isObject(boot)) throw new ImageManifestError('manifest.boot must be an object');
  for (const key of ['firmwareAddress', 'kernelAddress']) {
    if (!/^0x[0-9a-f]+$/.test(str(boot, key, 'manifest.boot'))) {
      throw new ImageManifestError(`manifest.boot.${key} must be a lowercase hex string like "0x80000000"`);
    }
  }
  const filesJson = json.files;
  if (!isObject(filesJson)) throw new ImageManifestError('manifest.files must be an object');
  const files: Partial<Record<ImageFileRole, ImageFile>> = {};
  for (const [role, value] of Object.entries(filesJson)) {
    if (!(IMAGE_FILE_ROLES as readonly string[]).includes(role)) {
      throw new ImageManifestError(`manifest.files.${role} is not a known role (${IMAGE_FILE_ROLES.join(', ')})`);
    }
    files[role as ImageFileRole] = parseFile(value, `manifest.files.${role}`);
  }
  for (const role of REQUIRED_ROLES) {
    if (!files[role]) throw new ImageManifestError(`manifest.files.${role} is missing`);
  }
  const packagesJson = json.packages;
  if (!isObject(packagesJson)) throw new ImageManifestError('manifest.packages must be an object');
  const packages: Record<string, string> = {};
  for (const key of Object.keys(packagesJson)) packages[key] = str(packagesJson, key, 'manifest.packages');

  const ramMiB = count(json, 'ramMiB', where);
  if (ramMiB === 0) throw new ImageManifestError('manifest.ramMiB must be positive');
  const prompt = str(json, 'prompt', where);
  if (prompt === '') throw new ImageManifestError('manifest.prompt must not be empty');
  return {
    format: IMAGE_MANIFEST_FORMAT,
    version: IMAGE_MANIFEST_VERSION,
    name: str(json, 'name', where),
    description: str(json, 'description', where),
    isa: str(json, 'isa', where),
    ramMiB,
    kernelCmdline: str(json, 'kernelCmdline', where),
    prompt,
    kernelHz: count(json, 'kernelHz', where),
    boot: { firmwareAddress: str(boot, 'firmwareAddress', where), kernelAddress: str(boot, 'kernelAddress', where) },
    files: files as ImageManifest['files'],
    packages,
  };
}

/** JSON.parse of an image's file; throws ImageManifestError naming `what` ("manifest", "profile") when it is not JSON. */
export function parseImageJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ImageManifestError(`${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Parse manifest.json text; throws ImageManifestError on bad JSON or a bad field. */
export function parseImageManifest(text: string): ImageManifest {
  return validateImageManifest(parseImageJson(text, 'manifest'));
}

/** The manifest's files in a fixed order (the order of IMAGE_FILE_ROLES). */
export function imageFiles(manifest: ImageManifest): Array<{ role: ImageFileRole; file: ImageFile }> {
  const out: Array<{ role: ImageFileRole; file: ImageFile }> = [];
  for (const role of IMAGE_FILE_ROLES) {
    const file = manifest.files[role];
    if (file) out.push({ role, file });
  }
  return out;
}
