// Where the slice queue lives (docs/design.md 6, scale-out): `--queue
// redis://HOST:PORT` read into BullMQ's connection options, and a probe that
// answers in a second whether Redis is there, so a wrong address is one plain
// line, not a client retrying forever. BullMQ loads only when a queue is used
// (it costs about half a second).
import type { ConnectionOptions } from 'bullmq';
import { errorMessage, PrnrError } from '../../shared/errors';
import { UsageError } from '../errors';

export const QUEUE_HELP = 'run the slice jobs on BullMQ at redis://HOST:PORT (prnr worker processes run them)';

/** The name of the one BullMQ queue every slice job goes to. */
export const QUEUE_NAME = 'prnr-slices';

/** How long the probe waits for Redis to answer. */
const PROBE_TIMEOUT_MS = 2000;

export interface QueueTarget {
  /** As given, for messages: redis://HOST:PORT */
  url: string;
  host: string;
  port: number;
  /** Redis database number (redis://HOST:PORT/N), 0 by default. */
  db: number;
}

/** The --queue value: redis://HOST[:PORT][/DB] (port 6379 by default). */
export function queueOption(text: string): QueueTarget {
  const bad = (why: string) => new UsageError(`--queue takes redis://HOST:PORT, e.g. redis://127.0.0.1:6379; ${JSON.stringify(text)} ${why}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('is not a URL');
  }
  if (url.protocol !== 'redis:') throw bad(`has the scheme ${url.protocol.replace(/:$/, '')}, not redis`);
  if (url.hostname === '') throw bad('names no host');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') throw bad('has parts prnr does not read (user, password, ?query or #fragment)');
  const db = url.pathname === '' || url.pathname === '/' ? 0 : Number(url.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0 || db > 15) throw bad('names a database that is not a number from 0 to 15');
  const port = url.port === '' ? 6379 : Number(url.port);
  return { url: `redis://${url.hostname}:${port}${db === 0 ? '' : `/${db}`}`, host: url.hostname.replace(/^\[|\]$/g, ''), port, db };
}

/**
 * BullMQ's connection options for `target`. `retry` false: fail on the first
 * lost connection (a submitter cannot wait for Redis forever); true: keep
 * reconnecting (a worker outlives a Redis restart).
 */
export function connectionOptions(target: QueueTarget, retry: boolean): ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    connectTimeout: PROBE_TIMEOUT_MS,
    // Workers and QueueEvents block on Redis: BullMQ requires no per-request retry limit for them.
    maxRetriesPerRequest: null,
    retryStrategy: retry ? (times: number) => Math.min(200 * times, 5000) : () => null,
  };
}

/** Resolves once Redis at `target` answers; throws QUEUE_UNREACHABLE within about PROBE_TIMEOUT_MS otherwise. */
export async function probeQueue(target: QueueTarget): Promise<void> {
  const { Queue } = await import('bullmq');
  const probe = new Queue(QUEUE_NAME, { connection: connectionOptions(target, false) });
  let failure: unknown;
  probe.on('error', (err) => (failure ??= err));
  try {
    const answered = await Promise.race([probe.waitUntilReady().then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), PROBE_TIMEOUT_MS + 500).unref())]);
    if (!answered) throw new PrnrError('QUEUE_UNREACHABLE', `cannot reach Redis at ${target.url}: no answer in ${PROBE_TIMEOUT_MS / 1000} s`);
  } catch (err) {
    if (err instanceof PrnrError) throw err;
    throw new PrnrError('QUEUE_UNREACHABLE', `cannot reach Redis at ${target.url}: ${errorMessage(failure ?? err)}`);
  } finally {
    await probe.close().catch(() => {});
  }
}
