// Guest images -> BootConfig, runtime-neutral. A host says how to read an
// image's files (Node: the file system, src/engine/node/images.ts; browser:
// fetch, src/engine/web/images.ts) and how to hash and gunzip; this module
// checks every file against its manifest entry before anything boots and
// turns the verified contents into the machine's BootConfig.
//
// A stored file must have the manifest's size and sha256, and its
// decompressed content the manifest's content size and sha256. Errors name
// the image and the file: IMAGE_NOT_FOUND (no such image), IMAGE_CORRUPT
// (a file is missing, truncated, altered or not valid gzip).
import { PrnrError } from '../shared/errors';
import { BOOT_FILE_ROLES, parseImageManifest, type ImageFile, type ImageManifest } from '../shared/image-manifest';
import { FIRMWARE_ADDR, KERNEL_ADDR } from '../shared/machine-constants';
import { utf8Decode } from '../shared/utf8';
import { type BootConfig } from './machine';

export const DEFAULT_IMAGE_NAME = 'default';

/** The contents of the boot files (BOOT_FILE_ROLES) the machine loads: an image's, decompressed and verified, or a recording's. */
export interface BootFiles {
  firmware: Uint8Array;
  kernel: Uint8Array;
  initrd?: Uint8Array;
  disk?: Uint8Array;
}

export interface BootImage {
  name: string;
  manifest: ImageManifest;
  files: BootFiles;
}

/** How a host reads one image: its manifest text and its files as stored. */
export interface ImageSource {
  /** manifest.json as text; throws IMAGE_NOT_FOUND if the image does not exist. */
  readManifest(): Promise<string>;
  /** A file as stored; throws IMAGE_CORRUPT if it is missing. `onBytes` reports stored bytes as they arrive. */
  readStored(file: ImageFile, onBytes?: (count: number) => void): Promise<StoredFile>;
}

export interface StoredFile {
  bytes: Uint8Array;
  /**
   * The transport already decompressed a gzip file (an HTTP server that sends
   * *.gz with Content-Encoding: gzip): `bytes` is the content, checked
   * against the content size and sha256 only.
   */
  decoded?: boolean;
}

/** The host's hash and decompressor (node:crypto/zlib, or crypto.subtle/DecompressionStream). */
export interface ImageCodec {
  sha256Hex(bytes: Uint8Array): Promise<string>;
  gunzip(bytes: Uint8Array): Promise<Uint8Array>;
}

export interface ImageLoadProgress {
  phase: 'manifest' | 'download' | 'verify' | 'ready';
  /** The file being read or verified. */
  file?: string;
  /** Stored bytes read so far, of `totalBytes` over all boot files. */
  loadedBytes: number;
  totalBytes: number;
}

/** Image names are plain directory names. */
export function checkImageName(name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
    throw new PrnrError('IMAGE_NOT_FOUND', `invalid image name "${name}" (letters, digits, '.', '_' and '-' only)`);
  }
}

export function parseManifestOf(name: string, text: string): ImageManifest {
  try {
    return parseImageManifest(text);
  } catch (err) {
    throw new PrnrError('IMAGE_CORRUPT', `image "${name}": manifest.json: ${(err as Error).message}`);
  }
}

/** Checks one stored file against its manifest entry; returns its content (decompressed if gzip). */
export async function verifyImageFile(imageName: string, file: ImageFile, stored: Uint8Array | StoredFile, codec: ImageCodec): Promise<Uint8Array> {
  const where = `image "${imageName}": ${file.name}`;
  if (!(stored instanceof Uint8Array)) {
    if (stored.decoded && file.compression === 'gzip') return verifyContent(where, file, stored.bytes, codec);
    stored = stored.bytes;
  }
  if (stored.length !== file.size) {
    throw new PrnrError('IMAGE_CORRUPT', `${where} has ${stored.length} bytes, manifest says ${file.size}`);
  }
  if ((await codec.sha256Hex(stored)) !== file.sha256) {
    throw new PrnrError('IMAGE_CORRUPT', `${where} does not match its sha256 in the manifest (corrupted file)`);
  }
  if (file.compression === 'none') return stored;
  let content: Uint8Array;
  try {
    content = await codec.gunzip(stored);
  } catch (err) {
    throw new PrnrError('IMAGE_CORRUPT', `${where} is not valid gzip: ${(err as Error).message}`);
  }
  return verifyContent(where, file, content, codec);
}

