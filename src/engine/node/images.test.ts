import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorCode } from '../../shared/errors';
import type { ImageManifest } from '../../shared/image-manifest';
import { bootConfigFromImage, type ImageLoadProgress } from '../images';
import { loadNodeBootConfig, loadNodeBootImage, sha256Hex } from './images';
import { writeTestImage } from './test-image';

const contents = {
  firmware: new TextEncoder().encode('firmware bytes'),
  kernel: new Uint8Array(100_000).map((_, i) => i % 251),
  initrd: new TextEncoder().encode('initrd '.repeat(1000)),
};

function writeImage(dir: string, name: string): Promise<ImageManifest> {
  return writeTestImage(dir, name, contents);
}

async function failure(promise: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  const err: unknown = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  return { code: errorCode(err), message: String((err as Error).message) };
}

describe('Node image loader', () => {
  let imagesDir: string;
  beforeEach(async () => {
    imagesDir = await mkdtemp(join(tmpdir(), 'prnr-images-'));
  });
  afterEach(async () => {
    await rm(imagesDir, { recursive: true, force: true });
  });

  it('verifies and decompresses the boot files, and configures the machine as the manifest says', async () => {
    await writeImage(imagesDir, 'tiny');
    const progress: ImageLoadProgress[] = [];
    const { image, config } = await loadNodeBootConfig('tiny', { imagesDir, onProgress: (p) => progress.push(p), entropySeed: 7n });
    expect(Buffer.compare(image.files.kernel, contents.kernel)).toBe(0); // (toEqual on 100 KB is slow)
    expect(config.kernel).toBe(image.files.kernel);
    expect({ ...config, kernel: undefined }).toEqual({ ramBytes: 64 * 1024 * 1024, firmware: contents.firmware, kernel: undefined, initrd: contents.initrd, disk: undefined, cmdline: 'console=ttyS0', entropySeed: 7n });
    expect(bootConfigFromImage(image).entropySeed).toBe(0n);
    expect(progress.at(0)?.phase).toBe('manifest');
    expect(progress.at(-1)).toMatchObject({ phase: 'ready' });
    expect(progress.at(-1)?.loadedBytes).toBe(progress.at(-1)?.totalBytes);
    expect(progress.filter((p) => p.phase === 'verify').map((p) => p.file)).toEqual(['fw_jump.bin', 'Image.gz', 'initrd.cpio.gz']);
  });

  it('names the image when it does not exist or its name is not a plain name', async () => {
    expect(await failure(loadNodeBootImage('nope', { imagesDir }))).toMatchObject({ code: 'IMAGE_NOT_FOUND', message: expect.stringContaining('image "nope" not found') as string });
    expect(await failure(loadNodeBootImage('../etc', { imagesDir }))).toMatchObject({ code: 'IMAGE_NOT_FOUND', message: expect.stringContaining('invalid image name') as string });
  });

  it('names the file that is missing, altered or not the content the manifest promises', async () => {
    const manifest = await writeImage(imagesDir, 'tiny');
    await rm(join(imagesDir, 'tiny', 'initrd.cpio.gz'));
    expect(await failure(loadNodeBootImage('tiny', { imagesDir }))).toMatchObject({ code: 'IMAGE_CORRUPT', message: expect.stringContaining('initrd.cpio.gz is missing') as string });

    await writeImage(imagesDir, 'tiny');
    const kernel = join(imagesDir, 'tiny', 'Image.gz');
    const stored = new Uint8Array(gzipSync(contents.kernel));
    stored[stored.length - 20] ^= 1;
    await writeFile(kernel, stored);
    expect(await failure(loadNodeBootImage('tiny', { imagesDir }))).toMatchObject({ code: 'IMAGE_CORRUPT', message: expect.stringContaining('Image.gz does not match its sha256') as string });

    // Stored bytes that match the manifest but decompress to something else.
    const other = new Uint8Array(gzipSync(new TextEncoder().encode('another kernel')));
    const bad = { ...manifest, files: { ...manifest.files, kernel: { ...manifest.files.kernel, size: other.length, sha256: sha256Hex(other) } } };
    await writeFile(kernel, other);
    await writeFile(join(imagesDir, 'tiny', 'manifest.json'), JSON.stringify(bad));
    expect(await failure(loadNodeBootImage('tiny', { imagesDir }))).toMatchObject({ code: 'IMAGE_CORRUPT', message: expect.stringContaining('Image.gz: decompressed content does not match') as string });

    await writeFile(join(imagesDir, 'tiny', 'manifest.json'), '{"format": "something else"}');
    expect(await failure(loadNodeBootImage('tiny', { imagesDir }))).toMatchObject({ code: 'IMAGE_CORRUPT', message: expect.stringContaining('manifest.json') as string });
  });
});
