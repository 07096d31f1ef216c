// The recording header's image description taken from a verified image's
// manifest equals the one computed by hashing its boot files.
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/engine/node/hash';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { describeBootFiles, describeImageFiles } from '../../src/engine/replay/boot';

describe('describeImageFiles', () => {
  it('gives the sizes and content hashes that hashing the boot files gives', async () => {
    const { image, config } = await loadNodeBootConfig('default');
    const fromManifest = describeImageFiles(image);
    expect(Object.keys(fromManifest).sort()).toEqual(['disk', 'firmware', 'initrd', 'kernel']);
    expect(fromManifest).toEqual(describeBootFiles(config, nodeSha256));
  });
});
