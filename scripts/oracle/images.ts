// Node side of the guest images for the oracle: find an image directory,
// check every file against its manifest, and unpack the files QEMU loads.
//
// The reading and checking is the engine's (src/engine/images.ts and
// src/engine/node/images.ts, shared with `prnr boot` and the app): a stored
// file must have the manifest's size and sha256, and its decompressed content
// the manifest's content size and sha256. Errors name the image and the file.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImageName, parseManifestOf, verifyImageFile } from '../../src/engine/images.ts';
import { DEFAULT_IMAGES_DIR, IMAGES_DIR_ENV, imageDirSource, nodeImageCodec, resolveImagesDir, sha256Hex } from '../../src/engine/node/images.ts';
import { imageFiles, type ImageFile, type ImageFileRole, type ImageManifest } from '../../src/shared/image-manifest.ts';

export { DEFAULT_IMAGES_DIR, IMAGES_DIR_ENV, resolveImagesDir, sha256Hex };

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LoadedImage {
  name: string;
  dir: string;
  manifest: ImageManifest;
}

/** Read and validate <imagesDir>/<name>/manifest.json. */
export async function loadImageManifest(imagesDir: string, name: string): Promise<LoadedImage> {
  checkImageName(name);
  const dir = join(imagesDir, name);
  const manifest = parseManifestOf(name, await imageDirSource(dir, name).readManifest());
  return { name, dir, manifest };
}

/**
 * Check one file against its manifest entry and return its content
 * (decompressed if the entry says gzip).
 */
export async function readVerifiedFile(image: LoadedImage, file: ImageFile): Promise<Uint8Array> {
  const stored = await imageDirSource(image.dir, image.name).readStored(file);
  return verifyImageFile(image.name, file, stored, nodeImageCodec);
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
