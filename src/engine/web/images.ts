// Browser side of the guest images: fetch /images/<name>/manifest.json and
// its files (Vite serves public/ at the root), gunzip with
// DecompressionStream, hash with crypto.subtle, and verify every boot file
// against the manifest (../images.ts). Runs in the engine's Web Worker.
import { concatBytes } from '../../shared/bytes';
import { PrnrError } from '../../shared/errors';
import { toHex } from '../../shared/sha256';
import type { ImageFile } from '../../shared/image-manifest';
import { checkImageName, loadBootImage, loadImageAnalysisFiles, type BootImage, type ImageAnalysisFiles, type ImageCodec, type ImageLoadProgress, type ImageSource } from '../images';

/** Where the app serves its images. */
export const IMAGES_BASE_URL = '/images';

export const webImageCodec: ImageCodec = {
  async sha256Hex(bytes) {
    return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  },
  async gunzip(bytes) {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  },
};

async function readBody(response: Response, onBytes?: (count: number) => void): Promise<Uint8Array> {
  if (!response.body || !onBytes) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    onBytes(value.length);
  }
  return concatBytes(chunks);
}

/** Reads image `name` over HTTP from `baseUrl` (default /images, resolved against the page or worker location). */
export function httpImageSource(name: string, baseUrl: string = IMAGES_BASE_URL): ImageSource {
  checkImageName(name);
  const base = `${baseUrl.replace(/\/$/, '')}/${name}/`;
  return {
    async readManifest() {
      const url = `${base}manifest.json`;
      const response = await fetch(url, { headers: { accept: 'application/json' } });
      // A single-page-app server answers unknown paths with index.html: that is "not found" too.
      const type = response.headers.get('content-type') ?? '';
      if (!response.ok || type.includes('text/html')) {
        throw new PrnrError('IMAGE_NOT_FOUND', `image "${name}" not found: ${url} answered ${response.status}${type.includes('text/html') ? ' (HTML)' : ''}`);
      }
      return response.text();
    },
    async readStored(file: ImageFile, onBytes?: (count: number) => void) {
      const url = base + file.name;
      const response = await fetch(url);
      if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) {
        throw new PrnrError('IMAGE_CORRUPT', `image "${name}": ${file.name} is missing (${url} answered ${response.status})`);
      }
      // Servers that send *.gz with Content-Encoding: gzip hand the browser's fetch the decompressed content.
      const decoded = file.compression === 'gzip' && /\bgzip\b/.test(response.headers.get('content-encoding') ?? '');
      const scale = decoded ? file.size / Math.max(1, file.contentSize) : 1;
      const bytes = await readBody(response, onBytes && ((count) => onBytes(count * scale)));
      return { bytes, decoded };
    },
  };
}

/** Downloads and verifies the boot files of image `name`. */
export async function loadWebBootImage(name: string, onProgress?: (progress: ImageLoadProgress) => void, baseUrl?: string): Promise<BootImage> {
  return loadBootImage(name, httpImageSource(name, baseUrl), webImageCodec, onProgress);
}

/** Fetches and verifies the OS profile and System.map of image `name` (what analyses read besides the replay; EngineAnalyses.loadInputs). */
export function loadWebAnalysisFiles(name: string, baseUrl?: string): Promise<ImageAnalysisFiles> {
  return loadImageAnalysisFiles(name, httpImageSource(name, baseUrl), webImageCodec);
}