async function verifyContent(where: string, file: ImageFile, content: Uint8Array, codec: ImageCodec): Promise<Uint8Array> {
  if (content.length !== file.contentSize || (await codec.sha256Hex(content)) !== file.contentSha256) {
    throw new PrnrError('IMAGE_CORRUPT', `${where}: decompressed content does not match the manifest`);
  }
  return content;
}

/** Reads the manifest and every boot file of an image, verifying each; nothing is returned unless all check out. */
export async function loadBootImage(name: string, source: ImageSource, codec: ImageCodec, onProgress?: (progress: ImageLoadProgress) => void): Promise<BootImage> {
  checkImageName(name);
  onProgress?.({ phase: 'manifest', loadedBytes: 0, totalBytes: 0 });
  const manifest = parseManifestOf(name, await source.readManifest());
  const entries = BOOT_FILE_ROLES.flatMap((role) => {
    const file = manifest.files[role];
    return file ? [{ role, file }] : [];
  });
  const totalBytes = entries.reduce((sum, { file }) => sum + file.size, 0);
  let loadedBytes = 0;
  const files: Partial<BootFiles> = {};
  for (const { role, file } of entries) {
    onProgress?.({ phase: 'download', file: file.name, loadedBytes, totalBytes });
    const before = loadedBytes;
    const stored = await source.readStored(file, (count) => {
      loadedBytes = Math.min(before + file.size, loadedBytes + count);
      onProgress?.({ phase: 'download', file: file.name, loadedBytes, totalBytes });
    });
    loadedBytes = before + file.size;
    onProgress?.({ phase: 'verify', file: file.name, loadedBytes, totalBytes });
    files[role] = await verifyImageFile(name, file, stored, codec);
  }
  onProgress?.({ phase: 'ready', loadedBytes: totalBytes, totalBytes });
  return { name, manifest, files: files as BootFiles };
}

export interface BootConfigOptions {
  /** Seeds the guest's entropy (docs/design.md 2: from a recorded seed); default 0. */
  entropySeed?: bigint;
}

/** The machine configuration an image asks for: its RAM size, command line and files. */
export function bootConfigFromImage(image: Pick<BootImage, 'manifest' | 'files'>, options: BootConfigOptions = {}): BootConfig {
  const { manifest, files } = image;
  const firmwareAddress = BigInt(manifest.boot.firmwareAddress);
  const kernelAddress = BigInt(manifest.boot.kernelAddress);
  if (firmwareAddress !== FIRMWARE_ADDR || kernelAddress !== KERNEL_ADDR) {
    throw new PrnrError('BOOT_CONFIG', `image "${manifest.name}" loads firmware at ${manifest.boot.firmwareAddress} and the kernel at ${manifest.boot.kernelAddress}; this machine boots them at 0x${FIRMWARE_ADDR.toString(16)} and 0x${KERNEL_ADDR.toString(16)}`);
  }
  return {
    ramBytes: manifest.ramMiB * 1024 * 1024,
    firmware: files.firmware,
    kernel: files.kernel,
    initrd: files.initrd,
    disk: files.disk,
    cmdline: manifest.kernelCmdline,
    entropySeed: options.entropySeed ?? 0n,
  };
}

/** An image's files for analyses (docs/images.md), verified against its manifest, as text; a file the image does not have is absent. */
export interface ImageAnalysisFiles {
  /** profile.json, the OS introspection profile. */
  profile?: string;
  /** System.map. */
  systemMap?: string;
}

/** Reads and verifies the profile and System.map of image `name`. */
export async function loadImageAnalysisFiles(name: string, source: ImageSource, codec: ImageCodec): Promise<ImageAnalysisFiles> {
  checkImageName(name);
  const manifest = parseManifestOf(name, await source.readManifest());
  const text = async (file: ImageFile | undefined) => (file ? utf8Decode(await verifyImageFile(name, file, await source.readStored(file), codec)) : undefined);
  const [profile, systemMap] = await Promise.all([text(manifest.files.profile), text(manifest.files.symbols)]);
  return { profile, systemMap };
}
