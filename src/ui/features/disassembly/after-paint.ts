// A value as of after the next paint: what a panel shows a frame after the
// others, so that the frame showing a seek (console, registers) does not wait
// for it; a run of changes within a frame is followed once, by the latest.
import { useEffect, useRef, useState } from 'react';

/** Runs `fn` once the next frame is painted (in a task after it). */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
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
