// A value as of after the next paint: what a panel shows a frame after the
// others, so that the frame showing a seek (console, registers) does not wait
// for it; a run of changes within a frame is followed once, by the latest.
// It runs in idle time after that frame, not in the first task after it: the
// disassembly's listing (Monaco's setValue, tokenizing and layout) is a task
// of 50-90 ms, and in the first task it held back whatever else was queued
// behind the frame (the next input, the console's parse callback). The memory
// panel's rows follow a seek this way too.
import { useEffect, useRef, useState } from 'react';

/** How long `fn` may wait for idle time once the frame is painted. */
const IDLE_TIMEOUT_MS = 250;

/** Runs `fn` once the next frame is painted, when the main thread is next idle (a task after it where idle callbacks are missing). */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(fn, 0);
  });
}

/** `value` (compared with Object.is: memoise objects), one paint late. */
export function useAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const scheduled = useRef(false);
  useEffect(() => {
    latest.current = value;
    if (scheduled.current || Object.is(value, shown)) return;
    scheduled.current = true;
    afterPaint(() => {
      scheduled.current = false;
      setShown(() => latest.current);
    });
  }, [value, shown]);
  return shown;
}
