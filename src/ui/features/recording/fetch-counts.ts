// How many queries are fetching under each prefix of their keys, kept from
// the query cache's events: what useIsFetching computes by scanning the whole
// cache on every event (the cache grows with every position the playhead
// has been at), for the latest-wins guard of ./queries.ts useLatestTick.
import { notifyManager, useQueryClient, type Query, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';

/**
 * The counts of one query client. The cache is listened to from the first
 * subscriber to the last; subscribers hear a change in the same batch as the
 * queries' observers, so a panel sees a fetch settle together with its answer.
 */
export class FetchCounts {
  private readonly counts = new Map<string, number>();
  private readonly fetching = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly client: QueryClient) {}

  count(prefix: QueryKey): number {
    return this.counts.get(prefixId(prefix)) ?? 0;
  }

  subscribe = (listener: () => void): (() => void) => {
    if (this.listeners.size === 0) this.start();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  };

  private start(): void {
    const cache = this.client.getQueryCache();
    for (const query of cache.getAll()) this.update(query, true);
    this.unsubscribe = cache.subscribe((event) => {
      if (this.update(event.query, event.type !== 'removed')) notifyManager.schedule(() => this.listeners.forEach((l) => l()));
    });
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.counts.clear();
    this.fetching.clear();
  }

  /** Follows a query's fetch status; true if it changed. */
  private update(query: Query, present: boolean): boolean {
    const now = present && query.state.fetchStatus === 'fetching';
    if (now === this.fetching.has(query.queryHash)) return false;
    if (now) this.fetching.add(query.queryHash);
    else this.fetching.delete(query.queryHash);
    for (let length = 1; length <= query.queryKey.length; length++) {
      const id = prefixId(query.queryKey, length);
      const n = (this.counts.get(id) ?? 0) + (now ? 1 : -1);
      if (n === 0) this.counts.delete(id);
      else this.counts.set(id, n);
    }
    return true;
  }
}

const prefixId = (key: QueryKey, length = key.length) => JSON.stringify(key.slice(0, length));
const fetchCounts = new WeakMap<QueryClient, FetchCounts>();

/** How many queries under `prefix` are fetching (useIsFetching({ queryKey: prefix }), without the scan). */
export function useFetchCount(prefix: QueryKey): number {
  const client = useQueryClient();
  let counts = fetchCounts.get(client);
  if (!counts) fetchCounts.set(client, (counts = new FetchCounts(client)));
  const store = counts;
  return useSyncExternalStore(store.subscribe, () => store.count(prefix));
}
