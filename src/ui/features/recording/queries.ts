// TanStack Query over the engine for one recording (docs/design.md 8):
// opening it, and everything at a tick, keyed by (recording, tick, ...) and
// never stale, because the machine at a tick never changes. Scrubbing fires
// far more positions than the engine can seek to, so the panels ask for the
// latest position only (useLatestTick): while one request runs, the ticks
// the playhead passes are dropped, and the next request is the newest.
// What is in flight is counted per key prefix as the cache reports it
// (FetchCounts), not by scanning the cache, which grows with every position.
import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import * as Comlink from 'comlink';
import { useEffect, useState } from 'react';
import type { RecordingInfo } from '../../../engine/engine-api';
import { PrnrError } from '../../../shared/errors';
import { getEngine } from '../engine/engine';
import { useFetchCount } from './fetch-counts';
import { recordingFrom, type RecordingRequest } from './source';

export interface OpenedRecording {
  info: RecordingInfo;
  /** The library's title and notes for it, if it lists it. */
  title?: string;
  about?: string[];
  /** Tick of every console write (the timeline's console track, Shift+arrows). */
  outputTicks: bigint[];
}

/** Every query about recording `id` starts with this key. */
export const recordingKey = (id: string) => ['recording', id] as const;
/** Queries that need the machine at a tick (seeks), as opposed to the console, which needs none. */
export const machineKey = (id: string, tick: bigint) => [...recordingKey(id), 'machine', tick.toString()] as const;
export const consoleKey = (id: string, tick: bigint) => [...recordingKey(id), 'console', tick.toString()] as const;

export function useOpenRecording(request: RecordingRequest) {
  return useQuery({
    queryKey: [...recordingKey(request.recordingId), 'open', request.src ?? null],
    queryFn: async (): Promise<OpenedRecording> => {
      const { from, title, about } = await recordingFrom(request);
      const engine = getEngine().api;
      const info = await engine.openRecording('bytes' in from ? Comlink.transfer(from, [from.bytes.buffer]) : from);
      if (info.id !== request.recordingId) {
        throw new PrnrError('RECORDING_MISMATCH', `the file at ${request.src ?? 'this address'} is recording ${info.id.slice(0, 16)}…, not ${request.recordingId.slice(0, 16)}… as the link says`);
      }
      return { info, title, about, outputTicks: await engine.outputTicks(info.id) };
    },
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
}

/**
 * The tick to compute: `tick` when nothing under `prefix` is being fetched,
 * else the one being fetched, until it settles (then the newest `tick`).
 */
export function useLatestTick(prefix: QueryKey, tick: bigint): bigint {
  const fetching = useFetchCount(prefix);
  const [target, setTarget] = useState(tick);
  useEffect(() => {
    if (fetching === 0 && target !== tick) setTarget(tick);
  }, [fetching, tick, target]);
  return fetching === 0 ? tick : target;
}

/** A query of the machine at (recording, tick): cached forever, the previous answer shown while the next one runs. */
export function useAtTick<T>(key: QueryKey, fn: () => Promise<T>, enabled = true) {
  return useQuery({ queryKey: key, queryFn: fn, staleTime: Infinity, gcTime: 5 * 60_000, retry: false, placeholderData: keepPreviousData, enabled });
}
