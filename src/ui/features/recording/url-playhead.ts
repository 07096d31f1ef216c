// The recording page's playhead (./playhead.ts), starting at the tick the URL
// names and moved there when the URL changes from outside (a link,
// back/forward). The URL follows it (?t=, replace-state) once it rests:
// URL_WRITE_MS after the last move, or at the latest URL_WRITE_MAX_MS after
// the first unwritten one during a long scrub, in an idle moment (within
// URL_WRITE_MS more). A write re-renders the router and the page, and
// browsers throttle a page that replaces its URL hundreds of times, so a drag
// or a run of clicks does not write per move; a copied link names the tick
// shown a moment after it stops.
import { useEffect, useRef, useState } from 'react';
import { createPlayhead, type Playhead } from './playhead';

export const URL_WRITE_MS = 150;
export const URL_WRITE_MAX_MS = 1000;

/**
 * The page's playhead, starting at (and moved to) the tick the URL names, and
 * written back to the URL with `writeUrl` once it rests.
 */
export function useUrlPlayhead(urlTick: bigint, writeUrl: (tick: bigint) => void): Playhead {
  const [playhead] = useState(() => createPlayhead(urlTick));
  const written = useRef(urlTick);
  const write = useRef(writeUrl);
  write.current = writeUrl;

  // From the URL, when it names a tick this page did not write.
  useEffect(() => {
    if (urlTick !== written.current) {
      written.current = urlTick;
      playhead.set(urlTick);
    }
  }, [urlTick, playhead]);

  // To the URL, once the playhead rests (or has moved for URL_WRITE_MAX_MS), when the main thread is idle: the
  // write re-renders the page, which should not land in the middle of the next seek's frame.
  useEffect(() => {
    /** When the playhead first moved away from the tick the URL names (undefined: it names the playhead's). */
    let movedAt: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let idle: number | undefined;
    const cancel = () => {
      clearTimeout(timer);
      if (idle !== undefined) cancelIdleCallback(idle);
      timer = idle = undefined;
    };
    const flush = () => {
      idle = undefined;
      movedAt = undefined;
      const tick = playhead.get();
      if (tick === written.current) return;
      written.current = tick;
      write.current(tick);
    };
    const unsubscribe = playhead.subscribe(() => {
      cancel();
      if (playhead.get() === written.current) {
        movedAt = undefined;
        return;
      }
      const now = performance.now();
      movedAt ??= now;
      const wait = Math.max(0, Math.min(URL_WRITE_MS, movedAt + URL_WRITE_MAX_MS - now));
      timer = setTimeout(() => {
        timer = undefined;
        idle = requestIdleCallback(flush, { timeout: URL_WRITE_MS });
      }, wait);
    });
    return () => {
      unsubscribe();
      cancel();
    };
  }, [playhead]);

  return playhead;
}
