// The boot files a recording needs, read from the images directory by the
// image name in its header; bootConfigForRecording then checks their hashes.
import type { RecordingHeader } from '../../shared/recording/format';
import type { BootFiles } from '../images';
import { loadNodeBootImage } from './images';

export async function loadRecordingBootFiles(header: RecordingHeader, imagesDir?: string): Promise<BootFiles> {
  const image = await loadNodeBootImage(header.image.name, { imagesDir });
  return { ...image.files };
}
