// The boot configuration a recording was made with: its image files, checked
// against the content hashes in the header, and the header's RAM size,
// command line and entropy seed.
import { PrnrError } from '../../shared/errors';
import { toHex, type Sha256 } from '../../shared/sha256';
import { BOOT_FILE_ROLES } from '../../shared/image-manifest';
import type { RecordingHeader } from '../../shared/recording/format';
import type { BootFiles, BootImage } from '../images';
import type { BootConfig } from '../machine';

/** Content sha256 and size of each boot file, as a header records them. */
export function describeBootFiles(files: BootFiles, sha256: Sha256): RecordingHeader['image']['files'] {
  const out: RecordingHeader['image']['files'] = {};
  for (const name of BOOT_FILE_ROLES) {
    const bytes = files[name];
    if (bytes) out[name] = { size: bytes.length, sha256: toHex(sha256(bytes)) };
  }
  return out;
}

/**
 * describeBootFiles for a loaded image, from the content sizes and hashes of
 * its manifest: the image loader has just verified every file against them,
 * so the recorder need not hash 11 MB again on its way to the first snapshot.
 */
export function describeImageFiles(image: Pick<BootImage, 'manifest' | 'files'>): RecordingHeader['image']['files'] {
  const out: RecordingHeader['image']['files'] = {};
  for (const name of BOOT_FILE_ROLES) {
    const file = image.manifest.files[name];
    if (image.files[name] && file) out[name] = { size: file.contentSize, sha256: file.contentSha256 };
  }
  return out;
}

/** Checks `files` against the header and returns the BootConfig to replay with (RECORDING_IMAGE_MISMATCH otherwise). */
export function bootConfigForRecording(header: RecordingHeader, files: BootFiles, sha256: Sha256): BootConfig {
  checkImageFiles(header, describeBootFiles(files, sha256));
  return replayConfig(header, files);
}

/**
 * bootConfigForRecording for a loaded image, by the content sizes and hashes
 * of its manifest, against which the loader has just verified every file:
 * nothing is hashed again.
 */
export function bootConfigForImage(header: RecordingHeader, image: Pick<BootImage, 'manifest' | 'files'>): BootConfig {
  checkImageFiles(header, describeImageFiles(image));
  return replayConfig(header, image.files);
}

function checkImageFiles(header: RecordingHeader, have: RecordingHeader['image']['files']): void {
  const want = header.image.files;
  for (const name of BOOT_FILE_ROLES) {
    const expected = want[name];
    const given = have[name];
    if (!expected && !given) continue;
    if (!expected || !given) {
      throw new PrnrError('RECORDING_IMAGE_MISMATCH', `image "${header.image.name}": the recording was made ${expected ? 'with' : 'without'} a ${name}, the image given ${given ? 'has' : 'has none'}`);
    }
    if (given.size !== expected.size || given.sha256 !== expected.sha256) {
      throw new PrnrError('RECORDING_IMAGE_MISMATCH', `image "${header.image.name}": its ${name} differs from the one the recording was made with (sha256 ${expected.sha256.slice(0, 12)}…); replay needs the same image`);
    }
  }
  if (!want.firmware || !want.kernel) throw new PrnrError('RECORDING_IMAGE_MISMATCH', 'the recording has no firmware or kernel');
}

function replayConfig(header: RecordingHeader, files: BootFiles): BootConfig {
  return {
    ramBytes: header.machine.ramBytes,
    firmware: files.firmware,
    kernel: files.kernel,
    initrd: files.initrd,
    disk: files.disk,
    cmdline: header.machine.cmdline,
    entropySeed: BigInt(header.machine.entropySeed),
  };
}
