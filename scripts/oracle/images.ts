// Node side of the guest images: find an image directory, check every file
// against its manifest, and unpack the files the machine loads.
//
// Hashes are checked before anything is booted: a stored file must have the
// manifest's size and sha256, and its decompressed content must have the
// manifest's content size and sha256.  Errors name the image and the file.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { PrnrError } from '../../src/shared/errors.ts';
import {
  imageFiles,
  parseImageManifest,
  type ImageFile,
  type ImageFileRole,
  type ImageManifest,
} from '../../src/shared/image-manifest.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_IMAGES_DIR = join(REPO_ROOT, 'public', 'images');
/** Environment variable that points the oracle (and tests) at another images directory. */
export const IMAGES_DIR_ENV = 'PRNR_IMAGES_DIR';

export function resolveImagesDir(explicit?: string): string {
  return resolve(explicit ?? process.env[IMAGES_DIR_ENV] ?? DEFAULT_IMAGES_DIR);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface LoadedImage {
  name: string;
  dir: string;
  manifest: ImageManifest;
}

/** Read and validate <imagesDir>/<name>/manifest.json. */
export async function loadImageManifest(imagesDir: string, name: string): Promise<LoadedImage> {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
    throw new PrnrError('IMAGE_NOT_FOUND', `invalid image name "${name}"`);
  }
  const dir = join(imagesDir, name);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new PrnrError('IMAGE_NOT_FOUND', `image "${name}" not found: no ${manifestPath} (run npm run images)`);
  }
  const text = await readFile(manifestPath, 'utf8');
  let manifest: ImageManifest;
  try {
    manifest = parseImageManifest(text);
  } catch (err) {
    throw new PrnrError('IMAGE_CORRUPT', `image "${name}": ${manifestPath}: ${(err as Error).message}`);
  }
  return { name, dir, manifest };
}

/**
 * Check one file against its manifest entry and return its content
 * (decompressed if the entry says gzip).
 */
export async function readVerifiedFile(image: LoadedImage, file: ImageFile): Promise<Uint8Array> {
  const path = join(image.dir, file.name);
  const where = `image "${image.name}": ${file.name}`;
  if (!existsSync(path)) throw new PrnrError('IMAGE_CORRUPT', `${where} is missing`);
  const stored = new Uint8Array(await readFile(path));
  if (stored.length !== file.size) {
    throw new PrnrError('IMAGE_CORRUPT', `${where} has ${stored.length} bytes, manifest says ${file.size}`);
  }
  if (sha256Hex(stored) !== file.sha256) {
    throw new PrnrError('IMAGE_CORRUPT', `${where} does not match its sha256 in the manifest (corrupted file)`);
  }
  if (file.compression === 'none') return stored;
  let content: Uint8Array;
  try {
    content = new Uint8Array(gunzipSync(stored));
  } catch (err) {
    throw new PrnrError('IMAGE_CORRUPT', `${where} is not valid gzip: ${(err as Error).message}`);
  }
  if (content.length !== file.contentSize || sha256Hex(content) !== file.contentSha256) {
    throw new PrnrError('IMAGE_CORRUPT', `${where}: decompressed content does not match the manifest`);
  }
  return content;
}

/** Verify every file of an image; resolves when all match, throws naming the first that does not. */
export async function verifyImage(image: LoadedImage): Promise<void> {
  for (const { file } of imageFiles(image.manifest)) await readVerifiedFile(image, file);
}

export interface UnpackedImage extends LoadedImage {
  /** Absolute paths of the decompressed files, by role. */
  paths: Partial<Record<ImageFileRole, string>>;
}

/**
 * Verify every file, then write the decompressed contents into `outDir`
 * (named as in the manifest without ".gz").  Nothing is written unless every
 * file checks out.
 */
export async function unpackImage(imagesDir: string, name: string, outDir: string): Promise<UnpackedImage> {
  const image = await loadImageManifest(imagesDir, name);
  const contents: Array<{ role: ImageFileRole; name: string; bytes: Uint8Array }> = [];
  for (const { role, file } of imageFiles(image.manifest)) {
    const bytes = await readVerifiedFile(image, file);
    contents.push({ role, name: file.compression === 'gzip' ? file.name.replace(/\.gz$/, '') : file.name, bytes });
  }
  await mkdir(outDir, { recursive: true });
  const paths: UnpackedImage['paths'] = {};
  for (const { role, name: fileName, bytes } of contents) {
    const path = join(outDir, fileName);
    await writeFile(path, bytes);
    paths[role] = path;
  }
  return { ...image, paths };
}
