// The playhead's tick: moved at once in the page, written to the URL (?t=,
// replace-state) once it rests: URL_WRITE_MS after the last move, or at the
// latest URL_WRITE_MAX_MS after the first unwritten one during a long scrub.
// A write re-renders the router and the page (a third of a seek's main-thread
// time when it came every 150 ms), and browsers throttle a page that replaces
// its URL hundreds of times, so a drag or a run of clicks does not write per
// move; a copied link names the tick shown a moment after it stops. A URL
// changed from outside (a link, back/forward) moves the playhead there.
import { useCallback, useEffect, useRef, useState } from 'react';

export const URL_WRITE_MS = 150;
export const URL_WRITE_MAX_MS = 1000;

export function usePlayhead(urlTick: bigint, writeUrl: (tick: bigint) => void): [bigint, (tick: bigint) => void] {
  const [tick, setTick] = useState(urlTick);
  const written = useRef(urlTick);
  /** When the playhead first moved away from the tick the URL names (undefined: it names the playhead's). */
  const movedAt = useRef<number | undefined>(undefined);

  // From the URL, when it names a tick this page did not write.
  useEffect(() => {
    if (urlTick !== written.current) {
      written.current = urlTick;
      movedAt.current = undefined;
      setTick(urlTick);
    }
  }, [urlTick]);

  // To the URL, once the playhead rests (or has moved for URL_WRITE_MAX_MS).
  useEffect(() => {
    if (tick === written.current) {
      movedAt.current = undefined;
      return;
    }
    const now = performance.now();
    movedAt.current ??= now;
    const wait = Math.max(0, Math.min(URL_WRITE_MS, movedAt.current + URL_WRITE_MAX_MS - now));
    const timer = setTimeout(() => {
      movedAt.current = undefined;
      written.current = tick;
      writeUrl(tick);
    }, wait);
    return () => clearTimeout(timer);
  }, [tick, writeUrl]);

  const seek = useCallback((next: bigint) => setTick(next), []);
  return [tick, seek];
}
