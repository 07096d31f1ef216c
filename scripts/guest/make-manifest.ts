// Writes public/images/<name>/manifest.json for the files build.sh put there.
// usage: tsx make-manifest.ts --dir D --name N --cmdline C --prompt P --ram-mib M
//                             --hz H --versions scripts/guest/versions.txt

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  IMAGE_MANIFEST_FORMAT,
  IMAGE_MANIFEST_VERSION,
  validateImageManifest,
  type ImageFile,
  type ImageFileRole,
} from '../../src/shared/image-manifest.ts';
import { sha256Hex } from '../oracle/images.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    name: { type: 'string' },
    cmdline: { type: 'string' },
    prompt: { type: 'string' },
    'ram-mib': { type: 'string' },
    hz: { type: 'string' },
    versions: { type: 'string' },
  },
});
function need(key: keyof typeof values): string {
  const value = values[key];
  if (value === undefined) throw new Error(`make-manifest: --${key} is required`);
  return value;
}
const dir = need('dir');

const FILES: Record<ImageFileRole, string> = {
  firmware: 'fw_jump.bin.gz',
  kernel: 'Image.gz',
  initrd: 'initrd.cpio.gz',
  disk: 'data.ext2.gz',
  symbols: 'System.map.gz',
  profile: 'profile.json',
};

function describe(fileName: string): ImageFile {
  const stored = new Uint8Array(readFileSync(join(dir, fileName)));
  const gzip = fileName.endsWith('.gz');
  const content = gzip ? new Uint8Array(gunzipSync(stored)) : stored;
  return {
    name: fileName,
    compression: gzip ? 'gzip' : 'none',
    size: stored.length,
    sha256: sha256Hex(stored),
    contentSize: content.length,
    contentSha256: sha256Hex(content),
  };
}

// versions.txt: "# comment" lines, then "<package> <version> [note]".
const packages: Record<string, string> = {};
for (const line of readFileSync(need('versions'), 'utf8').split('\n')) {
  if (line.startsWith('#') || line.trim() === '') continue;
  const [pkg, ...rest] = line.split(' ');
  if (pkg) packages[pkg] = rest.join(' ');
}

const files: Partial<Record<ImageFileRole, ImageFile>> = {};
for (const [role, fileName] of Object.entries(FILES)) files[role as ImageFileRole] = describe(fileName);

const manifest = validateImageManifest({
  format: IMAGE_MANIFEST_FORMAT,
  version: IMAGE_MANIFEST_VERSION,
  name: need('name'),
  description:
    'Linux 6.1 (Debian linux-source-6.1) with OpenSBI fw_jump, a BusyBox initramfs with the prnr demo programs in /demo, and a 4 MiB ext2 data disk on virtio-blk mounted at /data.',
  isa: 'rv64imafdc_zicsr_zifencei',
  ramMiB: Number(need('ram-mib')),
  kernelCmdline: need('cmdline'),
  prompt: need('prompt'),
  kernelHz: Number(need('hz')),
  boot: { firmwareAddress: '0x80000000', kernelAddress: '0x80200000' },
  files,
  packages,
});
writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
