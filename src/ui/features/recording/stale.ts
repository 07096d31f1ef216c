// When a panel looks stale (greyed: the previous tick's answer shown while
// the playhead's is computed): only once the wait has lasted STALE_AFTER_MS.
// A quick seek's answer then replaces the old one in the next frame or two
// without a dimmed frame between, which each seek cost a restyle and repaint
// of the panels (and, with a fade, an animation and its events).
import { useEffect, useState } from 'react';

export const STALE_AFTER_MS = 150;

/** `waiting`, once it has held for STALE_AFTER_MS. */
export function useLooksStale(waiting: boolean): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setHeld(true), STALE_AFTER_MS);
    return () => {
      clearTimeout(timer);
      setHeld(false);
    };
  }, [waiting]);
  return waiting && held;
}
