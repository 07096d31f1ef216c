// A write the watch found (src/shared/analysis.ts WatchedWrite), in words, as
// `prnr seek --last-write` prints it and the app's memory panel shows it.
import type { WatchedWrite } from '../shared/analysis.ts';
import { hex64 } from '../shared/hexdump.ts';

/** Who wrote: "pid 31 tid 31 diverge", "task 0x…", or "no task known". */
export function writerText(w: WatchedWrite): string {
  return w.who ? `pid ${w.who.pid} tid ${w.who.tid} ${w.who.comm}` : w.task !== 0n ? `task ${hex64(w.task)}` : 'no task known';
}

/** What wrote: "a store of 8 bytes at +0", "an atomic …", "a device's DMA …", noting a store of the value already there. */
export function writeKindText(w: WatchedWrite): string {
  return `${w.source === 'dma' ? "a device's DMA" : w.source === 'amo' ? 'an atomic' : w.source === 'walk' ? "the hart's page walk (A/D bits)" : 'a store'} of ${w.size} byte${w.size === 1 ? '' : 's'} at +${w.offset}${w.same ? ', the value already there' : ''}`;
}
