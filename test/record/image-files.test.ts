// The recording header's image description taken from a verified image's
// manifest equals the one computed by hashing its boot files, and checking an
// image against a header by its manifest agrees with checking it by hashing.
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/engine/node/hash';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { bootConfigForImage, bootConfigForRecording, describeBootFiles, describeImageFiles } from '../../src/engine/replay/boot';
import { errorCode } from '../../src/shared/errors';
import type { RecordingHeader } from '../../src/shared/recording/format';

describe('describeImageFiles', () => {
  it('gives the sizes and content hashes that hashing the boot files gives', async () => {
    const { image, config } = await loadNodeBootConfig('default');
    const fromManifest = describeImageFiles(image);
    expect(Object.keys(fromManifest).sort()).toEqual(['disk', 'firmware', 'initrd', 'kernel']);
    expect(fromManifest).toEqual(describeBootFiles(config, nodeSha256));
  });
});

describe('bootConfigForImage', () => {
  it('accepts the image a header names with the config bootConfigForRecording gives, and refuses another', async () => {
    const { image } = await loadNodeBootConfig('default');
    const header = {
      image: { name: 'default', files: describeImageFiles(image) },
      machine: { ramBytes: 64 << 20, cmdline: 'console=ttyS0', entropySeed: '7' },
    } as unknown as RecordingHeader;
    const config = bootConfigForImage(header, image);
    const hashed = bootConfigForRecording(header, image.files, nodeSha256);
    // (toEqual over 11 MB of file bytes is slow: the files are the image's own arrays in both.)
    for (const role of ['firmware', 'kernel', 'initrd', 'disk'] as const) expect(config[role]).toBe(image.files[role]);
    expect({ ...config, firmware: 0, kernel: 0, initrd: 0, disk: 0 }).toEqual({ ...hashed, firmware: 0, kernel: 0, initrd: 0, disk: 0 });
    expect(config).toMatchObject({ ramBytes: 64 << 20, cmdline: 'console=ttyS0', entropySeed: 7n });
    const other = { ...header, image: { name: 'default', files: { ...header.image.files, kernel: { ...header.image.files.kernel!, sha256: '0'.repeat(64) } } } };
    for (const check of [() => bootConfigForImage(other, image), () => bootConfigForRecording(other, image.files, nodeSha256)]) {
      expect(check).toThrow(/its kernel differs/);
      try {
        check();
      } catch (err) {
        expect(errorCode(err)).toBe('RECORDING_IMAGE_MISMATCH');
      }
    }
  });
});
