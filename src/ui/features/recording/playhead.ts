// The playhead's tick as a framework-free store (subscribe/getSnapshot, bound
// with useSyncExternalStore): a seek re-renders only what shows the tick (the
// timeline's playhead, the panels at it), never the whole recording page.
// The page's playhead follows the URL: ./url-playhead.ts.
import { useSyncExternalStore, type ReactNode } from 'react';

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

/** Renders `children` with the playhead's tick: the part of a page that re-renders when it moves. */
export function AtPlayhead({ playhead, children }: { playhead: Playhead; children(tick: bigint): ReactNode }): ReactNode {
  return children(usePlayheadTick(playhead));
}
