// Node side of the guest images: read public/images/<name>/ (or
// $PRNR_IMAGES_DIR/<name>/), verify every boot file against the manifest
// (../images.ts) and hand back its contents or a BootConfig.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { PrnrError } from '../../shared/errors';
import type { ImageFile } from '../../shared/image-manifest';
import { toHex } from '../../shared/sha256';
import { bootConfigFromImage, checkImageName, loadBootImage, loadImageAnalysisFiles, type BootConfigOptions, type BootImage, type ImageAnalysisFiles, type ImageCodec, type ImageLoadProgress, type ImageSource } from '../images';
import type { BootConfig } from '../machine';
import { nodeSha256 } from './hash';

/** public/images of this checkout. */
export const DEFAULT_IMAGES_DIR = fileURLToPath(new URL('../../../public/images', import.meta.url));
/** Environment variable that points Node hosts (CLI, oracle, tests) at another images directory. */
export const IMAGES_DIR_ENV = 'PRNR_IMAGES_DIR';

export function resolveImagesDir(explicit?: string): string {
  return resolve(explicit ?? process.env[IMAGES_DIR_ENV] ?? DEFAULT_IMAGES_DIR);
}

/** sha256 of `bytes` as lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return toHex(nodeSha256(bytes));
}

export const nodeImageCodec: ImageCodec = {
  sha256Hex: async (bytes) => sha256Hex(bytes),
  gunzip: async (bytes) => new Uint8Array(gunzipSync(bytes)),
};

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads image `name` from `imagesDir`. */
export function fileImageSource(imagesDir: string, name: string): ImageSource {
  checkImageName(name);
  return imageDirSource(join(imagesDir, name), name);
}

/** Reads the image in directory `dir` (called `name` in errors). */
export function imageDirSource(dir: string, name: string): ImageSource {
  return {
    async readManifest() {
      const path = join(dir, 'manifest.json');
      try {
        return await readFile(path, 'utf8');
      } catch (err) {
        if (isMissing(err)) throw new PrnrError('IMAGE_NOT_FOUND', `image "${name}" not found: no ${path} (build it with npm run images)`);
        throw err;
      }
    },
    async readStored(file: ImageFile) {
      const path = join(dir, file.name);
      try {
        return { bytes: new Uint8Array(await readFile(path)) };
      } catch (err) {
        if (isMissing(err)) throw new PrnrError('IMAGE_CORRUPT', `image "${name}": ${file.name} is missing (${path})`);
        throw err;
      }
    },
  };
}

export interface NodeImageOptions {
  /** Default: $PRNR_IMAGES_DIR, else public/images. */
  imagesDir?: string;
  onProgress?: (progress: ImageLoadProgress) => void;
}

/** Reads and verifies the boot files of image `name`. */
export async function loadNodeBootImage(name: string, options: NodeImageOptions = {}): Promise<BootImage> {
  return loadBootImage(name, fileImageSource(resolveImagesDir(options.imagesDir), name), nodeImageCodec, options.onProgress);
}

/** Reads, verifies and configures image `name` for Machine.boot. */
export async function loadNodeBootConfig(name: string, options: NodeImageOptions & BootConfigOptions = {}): Promise<{ image: BootImage; config: BootConfig }> {
  const image = await loadNodeBootImage(name, options);
  return { image, config: bootConfigFromImage(image, options) };
}

/** Reads and verifies the OS profile and System.map of image `name` (what analyses read besides the replay). */
export function loadNodeAnalysisFiles(name: string, options: Pick<NodeImageOptions, 'imagesDir'> = {}): Promise<ImageAnalysisFiles> {
  return loadImageAnalysisFiles(name, fileImageSource(resolveImagesDir(options.imagesDir), name), nodeImageCodec);
}
