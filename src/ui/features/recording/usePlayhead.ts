// The playhead's tick: moved at once in the page, written to the URL (?t=,
// replace-state) at most every URL_WRITE_MS, so a drag does not re-render
// the router or flood the history API with one write per pointer move
// (browsers throttle a page that replaces its URL hundreds of times), and a
// copied link still names the tick shown within a moment. A URL changed from
// outside (a link, back/forward) moves the playhead there.
import { useCallback, useEffect, useRef, useState } from 'react';

export const URL_WRITE_MS = 150;

export function usePlayhead(urlTick: bigint, writeUrl: (tick: bigint) => void): [bigint, (tick: bigint) => void] {
  const [tick, setTick] = useState(urlTick);
  const written = useRef(urlTick);
  const lastWrite = useRef(-Infinity);

  // From the URL, when it names a tick this page did not write.
  useEffect(() => {
    if (urlTick !== written.current) {
      written.current = urlTick;
      setTick(urlTick);
    }
  }, [urlTick]);

  // To the URL: at once if the last write was long enough ago, else at the end of the interval.
  useEffect(() => {
    if (tick === written.current) return;
    const wait = Math.max(0, lastWrite.current + URL_WRITE_MS - performance.now());
    const timer = setTimeout(() => {
      lastWrite.current = performance.now();
      written.current = tick;
      writeUrl(tick);
    }, wait);
    return () => clearTimeout(timer);
  }, [tick, writeUrl]);

  const seek = useCallback((next: bigint) => setTick(next), []);
  return [tick, seek];
}
