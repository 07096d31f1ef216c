import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { FetchCounts } from './fetch-counts';

/** A promise and its resolve function. */
function later<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('fetch counts by key prefix', () => {
  it('count the queries fetching under each prefix, as the cache reports them, and tell listeners', async () => {
    const client = new QueryClient();
    const counts = new FetchCounts(client);
    let heard = 0;
    const stop = counts.subscribe(() => heard++);
    const a = later<number>();
    const b = later<number>();
    const fa = client.fetchQuery({ queryKey: ['recording', 'r1', 'machine', '10', 'hart'], queryFn: () => a.promise });
    const fb = client.fetchQuery({ queryKey: ['recording', 'r1', 'console', '10'], queryFn: () => b.promise });
    expect(counts.count(['recording', 'r1'])).toBe(2);
    expect(counts.count(['recording', 'r1', 'machine'])).toBe(1);
    expect(counts.count(['recording', 'r1', 'console'])).toBe(1);
    expect(counts.count(['recording', 'r2'])).toBe(0);
    a.resolve(1);
    await fa;
    expect(counts.count(['recording', 'r1', 'machine'])).toBe(0);
    expect(counts.count(['recording', 'r1'])).toBe(1);
    b.resolve(2);
    await fb;
    expect(counts.count(['recording'])).toBe(0);
    await settle();
    expect(heard).toBeGreaterThanOrEqual(2);
    stop();
  });

  it('start from the fetches already running when the first listener comes', async () => {
    const client = new QueryClient();
    const a = later<number>();
    const fetched = client.fetchQuery({ queryKey: ['recording', 'r1', 'machine', '5'], queryFn: () => a.promise });
    const counts = new FetchCounts(client);
    expect(counts.count(['recording', 'r1', 'machine'])).toBe(0);
    const stop = counts.subscribe(() => undefined);
    expect(counts.count(['recording', 'r1', 'machine'])).toBe(1);
    a.resolve(3);
    await fetched;
    expect(counts.count(['recording', 'r1', 'machine'])).toBe(0);
    stop();
  });
});
