// Test helper: writes a small, valid guest image (manifest + files) into a
// directory, for tests of the image loaders and of `prnr boot` that must not
// depend on the real image in public/images.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IMAGE_MANIFEST_FORMAT, IMAGE_MANIFEST_VERSION, type ImageFile, type ImageManifest } from '../../shared/image-manifest';
import { sha256Hex } from './images';

export interface TestImageFiles {
  firmware: Uint8Array;
  kernel: Uint8Array;
  initrd: Uint8Array;
  disk?: Uint8Array;
}

function entry(name: string, content: Uint8Array, gzip: boolean): { file: ImageFile; stored: Uint8Array } {
  const stored = gzip ? new Uint8Array(gzipSync(content)) : content;
  return {
    stored,
    file: { name, compression: gzip ? 'gzip' : 'none', size: stored.length, sha256: sha256Hex(stored), contentSize: content.length, contentSha256: sha256Hex(content) },
  };
}

/** Writes <imagesDir>/<name>/ (firmware stored plain, the rest gzipped) and returns its manifest. */
export async function writeTestImage(imagesDir: string, name: string, contents: TestImageFiles, manifestFields: Partial<ImageManifest> = {}): Promise<ImageManifest> {
  const files = {
    firmware: entry('fw_jump.bin', contents.firmware, false),
    kernel: entry('Image.gz', contents.kernel, true),
    initrd: entry('initrd.cpio.gz', contents.initrd, true),
    profile: entry('profile.json', new TextEncoder().encode('{}'), false),
    ...(contents.disk ? { disk: entry('disk.img.gz', contents.disk, true) } : {}),
  };
  const manifest: ImageManifest = {
    format: IMAGE_MANIFEST_FORMAT,
    version: IMAGE_MANIFEST_VERSION,
    name,
    description: 'test image',
    isa: 'rv64imafdc',
    ramMiB: 64,
    kernelCmdline: 'console=ttyS0',
    prompt: 'test# ',
    kernelHz: 100,
    boot: { firmwareAddress: '0x80000000', kernelAddress: '0x80200000' },
    files: Object.fromEntries(Object.entries(files).map(([role, { file }]) => [role, file])) as ImageManifest['files'],
    packages: {},
    ...manifestFields,
  };
  await mkdir(join(imagesDir, name), { recursive: true });
  for (const { file, stored } of Object.values(files)) await writeFile(join(imagesDir, name, file.name), stored);
  await writeFile(join(imagesDir, name, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}
