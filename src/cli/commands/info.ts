// `prnr info FILE`: what a recording holds, after validating all of it.
import { openRecordingFile } from '../../engine/node/recording-file';
import { EndReason } from '../../shared/recording/format';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { blobBytesText, digestLine, signatureLine } from '../custody';
import { UsageError } from '../errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Typed bytes as text: UTF-8 as a terminal sends it, or one char per byte if they are not UTF-8. */
const typedText = (bytes: Uint8Array) => {
  try {
    return utf8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
};

export const command: Command = {
  name: 'info',
  summary: 'show a recording\'s digest, signature, ticks, slices, snapshots, image and inputs',
  usage: [
    'prnr info FILE.prnr',
    '',
    'Opens the recording, checking every record against its integrity chain, END\'s seal and signature',
    'and each snapshot\'s state root against its pages, and prints a summary. It does not read the',
    'stored pages: prnr verify checks every one. A FILE.prnr.partial (interrupted recording) opens',
    'in recovery mode.',
  ].join('\n'),
  async run(argv) {
    const { positionals } = parseCommandArgs('info', argv, {}, { positionals: true });
    if (positionals.length !== 1) throw new UsageError('info takes one recording file');
    const path = positionals[0];
    const { recording: rec, recovery } = openRecordingFile(path);
    const h = rec.header;
    const last = rec.snapshots[rec.snapshots.length - 1];
    const sizes = rec.snapshotBytes.slice(1).sort((a, b) => a - b);
    const events = rec.slices.flatMap((s) => s.events);
    const outputBytes = rec.slices.reduce((n, s) => n + s.output.reduce((m, o) => m + o.data.length, 0), 0);
    const lines = [
      `recording ${path}: format v${h.version}, ${rec.complete ? 'complete' : `recovered (${recovery ? 'partial file' : 'no END'}): ${rec.usedBytes} of ${rec.fileBytes} bytes usable`}`,
      `created by ${h.createdBy}`,
      digestLine(rec),
      signatureLine(rec),
      `image ${h.image.name}:`,
      ...Object.entries(h.image.files).map(([name, f]) => `  ${name.padEnd(8)} ${String(f.size).padStart(10)} bytes  sha256 ${f.sha256}`),
      `machine: ${h.machine.ramBytes / 1024 / 1024} MiB RAM (${h.machine.ramPages} pages), ${h.machine.diskBlocks} disk blocks, entropy seed ${h.machine.entropySeed}, cmdline "${h.machine.cmdline}"`,
      `ticks: ${last.tick} (snapshot every ${h.sliceTicks})`,
      `slices: ${rec.slices.length}; snapshots: ${rec.snapshots.length}; file: ${rec.fileBytes} bytes`,
      `blobs: ${blobBytesText(rec.blobCount, rec.blobBytes())}`,
      `snapshot 0: ${rec.snapshotBytes[0]} bytes` + (sizes.length ? `; later snapshots: min ${sizes[0]}, median ${sizes[sizes.length >> 1]}, max ${sizes[sizes.length - 1]} bytes` : ''),
      `inputs: ${events.length} events, ${events.reduce((n, e) => n + e.data.length, 0)} bytes`,
      ...events.slice(0, 50).map((e) => `  tick ${String(e.tick).padStart(12)}  console ${JSON.stringify(typedText(e.data))}`),
      ...(events.length > 50 ? [`  … ${events.length - 50} more`] : []),
      `console output: ${outputBytes} bytes`,
      `commands: ${h.session.commands.map((c) => JSON.stringify(c)).join(', ') || '(none)'}`,
      rec.end ? `end: ${rec.end.reason === EndReason.poweroff ? `poweroff (code 0x${rec.end.powerOffCode.toString(16)})` : rec.end.reason === EndReason.reboot ? 'reboot' : 'finished'} at tick ${rec.end.endTick}` : 'end: none (cut off; replays up to the last snapshot)',
    ];
    console.log(lines.join('\n'));
    return 0;
  },
};
