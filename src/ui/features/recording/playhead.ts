// The playhead's tick as a framework-free store (subscribe/getSnapshot, bound
// with useSyncExternalStore): a seek re-renders only what shows the tick (the
// timeline's playhead, the panels at it), never the whole recording page.
// The URL follows it (?t=, replace-state) once it rests: URL_WRITE_MS after
// the last move, or at the latest URL_WRITE_MAX_MS after the first unwritten
// one during a long scrub, in an idle moment (within URL_WRITE_MS more). A write re-renders the router and the page, and
// browsers throttle a page that replaces its URL hundreds of times, so a drag
// or a run of clicks does not write per move; a copied link names the tick
// shown a moment after it stops. A URL changed from outside (a link,
// back/forward) moves the playhead there.
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';

export const URL_WRITE_MS = 150;
export const URL_WRITE_MAX_MS = 1000;

export interface Playhead {
  get(): bigint;
  /** Moves the playhead; listeners hear it at once (synchronously). */
  set(tick: bigint): void;
  subscribe(listener: () => void): () => void;
}

export function createPlayhead(initial: bigint): Playhead {
  let tick = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => tick,
    set(next) {
      if (next === tick) return;
      tick = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The playhead's tick; the calling component re-renders when it moves. */
export function usePlayheadTick(playhead: Playhead): bigint {
  return useSyncExternalStore(playhead.subscribe, playhead.get);
}

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

/** Renders `children` with the playhead's tick: the part of a page that re-renders when it moves. */
export function AtPlayhead({ playhead, children }: { playhead: Playhead; children(tick: bigint): ReactNode }): ReactNode {
  return children(usePlayheadTick(playhead));
}
